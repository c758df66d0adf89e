// Finding targets as astronomers name them, in the query page as a new user types them
// (headless Chromium through playwright-core): names in the position field (NGC 253, TW Hya,
// Orion, "Arp220, 1") resolved by the service, "ra, dec" with a comma, a Galactic position,
// band/frequency/resolution/date in their common forms — each finds the right rows (a
// frequency, the observations with a spectral window on it) — and an
// unknown name or an invalid value that stops the query and says why, next to the field and
// in the status line.
//
//   node conformance/web/names.mjs BASE_URL ARTIFACTS_DIR
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, checksPassed, launchBrowser, reportFailure, tapCsv } from './session.mjs';

const [base, artifacts] = process.argv.slice(2);
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

/** The service's answer to `adql` as rows of cells, without the header. */
const tapRows = async (adql) => (await tapCsv(base, adql)).slice(1);

const browser = await launchBrowser();
const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message.slice(0, 300)));

const settled = () => page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state)
  && !/^(Resolving|Querying)/.test(document.getElementById('status').textContent), null, { timeout: 30000 });
const status = () => page.$eval('#status', (e) => e.textContent);
const state = () => page.evaluate(() => document.body.dataset.state);
/** The distinct target names of the rows the page shows. */
const targets = () => page.evaluate(() => {
  const i = [...document.querySelectorAll('#results thead tr:first-child th')].findIndex((th) => th.dataset.column === 'target_name');
  return [...new Set([...document.querySelectorAll('#results tbody tr')].map((tr) => tr.children[i]?.textContent.trim()))];
});
const memberCount = () => page.$$eval('#results tbody tr', (trs) => trs.length);

/** Whether the form's query, run and answered, comes to hold `text` (within 10 s). */
const waitForAdql = (text) => page.waitForFunction((t) => document.getElementById('adql').value.includes(t)
  && document.body.dataset.state === 'done', text, { timeout: 10000 }).then(() => true, () => false);

/** Types `text` into a field as a user would (clearing it first) and waits for the answer. */
async function type(field, text) {
  await page.fill(`#f-${field}`, '');
  await page.click(`#f-${field}`);
  await page.keyboard.type(text, { delay: 30 });
  await settled();
}

try {
  await page.goto(`${base}/`);
  await settled();

  // --- names in the position field: resolved by the service, a 10' cone by default
  for (const [name, wanted] of [['NGC 253', 'NGC253'], ['TW Hya', 'TW_Hya'], ['Orion', 'Orion_KL'], ['Arp220, 1', 'Arp220']]) {
    await type('position', name);
    const found = await targets();
    check(await state() === 'done' && found.includes(wanted), `the position field finds ${wanted} by the name '${name}'`, `${await memberCount()} observations; ${await status()}`);
    const resolved = await (await fetch(`${base}/resolve?name=${encodeURIComponent(name.split(',')[0])}`)).json();
    const radius = name.includes(',') ? 1 / 60 : 10 / 60;
    const expected = await tapRows(`SELECT DISTINCT member_ous_uid, target_name FROM ivoa.obscore WHERE INTERSECTS(CIRCLE('ICRS', ${resolved.ra}, ${resolved.dec}, ${radius}), s_region) = 1 AND science_observation = 'T'`);
    check(await memberCount() === expected.length, `'${name}' gives the observations of the cone TAP finds around ${resolved.object}`, `${await memberCount()} vs ${expected.length}`);
  }
  await page.screenshot({ path: join(artifacts, '01-name.png') });

  // --- ra, dec with a comma (Arp 220)
  await type('position', '233.738, 23.503');
  check(await state() === 'done' && (await targets()).includes('Arp220'), "'233.738, 23.503' is a position", await status());

  // --- a Galactic position: a row's own l, b from ObsCore
  const [l, b, target] = (await tapRows("SELECT TOP 1 gal_longitude, gal_latitude, target_name FROM ivoa.obscore WHERE science_observation = 'T' AND target_name = 'SgrA'"))[0]
    || (await tapRows("SELECT TOP 1 gal_longitude, gal_latitude, target_name FROM ivoa.obscore WHERE science_observation = 'T' ORDER BY obs_id"))[0];
  await type('position', `${Number(l).toFixed(4)} ${Number(b).toFixed(4)} gal, 1`);
  check(await state() === 'done' && (await targets()).includes(target), `a Galactic position (l b gal) finds ${target}`, await status());

  // --- an unknown name stops the query and says why, with what it might be
  await type('position', 'Sombero Galaxy');
  let said = await status();
  const next = await page.$eval('#e-position', (e) => e.textContent);
  check(await state() === 'error' && said.startsWith('Not run') && next.includes('did you mean "Sombrero Galaxy"'),
    'an unknown name is not dropped: the query is not run, the field says why and what it might be', `${said} | ${next}`);
  check(await memberCount() === 0, 'the previous answer is not shown as the answer of a query that did not run');
  await page.screenshot({ path: join(artifacts, '02-unknown-name.png') });
  await type('position', '');

  // --- the other fields in their common forms
  for (const [field, value, column] of [['band', 'B6', 'band_list'], ['band', 'band 6', 'band_list'], ['frequency', '230.538 GHz', 'SPECTRAL_WINDOW_OVERLAPS(frequency_support, 230.538, 230.538) = 1'], ['resolution', '< 0.5"', 'spatial_resolution'], ['date', '2019', 't_min']]) {
    await type(field, value);
    check(await waitForAdql(column), `${field} '${value}' is understood`, (await status()).slice(0, 80));
    await type(field, '');
  }
  // a frequency matches the observations with a spectral window on it, as ALMA's form does
  await type('frequency', '345.796 GHz');
  const covered = await page.evaluate(() => window.voarchive.table.rows.map((r) => [...r.frequency_support.matchAll(/\[([\d.]+)\.\.([\d.]+)GHz/g)]
    .some((w) => Number(w[1]) <= 345.796 && Number(w[2]) >= 345.796)));
  check(covered.length > 0 && covered.every(Boolean), 'each observation a frequency finds has a spectral window on it', `${covered.filter(Boolean).length} of ${covered.length}`);
  await type('frequency', '');
  await type('date', '2019');
  const adql = await page.$eval('#adql', (e) => e.value);
  check(adql.includes('t_min >= 58484') && adql.includes('t_min < 58849'), 'a bare year is the whole year', adql.split('\n').find((x) => x.includes('t_min >=')));
  await type('date', '');

  // --- the array, science keyword and publication fields
  await page.selectOption('#f-array', '7m');
  await page.waitForTimeout(500);
  await settled();
  check(await state() === 'done' && (await page.$eval('#adql', (e) => e.value)).includes("antenna_arrays LIKE '%:CM%'"), 'the 7 m array is a constraint', await status());
  await page.selectOption('#f-array', '');
  for (const [field, value, column] of [['keyword', 'disks', 'science_keyword'], ['category', 'Galaxies', 'scientific_category'], ['pub_title', 'ALMA', 'pub_title']]) {
    await type(field, value);
    const understood = await waitForAdql(column);
    check(understood, `${field} '${value}' is a constraint`, await status());
    await type(field, '');
  }

  // --- a chip switched off stays, out of the query; switched on, it is back
  await type('band', '6');
  const withBand = await memberCount();
  await page.click('#chips .chip[data-key="band"] button.toggle');
  await page.waitForTimeout(300);
  await settled();
  let adqlNow = await page.$eval('#adql', (e) => e.value);
  const offChip = await page.$eval('#chips .chip[data-key="band"]', (e) => e.className);
  check(!adqlNow.includes('band_list IN') && offChip.includes('off') && await memberCount() >= withBand, 'a chip switched off leaves the query and stays', `${withBand} → ${await memberCount()}`);
  await page.click('#chips .chip[data-key="band"] button.toggle');
  await page.waitForTimeout(300);
  await settled();
  adqlNow = await page.$eval('#adql', (e) => e.value);
  check(adqlNow.includes('band_list IN') && await memberCount() === withBand, 'switched on again, it is back');
  await type('band', '');

  // --- object types: observations whose footprints hold a galaxy, its best match
  await page.selectOption('#f-objtype', 'G');
  await page.waitForTimeout(500);
  await settled();
  const galaxies = await tapRows("SELECT DISTINCT member_ous_uid, target_name FROM ivoa.obscore WHERE science_observation = 'T' AND obs_id IN (SELECT footprint_obs_id FROM alma.object_in_footprint WHERE object_type = 'G')");
  check(await state() === 'done' && galaxies.length > 0 && await memberCount() === galaxies.length, 'the object type Galaxy finds the observations whose footprints hold one', `${await memberCount()} vs ${galaxies.length}`);
  const note = await page.$eval('#f-objtype', (e) => e.closest('label').querySelector('.note').textContent);
  check(note.includes('incomplete by construction'), "the manual's warning is shown with the field", note.slice(0, 60));
  await page.check('#f-bestmatch');
  await page.waitForTimeout(500);
  await settled();
  const best = await tapRows("SELECT DISTINCT member_ous_uid, target_name FROM ivoa.obscore WHERE science_observation = 'T' AND obs_id IN (SELECT footprint_obs_id FROM alma.object_in_footprint WHERE object_type = 'G' AND best_match = 1)");
  check(await state() === 'done' && await memberCount() === best.length, 'best match only narrows to the observations whose best match is a galaxy', `${await memberCount()} vs ${best.length}`);
  await page.selectOption('#f-objtype', '');
  await page.waitForTimeout(500);
  await settled();
  said = await status();
  check(await state() === 'error' && said.includes('choose an object type'), 'best match without a type says what is missing', said.slice(0, 80));
  await page.uncheck('#f-bestmatch');
  await page.waitForTimeout(500);
  await settled();

  // --- a target list of 20 lines (names, sexagesimal, Galactic) is 20 cones
  const picks = await tapRows("SELECT target_name, s_ra, s_dec, gal_longitude, gal_latitude FROM ivoa.obscore WHERE science_observation = 'T' AND obs_id IN (SELECT MIN(obs_id) FROM ivoa.obscore WHERE science_observation = 'T' GROUP BY target_name) ORDER BY target_name");
  check(picks.length >= 20, 'the demo has 20 targets for a list', `${picks.length}`);
  const sexagesimal = (ra, dec) => {
    const h = ra / 15; const d = Math.abs(dec);
    const part = (v) => [Math.floor(v), Math.floor((v * 60) % 60), ((v * 3600) % 60).toFixed(2)];
    const [hh, hm, hs] = part(h); const [dd, dm, ds] = part(d);
    return `${hh}:${String(hm).padStart(2, '0')}:${hs.padStart(5, '0')} ${dec < 0 ? '-' : '+'}${dd}:${String(dm).padStart(2, '0')}:${ds.padStart(5, '0')}`;
  };
  const lines = ['# targets for the archive'];
  const cones = [];
  for (const [i, [name, ra, dec, l, b]] of picks.slice(0, 20).entries()) {
    if (i % 3 === 0) {
      lines.push(`${name.replace(/_/g, ' ')}, 1'`);
      const r = await (await fetch(`${base}/resolve?name=${encodeURIComponent(name.replace(/_/g, ' '))}`)).json();
      cones.push([r.ra, r.dec]);
    } else if (i % 3 === 1) {
      lines.push(`${sexagesimal(Number(ra), Number(dec))}, 1'`);
      cones.push([Number(ra), Number(dec)]);
    } else {
      lines.push(`${l} ${b} gal, 1'`);
      cones.push([Number(ra), Number(dec)]);
    }
  }
  const listFile = join(artifacts, 'targets.txt');
  writeFileSync(listFile, `${lines.join('\n')}\n`);
  await page.setInputFiles('#f-targets', listFile);
  await page.waitForFunction(() => document.querySelectorAll('#targets-report li').length > 0, null, { timeout: 30000 });
  await page.waitForTimeout(300);
  await settled();
  const reported = await page.$$eval('#targets-report li', (lis) => lis.map((li) => li.className));
  check(reported.length === 20 && reported.every((c) => c === 'resolved'), 'every line of the list is reported resolved', `${reported.length} lines`);
  const union = cones.map(([ra, dec]) => `INTERSECTS(CIRCLE('ICRS', ${ra}, ${dec}, ${1 / 60}), s_region) = 1`).join(' OR ');
  const twenty = await tapRows(`SELECT DISTINCT member_ous_uid, target_name FROM ivoa.obscore WHERE science_observation = 'T' AND (${union})`);
  check(await state() === 'done' && await memberCount() === twenty.length && twenty.length > 0, 'the target list gives the rows of 20 hand-written cones', `${await memberCount()} vs ${twenty.length}`);
  check((await page.$eval('#adql', (e) => e.value)).includes('TAP_UPLOAD.targets'), 'the list is one TAP_UPLOAD join');
  await page.screenshot({ path: join(artifacts, '02-target-list.png') });
  // a line that does not resolve is reported, and the query does not run
  writeFileSync(listFile, "M83\nNo Such Object 123\n");
  await page.setInputFiles('#f-targets', listFile);
  await page.waitForFunction(() => [...document.querySelectorAll('#targets-report li')].some((li) => li.className === 'error'), null, { timeout: 30000 });
  await page.waitForTimeout(300);
  await settled();
  said = await status();
  check(await state() === 'error' && said.includes('line 2 of targets.txt'), 'a line that does not resolve stops the query and is named', said.slice(0, 100));
  await page.click('#chips .chip[data-key="targets"] button.remove');
  await page.waitForTimeout(300);
  await settled();

  // --- completion from the archive's own values, as one types
  for (const [field, typed, wanted] of [['source', 'arp', 'Arp220'], ['position', 'TW', 'TW_Hya']]) {
    await page.fill(`#f-${field}`, '');
    await page.click(`#f-${field}`);
    await page.keyboard.type(typed, { delay: 30 });
    await page.waitForFunction(([f, t]) => document.getElementById(`dl-${f}`).dataset.for === t, [field, typed], { timeout: 10000 });
    const offered = await page.$$eval(`#dl-${field} option`, (os) => os.map((o) => o.value));
    check(offered.includes(wanted), `typing '${typed}' in ${field} offers ${wanted}`, offered.slice(0, 5).join(', '));
    await type(field, '');
  }

  // --- a field's examples are clickable; the help page lists every operator
  await page.click('#f-band >> xpath=.. >> .examples button >> nth=0');
  check(await waitForAdql("band_list IN ('3')"), "clicking the band's example '3' searches band 3", await status());
  await type('band', '');
  const help = await page.context().newPage();
  await help.goto(`${base}${await page.$eval('#help-link', (a) => a.getAttribute('href'))}`);
  const helpText = await help.$eval('body', (b) => b.textContent);
  check(['a | b', '!value', 'x..y', '<x', 'gal', 'target list', 'incomplete by', 'B6', 'SPECTRAL_WINDOW_OVERLAPS'].every((t) => helpText.includes(t)), 'the help page explains every operator and form', helpText.length);
  await help.close();

  // --- a project's similar projects, opened as a new query
  await page.click('#results tbody tr:first-child button.similar');
  await page.waitForFunction(() => document.querySelectorAll('#similar-popup li').length > 0, null, { timeout: 30000 });
  const similarCodes = await page.$$eval('#similar-popup li a', (as) => as.map((a) => a.textContent));
  check(similarCodes.length > 0 && similarCodes.length <= 10, "the project code's ⋯ lists the most similar projects", similarCodes.slice(0, 3).join(', '));
  const [opened] = await Promise.all([page.context().waitForEvent('page'), page.click('#similar-open')]);
  await opened.waitForLoadState();
  await opened.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 30000 });
  const openedProjects = await opened.evaluate(() => {
    const i = [...document.querySelectorAll('#results thead tr:first-child th')].findIndex((th) => th.dataset.column === 'proposal_id');
    return [...new Set([...document.querySelectorAll('#results tbody tr')].map((tr) => tr.children[i]?.firstChild?.textContent.trim()))];
  });
  const field = await opened.$eval('#f-project', (e) => e.value);
  check(openedProjects.length > 0 && openedProjects.every((c) => similarCodes.includes(c)) && similarCodes.every((c) => field.includes(c)),
    'opening them as a new query shows those projects', `${openedProjects.length} projects`);
  await opened.close();
  // the pop-up closes (unless the table was drawn again meanwhile, which removes it)
  if (await page.$('#similar-popup')) await page.click('#similar-popup button.close');
  check(await page.$('#similar-popup') === null, 'the pop-up closes');

  // --- an invalid value is never dropped silently
  for (const [field, value] of [['band', 'B11'], ['resolution', 'fine'], ['frequency', '230 parsecs'], ['date', '2019-13-45']]) {
    await type(field, value);
    said = await status();
    const beside = await page.$eval(`#e-${field}`, (e) => e.textContent);
    check(await state() === 'error' && said.startsWith('Not run') && beside.length > 0, `${field} '${value}' stops the query and says why`, `${said.slice(0, 100)} | ${beside}`);
    await type(field, '');
  }
  await page.screenshot({ path: join(artifacts, '03-fields.png') });
  check(pageErrors.length === 0, 'no script errors', pageErrors.slice(0, 3).join(' | '));
  console.log(`${checksPassed()} checks passed`);
} catch (e) {
  await reportFailure(e, (name) => page.screenshot({ path: join(artifacts, `${name}.png`) }), pageErrors);
} finally {
  await browser.close();
}
