// A meeting from plan to published minutes: the coordinator plans it, builds the
// agenda, drafts and submits the minutes; the chair approves and (this group
// publishes in a separate step) publishes; only then does an anonymous reader see
// them on the group's page and in its feed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, startBrowser, newPage, repo, assertAccessible as clean, signIn as signInAs } from '../lib/harness.mjs';
import { join } from 'node:path';

const ADMIN = { email: 'rut@region.example', name: 'Rut Registerhållare', role: 'admin', password: 'ett långt och hemligt lösenord' };
const PASSWORD = 'ett annat långt lösenord';
const GROUP = '/grupper/samordningsgrupp-for-neonatalvarden';
const TEXT = 'Beslut: gemensam rutin för transporter av nyfödda antas.';

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

const signIn = (page, email, password) => signInAs(page, server.base, email, password);

/** The register keeper adds a person with a role in the neonatal group and an account. */
async function member(admin, name, email, role) {
  await admin.goto(server.base + '/personer/ny');
  await admin.getByLabel(/^Namn/).fill(name);
  await admin.getByRole('button', { name: 'Spara' }).click();
  const href = await admin.getByRole('link', { name }).getAttribute('href');
  const personId = href.match(/\/personer\/(\d+)\//)[1];
  await admin.goto(server.base + GROUP + '/medlemmar/ny');
  await admin.getByLabel(/^Person/).selectOption({ label: name });
  await admin.getByLabel('Roll').selectOption({ label: role });
  await admin.getByLabel(/^Från och med/).fill('2025-01-01');
  await admin.getByRole('button', { name: 'Spara' }).click();
  const bin = process.env.SAMORDNA_BIN || join(repo, 'target/debug/samordna');
  const r = spawnSync(bin, ['--db', server.db, 'user', 'add', '--email', email, '--name', name, '--person-id', personId], { input: `${PASSWORD}\n`, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

test('plan, agenda, minutes, approval, publication', async () => {
  const admin = await newPage(browser);
  await signIn(admin, ADMIN.email, ADMIN.password);
  await member(admin, 'Kim Koordinator', 'kim@region.example', 'Koordinator');
  await member(admin, 'Cleo Ordförande', 'cleo@region.example', 'Ordförande');

  // The coordinator plans the meeting and builds the agenda.
  const kim = await newPage(browser);
  await signIn(kim, 'kim@region.example', PASSWORD);
  await kim.goto(server.base + GROUP);
  assert.ok(await kim.getByRole('heading', { name: 'Regelefterlevnad' }).isVisible(), 'findings for the group');
  await clean(kim, 'group page with members and findings');
  await kim.getByRole('link', { name: 'Regelefterlevnad', exact: true }).click();
  assert.equal(await kim.locator('h1').innerText(), 'Regelefterlevnad i regionen');
  await clean(kim, 'compliance dashboard');
  await kim.goto(server.base + GROUP);
  await kim.getByRole('link', { name: 'Möten', exact: true }).click();
  await clean(kim, 'meetings list');
  await kim.getByRole('link', { name: 'Planera ett möte' }).click();
  await clean(kim, 'meeting form');
  await kim.getByLabel(/^Datum/).fill('2026-03-02');
  await kim.getByLabel(/^Starttid/).fill('09:00');
  await kim.getByLabel(/^Sluttid/).fill('11:00');
  await kim.getByLabel('Plats').fill('Regionens hus, Vänersborg');
  await kim.getByRole('button', { name: 'Spara' }).click();
  assert.match(await kim.locator('h1').innerText(), /Möte 2026-03-02 – Samordningsgrupp för neonatalvården/);
  const meeting = new URL(kim.url()).pathname;
  for (const item of ['Mötets öppnande', 'Transporter av nyfödda']) {
    await kim.getByLabel('Rubrik').fill(item);
    await kim.getByRole('button', { name: 'Lägg till punkt' }).click();
  }
  // An attachment to item 2, served back with its type and checksum.
  await kim.getByLabel('Punkt', { exact: true }).selectOption({ label: '2. Transporter av nyfödda' });
  await kim.getByLabel('Fil', { exact: true }).setInputFiles({ name: 'underlag-transporter.txt', mimeType: 'text/plain', buffer: Buffer.from('Underlag: 42 transporter 2025.') });
  await kim.getByRole('button', { name: 'Ladda upp' }).click();
  const link = kim.getByRole('link', { name: /Bilaga: underlag-transporter\.txt/ });
  const file = await kim.request.get(server.base + await link.getAttribute('href'));
  assert.equal(file.status(), 200);
  assert.match(file.headers()['content-type'], /^text\/plain/);
  assert.equal(await file.text(), 'Underlag: 42 transporter 2025.');
  assert.match(file.headers()['x-content-sha256'], /^[0-9a-f]{64}$/);
  await kim.getByLabel('Fil', { exact: true }).setInputFiles({ name: 'program.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
  await kim.getByRole('button', { name: 'Ladda upp' }).click();
  assert.match(await kim.locator('main').innerText(), /Filtypen tas inte emot/);
  await kim.goto(server.base + meeting);
  await kim.getByRole('button', { name: 'Publicera dagordningen för medlemmarna' }).click();
  assert.match(await kim.locator('ol.agenda').innerText(), /Mötets öppnande[\s\S]*Transporter av nyfödda/);
  await clean(kim, 'meeting page, coordinator');

  // Who attended: members ticked, a guest by name.
  await kim.getByLabel('Cleo Ordförande').check();
  await kim.getByLabel('Kim Koordinator').check();
  await kim.getByLabel('Gäster').fill('Gun Gästföreläsare');
  await kim.getByRole('button', { name: 'Spara närvaro' }).click();
  const present = await kim.locator('h2:has-text("Närvaro") + ul').innerText();
  assert.match(present, /Cleo Ordförande\s+deltagare/);
  assert.match(present, /Gun Gästföreläsare\s+gäst/);

  // The coordinator drafts the minutes and submits them.
  await kim.getByRole('link', { name: 'Skriv anteckningar' }).click();
  const body = kim.getByLabel('Anteckningar (Markdown)');
  assert.match(await body.inputValue(), /## 2\. Transporter av nyfödda/, 'the draft starts from the agenda');
  await clean(kim, 'minutes form');
  await body.fill(`## 1. Mötets öppnande\nOrdföranden öppnade mötet.\n\n## 2. Transporter av nyfödda\n${TEXT}`);
  await kim.getByRole('button', { name: 'Spara' }).click();
  await kim.getByRole('button', { name: 'Skicka till ordföranden för justering' }).click();
  assert.match(await kim.locator('main').innerText(), /Väntar på justering av ordföranden/);

  // Before approval a reader outside the group sees nothing of it.
  const reader = await newPage(browser);
  await reader.goto(server.base + meeting);
  assert.doesNotMatch(await reader.locator('main').innerText(), /transporter av nyfödda antas/);
  await clean(reader, 'meeting page, anonymous');
  await reader.goto(server.base + GROUP);
  assert.equal(await reader.getByRole('link', { name: 'Mötet 2026-03-02 (version 1)' }).count(), 0);
  let feed = await reader.request.get(server.base + GROUP + '/anteckningar.atom');
  const entriesBefore = ((await feed.text()).match(/<entry>/g) || []).length;
  assert.doesNotMatch(await feed.text(), new RegExp(meeting + '#v1'));

  // The chair approves.
  const cleo = await newPage(browser);
  await signIn(cleo, 'cleo@region.example', PASSWORD);
  await cleo.goto(server.base + meeting);
  await clean(cleo, 'meeting page, chair');
  await cleo.getByRole('button', { name: 'Justera anteckningarna' }).click();
  // This group publishes in a step of its own: approved is not yet public.
  assert.match(await cleo.locator('main').innerText(), /Justerad \d{4}-\d{2}-\d{2} av Cleo Ordförande; inte publicerad ännu/);
  await reader.goto(server.base + meeting);
  assert.doesNotMatch(await reader.locator('main').innerText(), /transporter av nyfödda antas/, 'approved but unpublished stays inside');
  await cleo.getByRole('button', { name: 'Publicera anteckningarna' }).click();
  assert.match(await cleo.locator('main').innerText(), /Justerad \d{4}-\d{2}-\d{2} av Cleo Ordförande och publicerad/);

  // Now the reader finds them on the group's page and in the feed.
  await reader.goto(server.base + GROUP);
  await reader.getByRole('link', { name: 'Mötet 2026-03-02 (version 1)' }).click();
  assert.match(await reader.locator('main').innerText(), /transporter av nyfödda antas/);
  feed = await reader.request.get(server.base + GROUP + '/anteckningar.atom');
  const text = await feed.text();
  assert.equal(text.match(/<entry>/g).length, entriesBefore + 1);
  assert.match(text, new RegExp(meeting + '#v1'));
  const english = await newPage(browser, { lang: 'en' });
  await english.goto(server.base + meeting);
  assert.match(await english.locator('main').innerText(), /Approved \d{4}-\d{2}-\d{2} by Cleo Ordförande and published/);
  await clean(english, 'meeting page, English');
  await english.goto(server.base + GROUP + '/moten');
  await clean(english, 'meetings list, English');

  // The coordinator's forms, in both languages.
  for (const lang of ['en', 'sv']) {
    await kim.goto(`${server.base}/sprak/${lang}?till=${GROUP}/moten/planera-ar`);
    assert.equal(await kim.locator('html').getAttribute('lang'), lang);
    await clean(kim, `year planner (${lang})`);
    await kim.goto(server.base + GROUP + '/moten/ny');
    await clean(kim, `meeting form (${lang})`);
    await kim.goto(server.base + meeting + '/redigera');
    await clean(kim, `meeting edit form (${lang})`);
    await kim.goto(server.base + meeting + '/anteckningar');
    await clean(kim, `minutes form (${lang})`);
    await kim.goto(server.base + meeting);
    await clean(kim, `meeting page with attendance and attachments (${lang})`);
  }
});
