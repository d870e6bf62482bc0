// Signing in with a password, editing a membership, and the conflict page when two
// people save the same membership; axe-core on every page on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startBrowser, newPage, assertAccessible as clean } from '../lib/harness.mjs';

const ADMIN = { email: 'registerhallare@region.example', name: 'Rut Registerhållare', role: 'admin', password: 'ett långt och hemligt lösenord' };

let server;
let browser;
before(async () => {
  server = await startServer({ users: [ADMIN] });
  browser = await startBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page) {
  await page.goto(server.base + '/');
  await page.getByRole('link', { name: 'Logga in', exact: true }).click();
  await clean(page, 'sign-in page');
  await page.getByLabel(/^E-postadress/).fill(ADMIN.email);
  await page.getByLabel(/^Lösenord/).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  assert.ok(await page.getByRole('link', { name: ADMIN.name }).isVisible(), 'signed in');
}

test('a wrong password says so next to the field', async () => {
  const page = await newPage(browser);
  await page.goto(server.base + '/logga-in');
  await page.getByLabel(/^E-postadress/).fill(ADMIN.email);
  await page.getByLabel(/^Lösenord/).fill('fel');
  await page.getByRole('button', { name: 'Logga in' }).click();
  assert.match(await page.locator('.field-error').innerText(), /Fel e-postadress eller lösenord/);
  await clean(page, 'failed sign-in');
});

test('the register keeper adds a person and a membership, then edits it', async () => {
  const page = await newPage(browser);
  await signIn(page);
  // An administration and a person to appoint.
  await page.goto(server.base + '/forvaltningar');
  await clean(page, 'administrations');
  await page.getByRole('link', { name: 'Lägg till förvaltning' }).click();
  await clean(page, 'new administration');
  await page.getByLabel(/^Namn/).fill('Skaraborgs Sjukhus');
  await page.getByRole('button', { name: 'Spara' }).click();
  await page.goto(server.base + '/personer/ny');
  await page.getByRole('button', { name: 'Spara' }).click();
  assert.match(await page.locator('#e-name').innerText(), /Fyll i namn/, 'validation next to the field');
  await clean(page, 'person form with errors');
  await page.getByLabel(/^Namn/).fill('Maja Medlem');
  await page.getByLabel('Titel').fill('Verksamhetschef');
  await page.getByLabel('Förvaltning').selectOption({ label: 'Skaraborgs Sjukhus' });
  await page.getByRole('button', { name: 'Spara' }).click();
  assert.ok(await page.getByRole('link', { name: 'Maja Medlem' }).isVisible());
  await clean(page, 'people');

  // The group's members: add Maja as deltagare.
  await page.goto(server.base + '/grupper/samordningsgrupp-for-neonatalvarden');
  await page.getByRole('link', { name: 'Medlemmar', exact: true }).click();
  await clean(page, 'members, empty');
  await page.getByRole('link', { name: 'Lägg till medlem' }).click();
  await page.getByLabel(/^Person/).selectOption({ label: 'Maja Medlem' });
  await page.getByLabel('Roll').selectOption({ label: 'Deltagare' });
  await page.getByLabel('För förvaltning').selectOption({ label: 'Skaraborgs Sjukhus' });
  await page.getByLabel(/^Från och med/).fill('2025-01-01');
  await clean(page, 'new membership');
  await page.getByRole('button', { name: 'Spara' }).click();
  const row = page.locator('tbody tr', { hasText: 'Maja Medlem' });
  assert.match(await row.innerText(), /Deltagare\s+Skaraborgs Sjukhus\s+2025-01-01/);
  await clean(page, 'members');

  // Make her vice chair.
  await row.getByRole('link', { name: 'Ändra Maja Medlem' }).click();
  await page.getByLabel('Roll').selectOption({ label: 'Vice ordförande' });
  await page.getByRole('button', { name: 'Spara' }).click();
  assert.match(await page.locator('tbody tr', { hasText: 'Maja Medlem' }).innerText(), /Vice ordförande/);
});

test('two people save the same membership: the second gets the conflict page', async () => {
  const first = await newPage(browser);
  const second = await newPage(browser);
  await signIn(first);
  await signIn(second);
  await first.goto(server.base + '/grupper/samordningsgrupp-for-neonatalvarden/medlemmar');
  const edit = await first.getByRole('link', { name: 'Ändra Maja Medlem' }).getAttribute('href');
  await first.goto(server.base + edit);
  await second.goto(server.base + edit);
  await first.getByLabel('Till och med').fill('2026-12-31');
  await first.getByRole('button', { name: 'Spara' }).click();
  await second.getByLabel('Roll').selectOption({ label: 'Ordförande' });
  await second.getByRole('button', { name: 'Spara' }).click();
  assert.equal(await second.locator('h1').innerText(), 'Någon annan har sparat ändringar');
  const table = await second.locator('table').innerText();
  assert.match(table, /Roll\s+Ordförande\s+Vice ordförande/, 'yours and the saved one side by side');
  assert.match(table, /Till och med\s+2026-12-31/);
  await clean(second, 'conflict page');
  await second.getByRole('link', { name: 'Öppna formuläret med den sparade versionen' }).click();
  assert.equal(await second.getByLabel('Till och med').inputValue(), '2026-12-31', 'the first save survived');
});

test('the account page, API keys and the audit log are accessible', async () => {
  const page = await newPage(browser);
  await signIn(page);
  await page.getByRole('link', { name: ADMIN.name }).click();
  await page.getByLabel('Nyckelns namn').fill('Rapportskript');
  await page.getByRole('button', { name: 'Skapa API-nyckel' }).click();
  const key = await page.locator('#ny-nyckel').innerText();
  assert.match(key, /^smd_/);
  await clean(page, 'account');
  // A calendar link: its address is on the page to copy; it reads the calendar and
  // nothing else, and stops working when revoked.
  await page.getByRole('button', { name: 'Skapa kalenderlänk' }).click();
  const address = await page.locator('code.address').first().innerText();
  assert.match(address, /\/kalender\/[A-Za-z0-9_-]+\.ics$/);
  await clean(page, 'account with a calendar link');
  const path = new URL(address).pathname;
  const ics = await page.request.get(server.base + path);
  assert.equal(ics.status(), 200);
  assert.match(await ics.text(), /^BEGIN:VCALENDAR/);
  const secret = path.split('/').pop().replace('.ics', '');
  const asKey = await page.request.get(server.base + '/api/v1/organizations/samordningsgrupp-for-neonatalvarden/memberships', { headers: { Authorization: `Bearer ${secret}` } });
  assert.equal(asKey.status(), 401, 'a calendar link is no API key');
  await page.getByRole('button', { name: /^Återkalla kalenderlänken/ }).click();
  assert.equal((await page.request.get(server.base + path)).status(), 404, 'revoked');
  const api = await page.request.get(server.base + '/api/v1/personer'.replace('personer', 'organizations/samordningsgrupp-for-neonatalvarden/memberships'), { headers: { Authorization: `Bearer ${key}` } });
  assert.equal(api.status(), 200);
  await page.goto(server.base + '/admin/logg');
  assert.match(await page.locator('table').innerText(), /membership\.updated/);
  await clean(page, 'audit log');
  await page.getByRole('button', { name: 'Logga ut' }).click();
  assert.ok(await page.getByRole('link', { name: 'Logga in', exact: true }).isVisible());
});
