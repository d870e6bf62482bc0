// The org chart on a phone and on paper: the picture that is shown keeps its text at
// reading size, its boxes are links that the keyboard reaches, and printing gives
// the wide picture across the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useServerAndBrowser, newPage, axe, screenshotDir } from '../lib/harness.mjs';

const env = useServerAndBrowser();

/** The org chart picture that is displayed, with how large its 14-unit text is drawn. */
async function shownChart(page) {
  return page.$$eval('svg.orgchart', (svgs) =>
    svgs
      .filter((s) => getComputedStyle(s).display !== 'none')
      .map((s) => {
        const box = s.getBoundingClientRect();
        const scale = box.width / s.viewBox.baseVal.width;
        const text = s.querySelector('text');
        return {
          layout: s.classList.contains('narrow') ? 'narrow' : 'wide',
          textPx: parseFloat(getComputedStyle(text).fontSize) * scale,
          overflows: box.right > document.documentElement.clientWidth + 1,
          links: s.querySelectorAll('a[href]').length,
        };
      }),
  );
}

for (const path of ['/organisation', '/grupper/samordningsgrupp-for-neonatalvarden/organisation']) {
  test(`org chart ${path} at phone width: one column, text at reading size, keyboard, axe`, async () => {
    const page = await newPage(env.browser, { width: 320, height: 700 });
    await page.goto(env.server.base + path);
    const shown = await shownChart(page);
    assert.equal(shown.length, 1, 'exactly one picture is shown');
    assert.equal(shown[0].layout, 'narrow');
    assert.ok(shown[0].textPx >= 12, `text drawn at ${shown[0].textPx.toFixed(1)} px`);
    assert.ok(!shown[0].overflows, 'no sideways scrolling');
    assert.ok(shown[0].links >= 2, 'the boxes are links');
    // Tab reaches a box of the picture that is shown, and Enter follows it.
    let inChart = null;
    for (let i = 0; i < 60 && !inChart; i++) {
      await page.keyboard.press('Tab');
      inChart = await page.evaluate(() => {
        const a = document.activeElement;
        return a && a.closest('svg.orgchart.narrow') ? a.getAttribute('href') : null;
      });
    }
    assert.ok(inChart, 'a box of the phone picture takes focus');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === inChart);
    await page.goto(env.server.base + path);
    assert.deepEqual(await axe(page), []);
    await page.screenshot({ path: join(screenshotDir(), `organisation-mobil${path.includes('neonatal') ? '-grupp' : ''}.png`), fullPage: true });
  });
}

test('org chart on paper: the wide picture across the page, the phone one hidden', async () => {
  const page = await newPage(env.browser, { width: 794, height: 1123 });
  await page.emulateMedia({ media: 'print' });
  await page.goto(env.server.base + '/organisation');
  const shown = await shownChart(page);
  assert.equal(shown.length, 1);
  assert.equal(shown[0].layout, 'wide');
  assert.ok(shown[0].textPx >= 11, `text printed at ${shown[0].textPx.toFixed(1)} px`);
  assert.ok(!shown[0].overflows, 'fits the page width');
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  assert.ok(pdf.length > 1000, 'Chromium prints it');
});

test('org chart on a desktop screen: the wide picture at its natural size', async () => {
  const page = await newPage(env.browser, { width: 1280, height: 900 });
  await page.goto(env.server.base + '/organisation');
  const shown = await shownChart(page);
  assert.equal(shown.length, 1);
  assert.equal(shown[0].layout, 'wide');
  assert.ok(shown[0].textPx >= 13, `text drawn at ${shown[0].textPx.toFixed(1)} px`);
});
