// Search as a reader uses it: from the box in the header of any page, with the
// keyboard, to the hits, a facet, "menade du" and a hit's page; a member sees the
// group's unpublished minutes and a page that axe-core passes in both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, newPage, assertAccessible, signIn } from '../lib/harness.mjs';

const env = useServerAndBrowser();

test('search from the header with the keyboard, narrow down, follow a hit', async () => {
  const page = await newPage(env.browser);
  await page.goto(env.server.base + '/grupper/samordningsrad-neurologi');
  const box = page.getByRole('search').getByLabel('Sök i registret');
  await box.focus();
  await page.keyboard.type('väntetiden');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/sok\?q=/);
  assert.equal(await page.locator('h1').innerText(), 'Sök');
  assert.match(await page.getByRole('status').innerText(), /träff/);
  const first = page.locator('ol.hits li').first();
  assert.match(await first.innerText(), /Gemensam uppföljning av väntetider/);
  assert.equal(await first.locator('h3 mark').first().innerText(), 'väntetider');
  // A facet: only matters; it is marked as chosen and can be taken away.
  await page.locator('section.facets').getByRole('link', { name: 'Gruppärende' }).click();
  assert.match(page.url(), /typ=matter/);
  assert.equal(await page.locator('section.facets a[aria-current]').first().innerText(), 'Gruppärende');
  const metas = await page.locator('ol.hits .meta').allInnerTexts();
  assert.ok(metas.length > 0, 'the facet leaves hits to look at');
  for (const meta of metas) {
    assert.match(meta, /^Gruppärende/);
  }
  await page.getByRole('link', { name: 'Ta bort avgränsningarna' }).click();
  assert.doesNotMatch(page.url(), /typ=/);
  await page.locator('ol.hits li').first().getByRole('link').click();
  assert.match(page.url(), /\/grupparenden\/\d+$/);
});

test('a misspelling offers "menade du" and the corrected search', async () => {
  const page = await newPage(env.browser);
  await page.goto(env.server.base + '/sok?q=' + encodeURIComponent('rättspsykiarti'));
  const hint = page.locator('p.suggestion');
  assert.match(await hint.innerText(), /Menade du rättspsykiatri\?/);
  await hint.getByRole('link').click();
  assert.equal(await page.getByLabel('Sök i registret').inputValue(), 'rättspsykiatri');
  assert.equal(await page.locator('p.suggestion').count(), 0);
  assert.match(await page.locator('ol.hits li').first().innerText(), /rättspsykiatri/i);
});

test('people are found by those who may read people, and the page passes axe-core in both languages', async () => {
  const page = await newPage(env.browser);
  await page.goto(env.server.base + '/sok?q=Dummyhed');
  assert.equal(await page.locator('ol.hits li').count(), 0, 'anonymous readers do not find people');
  await signIn(page, env.server.base, 'koordinator.samordningsrad-neurologi@demo.samordna.example', 'samordna-demo-2026');
  await page.goto(env.server.base + '/sok?q=Dummyhed');
  assert.ok((await page.locator('ol.hits li').count()) > 0, 'a signed-in employee finds people');
  assert.match(await page.locator('ol.hits .meta').first().innerText(), /^Person/);
  await assertAccessible(page, 'search signed in (sv)');
  await page.goto(env.server.base + '/sprak/en?till=' + encodeURIComponent('/sok?q=Dummyhed'));
  assert.equal(await page.locator('h1').innerText(), 'Search');
  await assertAccessible(page, 'search signed in (en)');
});
