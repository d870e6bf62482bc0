// Screenshots of the main pages at desktop and phone width, for people to look at.
// Written to test-output/screenshots/ (not committed); docs/screenshots/ holds a set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { useServerAndBrowser, newPage, screenshotDir, PAGES } from '../lib/harness.mjs';

const env = useServerAndBrowser();

const SIZES = [['dator', 1280, 900], ['mobil', 390, 844]];

// The page shown is the page asked for: its status, and a heading of its own
// (an error page with the site's frame would otherwise pass as a picture).
async function openPage(page, path, name) {
  const res = await page.goto(env.server.base + path);
  assert.equal(res.status(), name === 'sidan-saknas' ? 404 : 200, `${path}: status`);
  const h1 = (await page.locator('h1').first().innerText()).trim();
  assert.ok(h1.length > 0, `${path}: a heading`);
  return h1;
}

for (const [name, path] of PAGES) {
  for (const [size, width, height] of SIZES) {
    test(`screenshot ${name} (${size})`, async () => {
      const page = await newPage(env.browser, { width, height });
      await openPage(page, path, name);
      const file = join(screenshotDir(), `${name}-${size}.png`);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(statSync(file).size > 5000, 'a real picture');
    });
  }
}

test('screenshot forteckning in English (dator)', async () => {
  const page = await newPage(env.browser, { lang: 'en' });
  const h1 = await openPage(page, '/', 'forteckning');
  assert.match(h1, /[A-Za-z]/);
  const file = join(screenshotDir(), 'forteckning-en-dator.png');
  await page.screenshot({ path: file, fullPage: true });
  assert.ok(statSync(file).size > 5000);
});
