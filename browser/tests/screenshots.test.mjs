// Screenshots of the main pages at desktop and phone width, for people to look at.
// Written to test-output/screenshots/ (not committed); docs/screenshots/ holds a set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { useServerAndBrowser, newPage, screenshotDir, PAGES } from '../lib/harness.mjs';

const env = useServerAndBrowser();

const SIZES = [['dator', 1280, 900], ['mobil', 390, 844]];

for (const [name, path] of PAGES) {
  for (const [size, width, height] of SIZES) {
    test(`screenshot ${name} (${size})`, async () => {
      const page = await newPage(env.browser, { width, height });
      await page.goto(env.server.base + path);
      const file = join(screenshotDir(), `${name}-${size}.png`);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(statSync(file).size > 5000, 'a real picture');
    });
  }
}

test('screenshot forteckning in English (dator)', async () => {
  const page = await newPage(env.browser, { lang: 'en' });
  await page.goto(env.server.base + '/');
  const file = join(screenshotDir(), 'forteckning-en-dator.png');
  await page.screenshot({ path: file, fullPage: true });
  assert.ok(statSync(file).size > 5000);
});
