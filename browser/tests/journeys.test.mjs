// A newcomer's journeys, clicked through as a user would, asserting what they see.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, newPage } from '../lib/harness.mjs';

const env = useServerAndBrowser();

const h1 = (page) => page.locator('h1').innerText();

test('register → council → charter → case', async () => {
  const page = await newPage(env.browser);
  await page.goto(env.server.base + '/');
  assert.equal(await h1(page), 'Förteckning över koncernövergripande grupper');
  const main = page.locator('main');
  for (const name of ['Samordningsråd rättspsykiatri', 'Samordningsråd neurologi', 'Samordningsråd ortopedi', 'Samordningsråd onkologi', 'Samordningsråd barn']) {
    assert.equal(await main.getByRole('link', { name, exact: true }).count(), 1, name);
  }
  const ratt = main.locator('li.node', { has: page.getByRole('link', { name: 'Samordningsråd rättspsykiatri', exact: true }) });
  assert.match(await ratt.innerText(), /Ingen beslutad uppdragshandling i kraft/);

  await main.getByRole('link', { name: 'Samordningsråd neurologi', exact: true }).click();
  assert.equal(await h1(page), 'Samordningsråd neurologi');
  assert.match(await page.locator('main').innerText(), /Uppdragshandling i kraft, beslutad 2026-06-17/);

  await page.getByRole('link', { name: 'Uppdragshandling för samordningsråd neurologi, reviderad juni 2026' }).click();
  assert.equal(await h1(page), 'Uppdragshandling för samordningsråd neurologi, reviderad juni 2026');
  const doc = await page.locator('article').innerText();
  assert.match(doc, /Gruppen ska beakta konsekvenser för linjeorganisationen/);
  assert.doesNotMatch(doc, /Postadress/);
  assert.ok(await page.getByRole('heading', { name: 'Syfte med uppdraget' }).isVisible());

  await page.getByRole('link', { name: 'RS 2024-00784' }).click();
  assert.equal(await h1(page), 'Ärende RS 2024-00784');
  assert.equal(await page.locator('tbody tr').count(), 4);
});

test('expand the tree and follow the reporting line to the parent group', async () => {
  const page = await newPage(env.browser);
  await page.goto(env.server.base + '/');
  const neonatal = page.getByRole('link', { name: 'Samordningsgrupp för neonatalvården' });
  const toggle = page.locator('summary', { hasText: '1 grupp under Samordningsråd barn' });
  assert.ok(await neonatal.isVisible(), 'groups are shown under their council');
  await toggle.click();
  assert.ok(!(await neonatal.isVisible()), 'collapsed');
  await toggle.focus();
  await page.keyboard.press('Enter');
  assert.ok(await neonatal.isVisible(), 'expanded again with the keyboard');

  await neonatal.click();
  assert.equal(await h1(page), 'Samordningsgrupp för neonatalvården');
  const facts = await page.locator('dl.facts').innerText();
  assert.match(facts, /Rapporterar till\s+Samordningsråd barn/);
  assert.match(facts, /Samverkar med[\s\S]*kvinnosjukdomar och förlossningar/);
  await page.locator('dl.facts').getByRole('link', { name: 'Samordningsråd barn' }).click();
  assert.equal(await h1(page), 'Samordningsråd barn');
  assert.ok(await page.getByRole('link', { name: 'Samordningsgrupp för neonatalvården' }).first().isVisible());
});

test('an undecided charter says it is not in force', async () => {
  const page = await newPage(env.browser);
  await page.goto(env.server.base + '/grupper/samordningsrad-rattspsykiatri');
  assert.match(await page.locator('main').innerText(), /Ingen beslutad uppdragshandling i kraft/);
  await page.getByRole('link', { name: 'Uppdragshandling för samordningsråd rättspsykiatri' }).click();
  assert.match(await page.locator('.notice').innerText(), /Ej beslutad\. Beslutsdatum saknas – dokumentet är inte i kraft\./);
});

test('a missing page says so in Swedish and leads back', async () => {
  const page = await newPage(env.browser);
  const res = await page.goto(env.server.base + '/grupper/finns-inte');
  assert.equal(res.status(), 404);
  assert.equal(await h1(page), 'Sidan hittades inte');
  await page.getByRole('link', { name: 'Till förteckningen över grupper' }).click();
  assert.equal(await h1(page), 'Förteckning över koncernövergripande grupper');
});

test('the language switch shows the portal in English and back', async () => {
  const page = await newPage(env.browser);
  await page.goto(env.server.base + '/grupper/samordningsrad-barn');
  await page.getByRole('link', { name: 'English' }).click();
  assert.equal(new URL(page.url()).pathname, '/grupper/samordningsrad-barn');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.ok(await page.getByRole('heading', { name: 'About the group' }).isVisible());
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Register', exact: true }).click();
  assert.equal(await h1(page), 'Register of region-wide governance groups');
  await page.getByRole('link', { name: 'Svenska' }).click();
  assert.equal(await h1(page), 'Förteckning över koncernövergripande grupper');
});

test('the accessibility statement is linked from the footer and says how to report', async () => {
  const page = await newPage(env.browser);
  await page.goto(env.server.base + '/arenden');
  await page.locator('footer').getByRole('link', { name: 'Tillgänglighetsredogörelse' }).click();
  assert.equal(await h1(page), 'Tillgänglighetsredogörelse');
  const report = page.getByRole('link', { name: /tillganglighet@region\.example/ });
  assert.match(await report.getAttribute('href'), /^mailto:tillganglighet@region\.example/);
});
