// WCAG 2.1 AA: axe-core on every page type in both locales, the keyboard, headings,
// landmarks, and zoom to 200 % (reflow at 640 and 320 CSS pixels).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, newPage, axe, PAGES } from '../lib/harness.mjs';

const env = useServerAndBrowser();

for (const lang of ['sv', 'en']) {
  for (const [name, path] of PAGES) {
    test(`axe-core: ${name} (${lang}) has no WCAG 2.1 A/AA violations`, async () => {
      const page = await newPage(env.browser, { lang });
      await page.goto(env.server.base + path);
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      const violations = await axe(page);
      assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    });
  }
}

for (const [name, path] of PAGES) {
  test(`structure: ${name} has landmarks and headings in order`, async () => {
    const page = await newPage(env.browser);
    await page.goto(env.server.base + path);
    for (const role of ['banner', 'navigation', 'main', 'contentinfo']) {
      assert.ok((await page.getByRole(role).count()) >= 1, `${role} landmark`);
    }
    const levels = await page.$$eval('h1, h2, h3, h4, h5, h6', (hs) => hs.map((h) => Number(h.tagName[1])));
    assert.equal(levels[0], 1, 'the first heading is h1');
    assert.equal(levels.filter((l) => l === 1).length, 1, 'exactly one h1');
    for (let i = 1; i < levels.length; i++) {
      assert.ok(levels[i] <= levels[i - 1] + 1, `heading h${levels[i]} follows h${levels[i - 1]}`);
    }
  });

  test(`keyboard: ${name} reaches every interactive element with visible focus`, async () => {
    const page = await newPage(env.browser);
    await page.goto(env.server.base + path);
    const expected = await page.$$eval('a[href], summary, button, input, select, textarea, [tabindex]:not([tabindex="-1"])',
      (els) => els.filter((e) => e.getClientRects().length > 0 || e.classList.contains('skip')).length);
    const seen = new Set();
    for (let i = 0; i < expected + 5; i++) {
      await page.keyboard.press('Tab');
      const info = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        if (!el.dataset.kbd) el.dataset.kbd = String(Math.random());
        const s = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return {
          id: el.dataset.kbd,
          tag: el.tagName,
          text: (el.innerText || '').slice(0, 40),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
          shadow: s.boxShadow !== 'none',
          inView: r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth + 1,
        };
      });
      if (!info) continue;
      assert.ok(info.outline || info.shadow, `visible focus on ${info.tag} "${info.text}"`);
      assert.ok(info.inView, `${info.tag} "${info.text}" is on screen when focused`);
      seen.add(info.id);
    }
    assert.equal(seen.size, expected, 'every interactive element is reachable with Tab');
  });
}

test('the skip link is the first stop and moves to the content', async () => {
  const page = await newPage(env.browser);
  await page.goto(env.server.base + '/grupper/samordningsrad-neurologi');
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => ({ text: document.activeElement.innerText, href: document.activeElement.getAttribute('href') }));
  assert.deepEqual(first, { text: 'Hoppa till innehållet', href: '#innehall' });
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'innehall');
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => document.activeElement.closest('main') !== null);
  assert.ok(next, 'the next Tab stays in the main content');
});

for (const [width, label] of [[640, '200 %'], [320, '400 % / phone']]) {
  for (const [name, path] of PAGES) {
    test(`reflow at ${width} px (${label}): ${name} needs no sideways scrolling`, async () => {
      const page = await newPage(env.browser, { width, height: 800 });
      await page.goto(env.server.base + path);
      const { scroll, client } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
      assert.ok(scroll <= client, `page is ${scroll}px wide in a ${client}px viewport`);
      const h1 = page.locator('h1');
      assert.ok(await h1.isVisible());
    });
  }
}
