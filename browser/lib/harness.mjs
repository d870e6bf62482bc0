// The harness of the browser tests: a real samordna server on a free loopback port
// with a fresh database, and Debian's Chromium driven by playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '../..');
const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

/** A free TCP port on loopback. */
export async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** Starts `samordna serve --demo` and resolves once it listens. */
export async function startServer({ port = 0, args = [], users = [] } = {}) {
  const bin = process.env.SAMORDNA_BIN || join(repo, 'target/debug/samordna');
  const dir = mkdtempSync(join(tmpdir(), 'samordna-browser-'));
  // Accounts, made with the CLI as an administrator would.
  for (const u of users) {
    const r = spawnSync(bin, ['--db', `sqlite://${join(dir, 'b.db')}`, 'user', 'add', '--email', u.email, '--name', u.name, '--role', u.role],
      { input: `${u.password}\n`, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`user add ${u.email}: ${r.stderr}`);
  }
  const child = spawn(bin, ['--db', `sqlite://${join(dir, 'b.db')}`, 'serve', '--demo', '--listen', `127.0.0.1:${port}`, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SAMORDNA_CONTACT_EMAIL: 'tillganglighet@region.example' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; if (process.env.SHOW_SERVER_LOG) process.stderr.write(d); });
  const base = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`the server did not start in 30 s: ${stderr}`)), 30000);
    child.on('error', (e) => { clearTimeout(timer); fail(new Error(`cannot start ${bin}: ${e.message}`)); });
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`the server exited (${code}): ${stderr}`)); });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = line.match(/http:\/\/[0-9.:]+/);
      if (m) { clearTimeout(timer); ok(m[0]); }
    });
  });
  // The search index is built after the server listens: wait for it.
  for (let i = 0; ; i++) {
    const r = await fetch(`${base}/api/v1/search?q=onkologi`).then((x) => x.json()).catch(() => ({}));
    if (r.total > 0) break;
    if (i > 300) throw new Error('the search index was not built in 30 s');
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return {
    base,
    db: `sqlite://${join(dir, 'b.db')}`,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium; fails loudly when it cannot start. */
export async function startBrowser() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  const userDataDir = mkdtempSync(join(tmpdir(), 'samordna-chromium-'));
  try {
    const browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [
        '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-quic',
      ],
    });
    browser.on('disconnected', () => rmSync(userDataDir, { recursive: true, force: true }));
    return browser;
  } catch (e) {
    throw new Error(`Chromium could not be started from ${executablePath}: ${e.message}`);
  }
}

/** A page with the locale's Accept-Language; CSP bypassed only so axe can be injected. */
export async function newPage(browser, { lang = 'sv', width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({
    viewport: { width, height },
    locale: lang === 'en' ? 'en-GB' : 'sv-SE',
    extraHTTPHeaders: { 'Accept-Language': lang === 'en' ? 'en-GB,en;q=0.9' : 'sv-SE,sv;q=0.9' },
    bypassCSP: true,
  });
  // Short waits: a missing element should fail a test quickly, not after 30 s.
  context.setDefaultTimeout(5000);
  return context.newPage();
}

/** axe-core with the WCAG 2.0 and 2.1 A and AA rules; returns the violations. */
export async function axe(page) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
  }));
}

export function screenshotDir() {
  const dir = join(repo, 'test-output/screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The pages of every type, with a name for reports and screenshots. */
export const PAGES = [
  ['forteckning', '/'],
  ['grupp', '/grupper/samordningsgrupp-for-neonatalvarden'],
  ['uppdragshandling', '/grupper/samordningsrad-neurologi/uppdragshandlingar/1'],
  ['uppdragshandling-ej-beslutad', '/grupper/samordningsrad-rattspsykiatri/uppdragshandlingar/1'],
  ['arende', '/arenden/rs-2024-00784'],
  ['arenden', '/arenden'],
  ['sidan-saknas', '/grupper/finns-inte'],
  ['tillganglighet', '/tillganglighet'],
  ['moten', '/grupper/samordningsrad-neurologi/moten'],
  ['mote', '/moten/2'],
  ['organisation', '/organisation'],
  ['grupp-organisation', '/grupper/samordningsgrupp-for-neonatalvarden/organisation'],
  ['beslutslogg', '/beslut'],
  ['grupp-beslut', '/grupper/samordningsgrupp-for-neonatalvarden/beslut'],
  ['beslut', '/grupper/samordningsgrupp-for-neonatalvarden/beslut/1'],
  ['grupparenden', '/grupparenden'],
  ['grupp-grupparenden', '/grupper/samordningsgrupp-for-neonatalvarden/grupparenden'],
  ['grupparende', '/grupper/samordningsgrupp-for-neonatalvarden/grupparenden/1'],
  ['mall-jamforelse', '/grupper/samordningsrad-rattspsykiatri/uppdragshandlingar/1/mall'],
  ['sok', '/sok'],
  ['sok-traffar', '/sok?q=remissvaren'],
  ['sok-avgransad', '/sok?q=onkologi&typ=matter'],
  ['sok-menade-du', '/sok?q=onkolgi'],
];

/**
 * One server and one browser for a test file, started before its tests and stopped
 * after them, also when a test fails. Returns getters for both.
 */
export function useServerAndBrowser({ users = [] } = {}) {
  const env = {};
  before(async () => {
    env.server = await startServer({ users });
    env.browser = await startBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/** Fails with the list of violations when axe-core finds any on the page. */
export async function assertAccessible(page, what) {
  const violations = await axe(page);
  assert.deepEqual(violations, [], `${what}: ${JSON.stringify(violations, null, 2)}`);
}

/** Signs in with a password on the sign-in page and checks that it worked. */
export async function signIn(page, base, email, password) {
  await page.goto(base + '/logga-in');
  await page.getByLabel(/^E-postadress/).fill(email);
  await page.getByLabel(/^Lösenord/).fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  assert.ok(await page.getByRole('button', { name: 'Logga ut' }).isVisible(), `${email} signed in`);
}
