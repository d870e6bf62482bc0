// The compliance pages as a coordinator uses them: a finding on the group page leads
// to the form that records an exception, the exception clears the finding, and the
// region-wide table sorts by any column from the keyboard. axe-core on every state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, newPage, assertAccessible as clean, signIn as signInAs } from '../lib/harness.mjs';

const ADMIN = { email: 'rut@region.example', name: 'Rut Registerhållare', role: 'admin', password: 'ett långt och hemligt lösenord' };
const GROUP = '/grupper/samordningsgrupp-for-neonatalvarden';

const env = useServerAndBrowser({ users: [ADMIN] });

const signIn = (page) => signInAs(page, env.server.base, ADMIN.email, ADMIN.password);

test('a finding leads to an exception that clears it', async () => {
  const page = await newPage(env.browser);
  await signIn(page);
  await page.goto(env.server.base + GROUP);
  const finding = page.locator('#fynd-meeting-frequency');
  assert.ok(await finding.isVisible(), 'no meetings last year under a charter from 2023');
  assert.match(await finding.locator('blockquote').innerText(), /Mötesfrekvens: 4 – 8 ggr\/år/);
  await finding.getByRole('link', { name: 'Registrera undantag' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Undantag för Samordningsgrupp för neonatalvården');
  assert.equal(await page.getByLabel('Regel').inputValue(), 'meeting-frequency', 'the rule is chosen');
  await clean(page, 'exception form');

  // A date in the past and no reason: both named, next to their fields and on top.
  await page.getByLabel(/^Gäller till och med/).fill('2020-01-01');
  await page.getByRole('button', { name: 'Registrera undantaget' }).click();
  const summary = page.getByRole('alert');
  assert.match(await summary.innerText(), /Slutdatumet har redan passerat/);
  assert.match(await summary.innerText(), /Skriv skälet till undantaget/);
  await clean(page, 'exception form with errors');
  await summary.getByRole('link', { name: /Skäl/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-reason', 'the summary link moves to the field');

  const until = new Date(Date.now() + 90 * 864e5).toISOString().slice(0, 10);
  await page.getByLabel(/^Gäller till och med/).fill(until);
  await page.getByLabel('Skäl').fill('Två möten avtalade med kontaktpersonen');
  await page.getByRole('button', { name: 'Registrera undantaget' }).click();
  const row = page.getByRole('row', { name: /Två möten avtalade med kontaktpersonen/ });
  assert.match(await row.innerText(), new RegExp(`meeting-frequency\\s+${until}`));
  assert.match(await row.innerText(), /Rut Registerhållare/);
  await clean(page, 'exception list');
  await page.getByRole('button', { name: 'Avsluta i dag meeting-frequency' }).click();
  assert.match(await row.innerText(), /har löpt ut/, 'ended early, still listed');
  await page.goto(env.server.base + GROUP);
  assert.ok(await page.locator('#fynd-meeting-frequency').isVisible(), 'the finding is back');

  // Recorded again, for the rest of this test.
  await page.goto(env.server.base + GROUP + '/undantag?regel=meeting-frequency');
  await page.getByLabel(/^Gäller till och med/).fill(until);
  await page.getByLabel('Skäl').fill('Ett nytt avtal med kontaktpersonen');
  await page.getByRole('button', { name: 'Registrera undantaget' }).click();

  await page.getByRole('link', { name: 'Samordningsgrupp för neonatalvården' }).first().click();
  assert.equal(await page.locator('#fynd-meeting-frequency').count(), 0, 'the finding is cleared');
});

test('the dashboard sorts by a rule from the keyboard and links to the finding', async () => {
  const page = await newPage(env.browser);
  await signIn(page);
  await page.goto(env.server.base + '/regelefterlevnad');
  const firstRow = () => page.locator('table.compliance tbody tr th').first().innerText();
  assert.equal(await page.locator('th[aria-sort="ascending"]').innerText(), 'Grupp');
  const header = page.getByRole('link', { name: 'charter-undecided' });
  let focused = false;
  for (let i = 0; i < 80 && !focused; i++) {
    await page.keyboard.press('Tab');
    focused = await header.evaluate((a) => a === document.activeElement);
  }
  assert.ok(focused, 'the column header is reachable with Tab');
  await page.keyboard.press('Enter');
  await page.waitForURL(/ordning=charter-undecided/);
  assert.equal(await page.locator('th[aria-sort="descending"]').innerText(), 'charter-undecided');
  assert.equal(await firstRow(), 'Samordningsråd rättspsykiatri', 'the undecided charter first');
  assert.match(await page.locator('caption').innerText(), /sorterad efter charter-undecided/);
  await clean(page, 'sorted dashboard');
  await page.locator('table.compliance tbody tr').first().getByRole('link', { name: '✗ fel' }).first().click();
  assert.equal(new URL(page.url()).hash, '#fynd-charter-undecided');
  assert.ok(await page.locator('#fynd-charter-undecided').isVisible());
});

test('the dashboard and the exception form in English are accessible too', async () => {
  const page = await newPage(env.browser);
  await signIn(page);
  await page.goto(env.server.base + '/regelefterlevnad?ordning=allvar');
  await page.getByRole('link', { name: 'English' }).click();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.match(await page.locator('caption').innerText(), /sorted by Most serious/);
  await clean(page, 'dashboard (en)');
  await page.goto(env.server.base + GROUP + '/undantag');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.locator('h1').innerText(), 'Exceptions for Samordningsgrupp för neonatalvården');
  await page.getByRole('button', { name: 'Record the exception' }).click();
  assert.match(await page.getByRole('alert').innerText(), /Choose a rule from the list/);
  await clean(page, 'exception form with errors (en)');
});
