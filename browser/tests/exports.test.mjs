// Exports as an archivist reaches them: from the audit log to the exports page with
// the keyboard, axe-core in both languages, and an XLSX download that is a
// spreadsheet (a ZIP file with a workbook).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, newPage, assertAccessible as clean } from '../lib/harness.mjs';

const ADMIN = { email: 'arkivarie@region.example', name: 'Ada Arkivarie', role: 'admin', password: 'ett långt och hemligt lösenord' };

const env = useServerAndBrowser({ users: [ADMIN] });

/** Signs in on the sign-in page in either language (fields by name, not label). */
async function signIn(lang) {
  const page = await newPage(env.browser, { lang });
  await page.goto(env.server.base + '/logga-in');
  await page.locator('input[type=email], input[name=email]').first().fill(ADMIN.email);
  await page.locator('input[type=password]').first().fill(ADMIN.password);
  await page.locator('form button[type=submit]').last().click();
  assert.ok(await page.getByRole('link', { name: ADMIN.name }).isVisible(), 'signed in');
  return page;
}

for (const lang of ['sv', 'en']) {
  test(`exports page (${lang}) has no WCAG 2.1 A/AA violations`, async () => {
    const page = await signIn(lang);
    await page.goto(env.server.base + '/export');
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    await clean(page, `exports (${lang})`);
  });
}

test('an archivist reaches the exports from the log with the keyboard and gets a workbook', async () => {
  const page = await signIn('sv');
  await page.goto(env.server.base + '/admin/logg');
  const link = page.getByRole('link', { name: 'Exporter (XLSX och CSV)' });
  await link.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/export$/);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Exporter');
  const xlsx = page.getByRole('link', { name: 'Medlemmar som XLSX' });
  const [download] = await Promise.all([page.waitForEvent('download'), xlsx.click()]);
  assert.equal(download.suggestedFilename(), 'samordna-medlemmar.xlsx');
  const bytes = await (await import('node:fs/promises')).readFile(await download.path());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an XLSX file is a ZIP archive');
  await page.goto(env.server.base + '/admin/logg');
  assert.match(await page.locator('table').innerText(), /medlemmar \(personuppgifter, xlsx\)/);
});
