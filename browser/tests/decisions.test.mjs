// What a group decides, on which mandate, and who must hear of it: the coordinator
// builds an agenda from the group's template and records a decision on the
// members' mandates and one no mandate covers; the latter is escalated where the
// charter says and the council's chair answers it; a representative anchors the
// first; an action from the meeting appears on the next meeting's agenda. Forms
// are filled from the keyboard where it matters, and every page passes axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, startBrowser, newPage, repo, assertAccessible as clean, signIn as signInAs } from '../lib/harness.mjs';

const ADMIN = { email: 'rut@region.example', name: 'Rut Registerhållare', role: 'admin', password: 'ett långt och hemligt lösenord' };
const DIRECTOR = { email: 'dora@region.example', name: 'Dora Direktör', role: 'director', password: 'ett långt och hemligt lösenord' };
const PASSWORD = 'ett annat långt lösenord';
const DEMO = 'samordna-demo-2026';
const GROUP = '/grupper/samordningsgrupp-for-neonatalvarden';
const demo = (role, slug) => `${role}.${slug}@demo.samordna.example`;

let server;
let browser;
before(async () => {
  server = await startServer({ users: [ADMIN, DIRECTOR] });
  browser = await startBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const signIn = async (email, password = DEMO) => {
  const page = await newPage(browser);
  await signInAs(page, server.base, email, password);
  return page;
};

/** The register keeper adds a representative of an administration, with an account. */
async function representative(admin, name, email, administration) {
  await admin.goto(server.base + '/personer/ny');
  await admin.getByLabel(/^Namn/).fill(name);
  await admin.getByRole('button', { name: 'Spara' }).click();
  const href = await admin.getByRole('link', { name }).getAttribute('href');
  const personId = href.match(/\/personer\/(\d+)\//)[1];
  await admin.goto(server.base + GROUP + '/medlemmar/ny');
  await admin.getByLabel(/^Person/).selectOption({ label: name });
  await admin.getByLabel('Roll').selectOption({ label: 'Deltagare' });
  await admin.getByLabel('För förvaltning').selectOption({ label: administration });
  await admin.getByLabel(/^Från och med/).fill('2025-01-01');
  await admin.getByRole('button', { name: 'Spara' }).click();
  const bin = process.env.SAMORDNA_BIN || join(repo, 'target/debug/samordna');
  const r = spawnSync(bin, ['--db', server.db, 'user', 'add', '--email', email, '--name', name, '--person-id', personId], { input: `${PASSWORD}\n`, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

/** Plans a meeting on `date` through the form; returns its path. */
async function plan(page, date) {
  await page.goto(server.base + GROUP + '/moten/ny');
  await page.getByLabel(/^Datum/).fill(date);
  await page.getByLabel(/^Starttid/).fill('09:00');
  await page.getByLabel(/^Sluttid/).fill('11:00');
  await page.getByRole('button', { name: 'Spara' }).click();
  return new URL(page.url()).pathname;
}

test('a decision from agenda to anchoring, an escalation answered, an action followed up', async () => {
  const admin = await newPage(browser);
  await signInAs(admin, server.base, ADMIN.email, ADMIN.password);
  await representative(admin, 'Ada Andersson', 'ada@region.example', 'Sahlgrenska Universitetssjukhuset');

  // The agenda from the group's template.
  const kim = await signIn(demo('koordinator', 'samordningsgrupp-for-neonatalvarden'));
  const meeting = await plan(kim, '2026-10-05');
  await kim.getByRole('button', { name: 'Fyll i från dagordningsmallen' }).click();
  assert.match(await kim.locator('ol.agenda').innerText(), /Mötets öppnande[\s\S]*Uppföljning av åtgärder[\s\S]*Övriga frågor/);
  await clean(kim, 'meeting with the template agenda');

  // A decision on the members' mandates, binding Sahlgrenska.
  await kim.getByRole('link', { name: 'Registrera beslut' }).click();
  await clean(kim, 'decision form');
  await kim.getByLabel('Dagordningspunkt').selectOption({ label: '§ 4 Information från förvaltningarna' });
  await kim.getByLabel('Beslut', { exact: true }).fill('Gemensam rutin för överflyttning av nyfödda införs.');
  await kim.getByLabel('Grund för beslutet').selectOption({ label: 'Ledamöternas mandat i sina förvaltningar' });
  await kim.getByLabel('Sahlgrenska Universitetssjukhuset').check();
  await kim.getByRole('button', { name: 'Registrera beslutet' }).click();
  assert.match(await kim.locator('h1').innerText(), /^Beslut \d{4}-\d{2}-\d{2} § 4$/);
  const mandated = new URL(kim.url()).pathname;
  assert.match(await kim.locator('main').innerText(), /syns bara för gruppen/);
  await clean(kim, 'decision page, unpublished');

  // One no mandate covers, entered from the keyboard alone.
  await kim.goto(server.base + meeting + '/beslut');
  await kim.getByLabel('Beslut', { exact: true }).focus();
  await kim.keyboard.type('Jourlinjerna bemannas gemensamt av förvaltningarna.');
  await kim.keyboard.press('Tab');
  assert.equal(await kim.evaluate(() => document.activeElement.name), 'basis');
  await kim.getByLabel('Grund för beslutet').selectOption({ label: 'Inget mandat – ska eskaleras' });
  const millennium = kim.getByLabel('Gruppärende').locator('option', { hasText: 'Millennium' });
  await kim.getByLabel('Gruppärende').selectOption(await millennium.getAttribute('value'));
  await kim.getByRole('button', { name: 'Registrera beslutet' }).focus();
  await kim.keyboard.press('Enter');
  await kim.waitForURL(/\/beslut\/\d+$/);
  const unmandated = new URL(kim.url()).pathname;

  // Escalated where the charter says: via the chair of SOR barn.
  await kim.getByRole('link', { name: 'Eskalera frågan' }).click();
  const target = kim.getByLabel('Till', { exact: true });
  assert.equal(await target.locator('option:checked').innerText(), 'samordningsrådet (enligt uppdragshandlingen)');
  await clean(kim, 'escalation form');
  await kim.getByLabel('Fråga', { exact: true }).fill('Jourlinjerna berör flera förvaltningar. Kan rådet ta frågan?');
  await kim.getByRole('button', { name: 'Eskalera' }).click();
  assert.equal(new URL(kim.url()).pathname, unmandated);

  // The council's chair sees it among questions to them, and answers.
  const bodil = await signIn(demo('ordforande', 'samordningsrad-barn'));
  await bodil.getByRole('link', { name: 'Mina uppgifter' }).click();
  assert.match(await bodil.locator('main').innerText(), /Jourlinjerna berör flera förvaltningar/);
  await clean(bodil, 'my tasks, a question to answer');
  const question = bodil.locator('section.question', { hasText: 'Jourlinjerna berör' });
  await question.getByLabel('Svar').fill('Rådet tar frågan på sitt nästa möte.');
  await question.getByRole('button', { name: 'Skicka svaret' }).click();
  await kim.goto(server.base + unmandated);
  assert.match(await kim.locator('main').innerText(), /Rådet tar frågan på sitt nästa möte\./);
  assert.match(await kim.locator('main').innerText(), /besvarad/);
  // The answer returns to the asking group's matter.
  await kim.getByRole('link', { name: /Millennium/ }).click();
  assert.match(await kim.locator('main').innerText(), /Svar\s+Rådet tar frågan på sitt nästa möte\./);
  await clean(kim, 'matter with the answer');

  // The minutes are written, submitted, approved and published.
  await kim.goto(server.base + meeting);
  await kim.getByRole('link', { name: 'Skriv anteckningar' }).click();
  await kim.getByLabel('Anteckningar (Markdown)').fill('## 4. Information från förvaltningarna\nBeslut enligt beslutslistan.');
  await kim.getByRole('button', { name: 'Spara' }).click();
  await kim.getByRole('button', { name: 'Skicka till ordföranden för justering' }).click();
  const chair = await signIn(demo('ordforande', 'samordningsgrupp-for-neonatalvarden'));
  await chair.goto(server.base + meeting);
  await chair.getByRole('button', { name: 'Justera anteckningarna' }).click();
  await chair.getByRole('button', { name: 'Publicera anteckningarna' }).click();

  // The representative anchors it for Sahlgrenska; then it is anchored.
  const ada = await signIn('ada@region.example', PASSWORD);
  await ada.getByRole('link', { name: 'Mina uppgifter' }).click();
  await ada.getByRole('link', { name: /^Beslut .* § 4$/ }).first().click();
  assert.equal(new URL(ada.url()).pathname, mandated);
  assert.match(await ada.locator('main').innerText(), /Förankrat i 0 av 1 förvaltning;/);
  const today = new Date().toISOString().slice(0, 10);
  await ada.getByLabel('Förankrat den').fill(today);
  await ada.getByLabel('Facklig samverkan genomförd den').fill(today);
  await ada.getByRole('button', { name: /Spara förankring/ }).click();
  assert.match(await ada.locator('main').innerText(), /Förankrat i alla förvaltningar/);
  await clean(ada, 'decision page, anchored');
  const reader = await newPage(browser);
  await reader.goto(server.base + mandated);
  assert.match(await reader.locator('main').innerText(), /Samordningsråd barn/, 'the councils to be told, publicly');
  await reader.goto(server.base + GROUP + '/beslut');
  assert.match(await reader.locator('main').innerText(), /Gemensam rutin för överflyttning av nyfödda införs\./);

  // An action agreed at the meeting reaches the next meeting's agenda.
  await kim.goto(server.base + meeting);
  await kim.getByLabel('Åtgärd', { exact: true }).fill('Sammanställ transporterna 2026');
  await kim.getByLabel('Ansvarig').selectOption({ label: 'Ada Andersson' });
  await kim.getByRole('button', { name: 'Lägg till åtgärden' }).click();
  const next = await plan(kim, '2027-01-11');
  await kim.getByRole('button', { name: 'Fyll i från dagordningsmallen' }).click();
  assert.match(await kim.locator('ol.agenda').innerText(), /Uppföljning av åtgärder[\s\S]*Sammanställ transporterna 2026/);
  assert.equal(new URL(kim.url()).pathname, next);
  await ada.goto(server.base + '/mina-uppgifter');
  assert.match(await ada.locator('main').innerText(), /Sammanställ transporterna 2026/);

  // The same pages in English pass too.
  await reader.goto(server.base + mandated);
  await reader.getByRole('link', { name: 'English' }).click();
  assert.match(await reader.locator('h1').innerText(), /^Decision /);
  await clean(reader, 'decision page in English');
  await ada.getByRole('link', { name: 'English' }).click();
  assert.equal(await ada.locator('h1').innerText(), 'My tasks');
  await clean(ada, 'my tasks in English');
});

test('group matters: opened, moved, found by kind', async () => {
  const kim = await signIn(demo('koordinator', 'samordningsgrupp-for-neonatalvarden'));
  await kim.goto(server.base + GROUP + '/grupparenden');
  await kim.getByRole('link', { name: 'Nytt gruppärende' }).click();
  await clean(kim, 'matter form');
  await kim.getByRole('button', { name: 'Skapa ärendet' }).click();
  assert.match(await kim.locator('#felsammanfattning').innerText(), /Välj en typ ur listan/);
  await kim.getByLabel('Typ', { exact: true }).selectOption({ label: 'Remissvar' });
  await kim.getByLabel(/^Rubrik/).fill('Remiss: nationellt vårdförlopp prematuritet');
  await kim.getByLabel('Senast', { exact: true }).fill('2027-02-15');
  await kim.getByRole('button', { name: 'Skapa ärendet' }).click();
  assert.equal(await kim.locator('h1').innerText(), 'Remiss: nationellt vårdförlopp prematuritet');
  await kim.getByLabel('Ny status').selectOption({ label: 'bereds' });
  await kim.getByRole('button', { name: 'Ändra status' }).click();
  assert.match(await kim.locator('dl.facts').innerText(), /Status\s+bereds/);
  await clean(kim, 'matter page');
  await kim.goto(server.base + '/grupparenden?typ=remissvar');
  assert.match(await kim.locator('main').innerText(), /Remiss: nationellt vårdförlopp prematuritet/);
  await clean(kim, 'matters filtered');
});

test('a revision drafted, submitted, decided by the director, which sends it to its list', async () => {
  const kim = await signIn(demo('koordinator', 'samordningsgrupp-for-neonatalvarden'));
  await kim.goto(server.base + GROUP);
  await kim.getByRole('button', { name: 'Ny revision' }).click();
  assert.match(await kim.locator('h1').innerText(), /^Utkast: /);
  await clean(kim, 'draft page, coordinator');
  const purpose = kim.getByLabel('Syfte med uppdraget');
  await purpose.fill((await purpose.inputValue()) + ' Gruppen följer även upp transporterna av nyfödda.');
  await kim.getByRole('button', { name: 'Spara utkastet' }).click();
  assert.match(await kim.locator('main').innerText(), /ändrat/);
  await kim.getByRole('button', { name: 'Skicka för beslut' }).click();
  assert.match(await kim.locator('main').innerText(), /Inskickat för beslut/);

  // The director sees what changed, word by word, and decides.
  const dora = await signIn(DIRECTOR.email, DIRECTOR.password);
  await dora.goto(server.base + GROUP);
  await dora.getByRole('link', { name: 'Öppna utkastet' }).click();
  assert.match(await dora.locator('ins').first().innerText(), /transporterna av nyfödda/);
  await clean(dora, 'draft page, director');
  await dora.getByLabel('Beslutsfattarens titel').fill('Hälso- och sjukvårdsdirektör');
  await dora.getByRole('button', { name: 'Besluta' }).click();
  assert.match(new URL(dora.url()).pathname, /\/uppdragshandlingar\/2$/);
  const today = new Date().toISOString().slice(0, 10);
  assert.match(await dora.locator('main').innerText(), new RegExp(`Datum för beslut: ${today}`));
  await clean(dora, 'the decided version');

  // In force, and sent to its distribution list by the decision itself.
  await kim.goto(server.base + GROUP + '/uppdragshandlingar/2');
  assert.match(await kim.locator('section[aria-labelledby="utskick"]').innerText(), /köad/);
  assert.equal(await kim.getByRole('button', { name: 'Skicka till sändlistan' }).count(), 0);
  await clean(kim, 'the version sent');
  await dora.getByRole('link', { name: 'English' }).click();
  await clean(dora, 'the decided version in English');
});
