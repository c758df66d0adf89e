// A PI's request of proprietary files, in the browser (headless Chromium): find the
// observation, open the Request Handler (the proprietary files are not downloadable before
// signing in), sign in in the page as its PI (now they are), ask for an e-mail, submit, and
// fetch the request's script: the proprietary files come through URLs signed for the PI,
// with no credentials in the script. A signed URL downloads without credentials, fails
// altered, fails for another signed-in user, and fails once expired; the other user cannot
// open the PI's request.
//
//   node conformance/web/request.mjs BASE_URL ARTIFACTS_DIR MOUS_UID PI:PASSWORD OTHER:PASSWORD EXPIRY_SECONDS
//
// MOUS_UID: a proprietary member OUS with product files; EXPIRY_SECONDS: how long the
// server's signed URLs last. The request's id and script go to ARTIFACTS_DIR (request.json,
// request.sh) for the test to check the e-mail and run the script.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, checksPassed, launchBrowser, reportFailure } from './session.mjs';

const [base, artifacts, mous, piAccount, otherAccount, expiryText] = process.argv.slice(2);
const [pi, piPassword] = piAccount.split(':');
const [other, otherPassword] = otherAccount.split(':');
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

const browser = await launchBrowser();
const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1600, height: 1000 } });
const page = await context.newPage();
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message.slice(0, 300)));
const settled = () => page.waitForFunction(() => document.body.dataset.state === 'done' || document.body.dataset.state === 'error', null, { timeout: 30000 });
const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`) });
const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function signIn(dialog, user, password) {
  await dialog.fill('#request-user', user);
  await dialog.fill('#request-password', password);
  await dialog.click('#request-signin');
  await dialog.waitForFunction((u) => document.getElementById('request').dataset.user === u, user, { timeout: 10000 });
}

try {
  await page.goto(`${base}/`);
  await settled();
  // the observation, by its member OUS, with the form's columns
  await page.click('#adql-panel summary');
  const select = (await page.$eval('#adql', (e) => e.value)).split('\nFROM')[0];
  await page.fill('#adql', `${select}\nFROM ivoa.obscore\nWHERE member_ous_uid = '${mous}'`);
  await page.click('#run-adql');
  await settled();
  const key = await page.$eval('#results tbody tr', (tr) => tr.dataset.key);
  await page.check(`#results tbody tr[data-key="${key}"] td.select input`);
  await page.click('#request-button');
  const loaded = () => page.waitForFunction(() => Number(document.getElementById('request').dataset.loaded || 0) > 0, null, { timeout: 30000 });
  await loaded();
  const anonymous = await page.$$eval('#request .may-not', (ms) => ms.length);
  check(anonymous > 0, 'before signing in, the proprietary files are not downloadable', `${anonymous} marked proprietary`);

  // signed in as the PI (in the page): every file may be downloaded
  await signIn(page, pi, piPassword);
  await page.waitForFunction(() => document.querySelectorAll('#request .may-not').length === 0 && document.querySelectorAll('#request .may').length > 0, null, { timeout: 30000 });
  const files = await page.$$eval('#request input.file', (bs) => bs.filter((b) => b.checked).map((b) => ({ name: b.dataset.name, cls: b.dataset.class })));
  check(files.length > 0, 'signed in as the PI, the proprietary files are marked downloadable', `${files.length} chosen`);
  await page.fill('#request-email', 'pi@example.org');
  await page.click('#request-submit');
  await page.waitForFunction(() => document.getElementById('request').dataset.request, null, { timeout: 15000 });
  const id = await page.$eval('#request', (d) => d.dataset.request);
  await shot('01-pi-request');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#request-script')]);
  const script = readFileSync(await download.path(), 'utf8');
  const entries = [...script.matchAll(/^"([^|]+)\|([^|]+)\|/gm)].map((m) => ({ url: m[1], name: m[2] }));
  const signed = entries.filter((e) => e.url.includes('signature='));
  check(entries.map((e) => e.name).sort().join() === files.map((f) => f.name).sort().join()
    && signed.length === entries.length && !script.includes(piPassword) && !/Authorization|Bearer|Basic /.test(script),
  'the PI\'s script fetches the chosen proprietary files through signed URLs, with no credentials in it', `${signed.length} signed URLs`);
  writeFileSync(join(artifacts, 'request.sh'), script);
  writeFileSync(join(artifacts, 'request.json'), JSON.stringify({ id, files: files.map((f) => f.name) }));

  // a signed URL: downloads with no credentials; altered, or for another signed-in user, fails
  const url = signed[0].url;
  const plain = await fetch(url);
  const bytes = (await plain.arrayBuffer()).byteLength;
  check(plain.status === 200 && bytes > 0, 'a signed URL downloads the proprietary file with no credentials', `${bytes} bytes`);
  const altered = await fetch(url.replace(`user=${encodeURIComponent(pi)}`, `user=${encodeURIComponent(other)}`));
  const alteredSaid = await altered.text();
  check(altered.status === 403 && alteredSaid.includes('signature does not match'), 'the URL altered for another user fails', alteredSaid.slice(0, 120));
  const theirs = await fetch(url, { headers: { Authorization: basic(other, otherPassword) } });
  const theirsSaid = await theirs.text();
  check(theirs.status === 403 && theirsSaid.includes(`signed for ${pi}`), 'the same URL fails for another signed-in user', theirsSaid.slice(0, 160));

  // the other user, signed in in the page (the tab keeps the sign-in), cannot open the PI's request
  await page.click('#request-signout');
  await signIn(page, other, otherPassword);
  await page.goto('about:blank');
  await page.goto(`${base}/#request=${id}`);
  await page.waitForFunction(() => document.getElementById('request').dataset.refused, null, { timeout: 15000 });
  const refused = await page.evaluate(() => ({ status: document.getElementById('request').dataset.refused, text: document.getElementById('request-body').textContent }));
  check(refused.status === '403' && !refused.text.includes(files[0].name), 'another signed-in user cannot open the PI\'s request', `${refused.status}: ${refused.text.slice(0, 120)}`);
  await shot('02-other-user');

  // the signed URL expires
  const expiry = Number(new URL(url).searchParams.get('expires')) * 1000;
  const wait = expiry - Date.now() + 1500;
  check(wait < (Number(expiryText) + 5) * 1000, 'the signed URL is short-lived', `expires in ${Math.round(wait / 1000)} s`);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
  const late = await fetch(url);
  const lateSaid = await late.text();
  check(late.status === 403 && lateSaid.includes('expired'), 'the same URL fails once expired', lateSaid.slice(0, 120));

  check(pageErrors.length === 0, 'no script errors', pageErrors.slice(0, 3).join(' | '));
  console.log(`${checksPassed()} checks passed`);
} catch (e) {
  await reportFailure(e, shot, pageErrors);
} finally {
  await browser.close();
}
