// Sign-in with the region's account: OpenID Connect end to end against a real
// provider on loopback, and refusal of a wrong state or nonce.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startBrowser, newPage, freePort, axe } from '../lib/harness.mjs';
import { startProvider, CLIENT_ID, CLIENT_SECRET } from '../lib/provider.mjs';

let server;
let provider;
let browser;
before(async () => {
  const appPort = await freePort();
  const idpPort = await freePort();
  const base = `http://127.0.0.1:${appPort}`;
  provider = await startProvider(idpPort, `${base}/oidc/callback`);
  server = await startServer({
    port: appPort,
    args: ['--oidc-issuer', provider.issuer, '--oidc-client-id', CLIENT_ID, '--oidc-client-secret', CLIENT_SECRET, '--public-url', base],
  });
  browser = await startBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await provider?.stop();
});

/** Signs in at the provider's development pages as `login`. */
async function providerLogin(page, login) {
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('valfritt');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('an employee signs in with the region account and lands where they were', async () => {
  const page = await newPage(browser);
  await page.goto(server.base + '/grupper/samordningsrad-barn');
  await page.getByRole('link', { name: 'Logga in', exact: true }).click();
  assert.equal(await page.locator('h1').innerText(), 'Logga in');
  assert.deepEqual(await axe(page), []);
  await page.getByRole('link', { name: 'Logga in med regionens konto' }).click();
  assert.ok(page.url().startsWith(provider.issuer), `at the provider: ${page.url()}`);
  await providerLogin(page, 'anna.andersson@region.example');
  await page.waitForURL(server.base + '/grupper/samordningsrad-barn');
  assert.equal(await page.locator('h1').innerText(), 'Samordningsråd barn');
  assert.ok(await page.getByRole('link', { name: 'Anställd anna.andersson' }).isVisible(), 'signed in, named in the header');
  await page.getByRole('button', { name: 'Logga ut' }).click();
  assert.ok(await page.getByRole('link', { name: 'Logga in', exact: true }).isVisible());
});

test('a callback with a state Samordna never issued is refused', async () => {
  const page = await newPage(browser);
  const res = await page.goto(server.base + '/oidc/callback?code=stulen&state=påhittad');
  assert.equal(res.status(), 401);
  assert.match(await page.locator('main').innerText(), /kunde inte verifieras/);
  assert.ok(await page.getByRole('link', { name: 'Logga in', exact: true }).isVisible(), 'not signed in');
});

test('an ID token whose nonce was tampered with is refused', async () => {
  const page = await newPage(browser);
  // Change the nonce on the way to the provider: it then issues a token for
  // another nonce than the one Samordna stored with the state.
  let tampered = false;
  await page.route((u) => u.pathname === '/oidc/start', async (route) => {
    const res = await route.fetch({ maxRedirects: 0 });
    const location = new URL(res.headers().location);
    location.searchParams.set('nonce', 'ett-annat-nonce');
    tampered = true;
    await route.fulfill({ status: 303, headers: { location: location.toString() } });
  });
  await page.goto(server.base + '/logga-in');
  await page.getByRole('link', { name: 'Logga in med regionens konto' }).click();
  await providerLogin(page, 'bertil@region.example');
  await page.waitForURL((u) => u.pathname === '/oidc/callback');
  assert.ok(tampered, 'the nonce was changed');
  assert.match(await page.locator('main').innerText(), /kunde inte verifieras/);
  assert.ok(await page.getByRole('link', { name: 'Logga in', exact: true }).isVisible(), 'not signed in');
});
