// The charter lifecycle end to end (issue 13): the coordinator of SOR
// rättspsykiatri starts a revision from the 2026 template, edits a duty and the
// meeting frequency and submits it; the director sees what changed against the
// 2024 version and decides; the version is in force and the register shows the
// new frequency without any other step; the chair and the coordinator receive
// the decided document as PDF by mail (a real SMTP server on loopback, through
// the real binary); and `samordna check` finds nothing wrong with its
// distribution. axe-core on every page, in Swedish and English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, startBrowser, newPage, freePort, repo, assertAccessible as clean, signIn as signInAs } from '../lib/harness.mjs';

const DIRECTOR = { email: 'dora@region.example', name: 'Dora Direktör', role: 'director', password: 'ett långt och hemligt lösenord' };
const DEMO = 'samordna-demo-2026';
const SLUG = 'samordningsrad-rattspsykiatri';
const GROUP = `/grupper/${SLUG}`;
const demo = (role) => `${role}.${SLUG}@demo.samordna.example`;

let server;
let browser;
let smtp;
let maildir;
before(async () => {
  maildir = mkdtempSync(join(tmpdir(), 'samordna-mail-'));
  const port = await freePort();
  smtp = spawn('python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', join(maildir, 'box')], { stdio: 'ignore' });
  server = await startServer({
    users: [DIRECTOR],
    args: ['--smtp-host', '127.0.0.1', '--smtp-port', String(port), '--smtp-plain', '--mail-interval', '1'],
  });
  browser = await startBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  smtp?.kill();
  rmSync(maildir, { recursive: true, force: true });
});

const signIn = async (email, password = DEMO) => {
  const page = await newPage(browser);
  await signInAs(page, server.base, email, password);
  return page;
};

/** The mails in the Maildir, read by Python's email package. */
function mails() {
  const script = `
import sys, json, mailbox, os
box = sys.argv[1]
out = []
if os.path.isdir(os.path.join(box, "new")):
    for key, msg in mailbox.Maildir(box, create=False).items():
        files = [(p.get_filename(), p.get_content_type(), p.get_payload(decode=True)[:5].decode("latin-1")) for p in msg.walk() if p.get_content_disposition() == "attachment"]
        out.append({"to": str(msg["To"]), "subject": str(msg["Subject"]), "files": files})
print(json.dumps(out))
`;
  const r = spawnSync('python3', ['-c', script, join(maildir, 'box')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('a revision from the 2026 template, decided, in the register and mailed as PDF', async () => {
  const kim = await signIn(demo('koordinator'));
  await kim.goto(server.base + GROUP);
  assert.match(await kim.locator('main').innerText(), /4–8 möten per år/);
  await kim.getByRole('button', { name: /Ny revision från mallen/ }).click();
  assert.match(await kim.locator('h1').innerText(), /^Utkast: /);
  await clean(kim, 'draft from the template, coordinator');

  // A duty and the frequency, edited as text.
  const duties = kim.getByLabel('Uppdragsbeskrivning', { exact: true });
  const dutiesText = await duties.inputValue();
  assert.match(dutiesText, /- Verka för spridning av goda exempel/);
  await duties.fill(dutiesText.replace('- Verka för spridning av goda exempel', '- Verka aktivt för spridning av goda exempel'));
  const organisation = kim.getByLabel('Arbetsorganisation', { exact: true });
  const orgText = await organisation.inputValue();
  assert.match(orgText, /4 till maximalt 8 ggr\/år/);
  await organisation.fill(orgText.replace('4 till maximalt 8 ggr/år', '6 till maximalt 10 ggr/år'));
  await kim.getByRole('button', { name: 'Spara utkastet' }).click();
  await kim.getByRole('button', { name: 'Skicka för beslut' }).click();
  assert.match(await kim.locator('main').innerText(), /Inskickat för beslut/);

  // The director sees the change against the 2024 version, word by word.
  const dora = await signIn(DIRECTOR.email, DIRECTOR.password);
  await dora.goto(server.base + GROUP);
  await dora.getByRole('link', { name: 'Öppna utkastet' }).click();
  const inserted = (await dora.locator('ins').allInnerTexts()).join(' ');
  assert.match(inserted, /aktivt/);
  assert.match(inserted, /10/);
  await clean(dora, 'draft from the template, director');
  await dora.getByLabel('Beslutsfattarens titel').fill('Hälso- och sjukvårdsutvecklingsdirektör');
  await dora.getByRole('button', { name: 'Besluta' }).click();
  assert.match(new URL(dora.url()).pathname, /\/uppdragshandlingar\/2$/);
  const today = new Date().toISOString().slice(0, 10);
  assert.match(await dora.locator('main').innerText(), new RegExp(`Datum för beslut: ${today}`));
  await clean(dora, 'the version decided from the template');

  // The register follows the decision: the new frequency, the reporting line.
  await dora.goto(server.base + GROUP);
  const group = await dora.locator('main').innerText();
  assert.match(group, /6–10 möten per år/);
  assert.match(group, /Rapporterar till/);
  assert.doesNotMatch(group, /4–8 möten per år/);

  // The chair and the coordinator get the decided document, as PDF, at the
  // addresses the register has for them.
  const lookup = spawnSync('python3', ['-c', `
import sqlite3, sys, json
c = sqlite3.connect(sys.argv[1])
print(json.dumps([e for (e,) in c.execute("select p.email from memberships m join people p on p.id = m.person_id join organizations o on o.id = m.organization_id where o.slug = ? and m.role in ('ordforande', 'koordinator') and m.end_date is null order by m.role desc", (sys.argv[2],))]))
`, server.db.replace('sqlite://', ''), SLUG], { encoding: 'utf8' });
  assert.equal(lookup.status, 0, lookup.stderr);
  const [chair, coordinator] = JSON.parse(lookup.stdout);
  assert.ok(chair && coordinator, lookup.stdout);
  let got = [];
  for (let i = 0; i < 60; i++) {
    got = mails().filter((m) => m.files.some((f) => f[0] === `${SLUG}-uppdragshandling-version-2.pdf`));
    if (got.some((m) => m.to.includes(chair)) && got.some((m) => m.to.includes(coordinator))) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  for (const who of [chair, coordinator]) {
    const m = got.find((x) => x.to.includes(who));
    assert.ok(m, `${who} got the charter: ${JSON.stringify(got)}`);
    assert.equal(m.files.length, 1);
    assert.equal(m.files[0][1], 'application/pdf');
    assert.equal(m.files[0][2], '%PDF-');
  }
  await dora.goto(server.base + GROUP + '/uppdragshandlingar/2');
  assert.match(await dora.locator('section[aria-labelledby="utskick"]').innerText(), /levererad/);

  // And the rule on distribution has nothing to say about it.
  const bin = process.env.SAMORDNA_BIN || join(repo, 'target/debug/samordna');
  const r = spawnSync(bin, ['--db', server.db, 'check', '--group', SLUG, '--json'], { encoding: 'utf8' });
  const findings = JSON.parse(r.stdout);
  assert.ok(!findings.some((f) => f.rule === 'charter-distribution'), JSON.stringify(findings));

  await dora.getByRole('link', { name: 'English' }).click();
  await clean(dora, 'the version decided from the template, in English');
});

test('a charter PDF read in through the portal: preview, confirmation, refusals, both languages', async () => {
  const dora = await signIn(DIRECTOR.email, DIRECTOR.password);
  // A PDF the portal made, saved as a user would.
  const res = await dora.request.get(server.base + '/grupper/samordningsrad-ortopedi/uppdragshandlingar/1/pdf');
  assert.equal(res.status(), 200);
  const pdf = await res.body();
  await dora.goto(server.base + '/regelefterlevnad');
  await dora.getByRole('link', { name: /Läs in en uppdragshandling/ }).click();
  assert.equal(await dora.locator('h1').innerText(), 'Läs in en uppdragshandling');
  await clean(dora, 'the import form');

  // Not a charter: said in the page, announced, nothing stored.
  await dora.getByLabel('Fil').setInputFiles({ name: 'bild.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') });
  await dora.getByRole('button', { name: 'Läs filen' }).click();
  assert.match(await dora.getByRole('alert').innerText(), /varken PDF, Word \(DOCX\) eller text[\s\S]*Inget har sparats/);
  await clean(dora, 'the import form, refused');

  // The charter: what was read, then saved; the same again changes nothing.
  await dora.getByLabel('Fil').setInputFiles({ name: 'ortopedi.pdf', mimeType: 'application/pdf', buffer: pdf });
  await dora.getByRole('button', { name: 'Läs filen' }).click();
  const preview = await dora.locator('main').innerText();
  assert.match(preview, /Så här läste Samordna ortopedi\.pdf \(PDF\)/);
  assert.match(preview, /samma innehåll som version 1/);
  await clean(dora, 'the import preview');
  await dora.getByRole('link', { name: 'English' }).click();
  await clean(dora, 'the import form in English');
  await dora.getByRole('link', { name: 'Svenska' }).click();
  await dora.getByLabel('File').or(dora.getByLabel('Fil')).setInputFiles({ name: 'ortopedi.pdf', mimeType: 'application/pdf', buffer: pdf });
  await dora.getByRole('button', { name: /Läs filen|Read the file/ }).click();
  await dora.getByRole('button', { name: /Spara i registret|Save in the register/ }).click();
  assert.match(await dora.getByRole('status').innerText(), /inget har ändrats|nothing has changed/);
});
