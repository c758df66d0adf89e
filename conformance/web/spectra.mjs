// The spectral coverage view as a new user tries it (headless Chromium through
// playwright-core): the answer's observations all drawn, the atmosphere at the answer's median
// PWV, the sources' lines at their median redshift — zoom into band 6 and CO 2–1 is there;
// a wetter PWV lowers the curve; another redshift moves the lines; zooming in shows more
// lines; the Lines filter keeps one species; the searched frequency is marked.
//
//   node conformance/web/spectra.mjs BASE_URL ARTIFACTS_DIR
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { check, checksPassed, launchBrowser, reportFailure } from './session.mjs';

const [base, artifacts] = process.argv.slice(2);
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

const browser = await launchBrowser();
const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message.slice(0, 300)));
const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`) });
const settled = () => page.waitForFunction(() => document.body.dataset.state === 'done'
  && !/^(Resolving|Querying)/.test(document.getElementById('status').textContent)
  && document.getElementById('spectrum').dataset.ready === 'true', null, { timeout: 30000 });
const markers = () => page.$$eval('#spectrum g.line-marker', (gs) => gs.map((g) => g.querySelector('text').textContent));
const view = () => page.$eval('#spectrum .spectrum-plot', (e) => [Number(e.dataset.lo), Number(e.dataset.hi)]);
/** The mean height of the transmission curve (0 at the top of the plot: higher is less),
 *  once it is drawn (the plot is drawn again when an answer arrives, the curve after it). */
const curveLevel = async () => (await page.waitForFunction(() => {
  const p = document.querySelector('#spectrum polyline.atmosphere');
  if (!p) return null;
  const ys = p.getAttribute('points').split(' ').map((xy) => Number(xy.split(',')[1]));
  return { level: ys.reduce((a, b) => a + b, 0) / ys.length };
}, null, { timeout: 10000 })).jsonValue().then((v) => v.level);

try {
  await page.goto(`${base}/`);
  await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 30000 });
  // a nearby young star: its disk's lines at z ≈ 0
  await page.fill('#f-position', 'TW Hya');
  await settled();
  const observations = await page.$$eval('#results tbody tr', (trs) => trs.length);
  const lanes = await page.$$eval('#spectrum g.lane', (gs) => gs.length);
  check(observations > 0 && lanes === observations, 'every observation of the answer has its lane', `${lanes} lanes, ${observations} rows`);
  const z = Number(await page.inputValue('#spectrum-z'));
  const pwv = Number(await page.inputValue('#spectrum-pwv'));
  check(Number.isFinite(z) && z < 0.01 && pwv > 0, 'the redshift and PWV start at the answer\'s medians', `z = ${z}, PWV ${pwv} mm`);
  await page.click('#spectrum button[data-band="6"]');
  await page.waitForFunction(() => document.querySelector('#spectrum polyline.atmosphere'), null, { timeout: 10000 });
  const [lo, hi] = await view();
  const inBand6 = await markers();
  check(lo === 211 && hi === 275 && inBand6.includes('CO 2-1'), 'band 6 shows CO 2–1 at the sources\' redshift', inBand6.slice(0, 6).join(', '));
  const where = await page.$eval('#spectrum g.line-marker[data-species="CO"] line', (l) => Number(l.getAttribute('x1')));
  const expected = ((230.538 / (1 + z) - lo) / (hi - lo)) * 320;
  check(Math.abs(where - expected) < 0.5, 'CO 2–1 is drawn at its observed frequency', `${where.toFixed(1)} vs ${expected.toFixed(1)}`);
  await shot('01-band6');
  const dry = await curveLevel();
  await page.fill('#spectrum-pwv', '4');
  await page.press('#spectrum-pwv', 'Enter');
  await page.waitForFunction((before) => {
    const p = document.querySelector('#spectrum polyline.atmosphere');
    if (!p) return false;
    const ys = p.getAttribute('points').split(' ').map((xy) => Number(xy.split(',')[1]));
    return Math.abs(ys.reduce((a, b) => a + b, 0) / ys.length - before) > 0.5;
  }, dry, { timeout: 10000 });
  const wet = await curveLevel();
  check(wet > dry, 'a wetter PWV lowers the transmission curve', `mean height ${dry.toFixed(1)} → ${wet.toFixed(1)}`);
  await shot('02-pwv');
  // zooming in shows more lines (by rank)
  const before = (await markers()).length;
  const steps = [];
  for (let k = 0; k < 3; k += 1) {
    await page.click('#spectrum .spectrum-controls button[title="Zoom in"]');
    steps.push((await view()).map((v) => v.toFixed(1)).join('–'));
  }
  const [zlo, zhi] = await view();
  const after = (await markers()).length;
  check(zhi - zlo < 10 && after >= 1, 'zooming in narrows the view and keeps lines', `${steps.join(', ')} GHz, ${before} → ${after} lines`);
  await page.click('#spectrum button[data-band="6"]');
  // another redshift moves CO 2–1 out of band 6 (230.5 / 1.1 = 209.6 GHz)
  await page.fill('#spectrum-z', '0.1');
  await page.press('#spectrum-z', 'Enter');
  check(!(await markers()).includes('CO 2-1'), 'at z = 0.1 CO 2–1 leaves band 6', (await markers()).slice(0, 4).join(', '));
  await page.fill('#spectrum-z', String(z));
  await page.press('#spectrum-z', 'Enter');
  // the Lines filter: one species
  await page.fill('#spectrum-lines', 'HCN');
  const hcn = await markers();
  check(hcn.length > 0 && hcn.every((m) => m.startsWith('HCN')), 'the Lines filter keeps one species', hcn.join(', '));
  await page.fill('#spectrum-lines', 'deuterated');
  const deuterated = await page.$$eval('#spectrum g.line-marker', (gs) => gs.map((g) => g.dataset.species));
  check(deuterated.length > 0 && deuterated.every((s) => /D/.test(s)), 'or one category', deuterated.join(', '));
  await page.fill('#spectrum-lines', '');
  // the searched frequency is marked
  await page.fill('#f-frequency', '230.5');
  await settled();
  check(await page.$('#spectrum line.searched') !== null, 'the searched frequency is marked');
  // hovering a lane says its windows
  await page.hover('#spectrum g.lane:first-child rect');
  const hover = await page.$eval('#spectrum .spectrum-hover', (e) => e.textContent);
  check(/GHz$/.test(hover) && hover.includes('–'), 'hovering an observation lists its windows', hover.slice(0, 100));
  await shot('03-searched');
  check(pageErrors.length === 0, 'no script errors', pageErrors.slice(0, 3).join(' | '));
  console.log(`${checksPassed()} checks passed`);
} catch (e) {
  await reportFailure(e, shot, pageErrors);
} finally {
  await browser.close();
}
