// The web query page, used as a new user would, in headless Chromium (Debian's chromium,
// driven by playwright-core): type a position, see rows, sort, open a footprint, filter,
// choose columns, switch views, invert and remove chips, edit and run the ADQL, share the
// query, export CSV, fetch a download script for selected rows, and open the images most like
// a preview (select two, see the order change, fetch their download script, open their
// observations as a new query) and like a row's observation.
//
//   node conformance/web/page.mjs BASE_URL ARTIFACTS_DIR RA DEC MOUS_UID USER:PASSWORD PYTHON
//
// RA/DEC: a position with observations; MOUS_UID: a public member OUS there with files;
// USER:PASSWORD: an account to sign in with; PYTHON: a Python with pyvo and astropy (for the
// SAMP hub and the desktop tool that loads the tables the page sends, samp_hub.py).
// Every check prints a line; the first failure ends the run with exit code 1. Screenshots
// go to ARTIFACTS_DIR. Every request the page makes must go to BASE_URL.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { check, checksPassed, launchBrowser, reportFailure, parseCsv, tapCsv as csvOf } from './session.mjs';

const [base, artifacts, raText, decText, mous, visitor, python] = process.argv.slice(2);
const ra = Number(raText);
const dec = Number(decText);
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });
const origin = new URL(base).origin;
/** A CSV answer of the service's TAP, for comparing with what the page shows. */
const tapCsv = (adql) => csvOf(base, adql);

/** A SAMP hub with a table-loading client (samp_hub.py): `next()` resolves to the next
 *  message that client received; `stop()` ends both. */
async function startSampHub() {
  const child = spawn(python, [join(dirname(fileURLToPath(import.meta.url)), 'samp_hub.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const records = [];
  const waiting = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    const record = JSON.parse(line);
    if (waiting.length) waiting.shift()(record); else records.push(record);
  });
  const next = (ms = 30000) => (records.length ? Promise.resolve(records.shift()) : new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the SAMP client received nothing')), ms);
    waiting.push((r) => { clearTimeout(timer); resolve(r); });
  }));
  const ready = await next(60000);
  if (!ready.ready) throw new Error(`the SAMP hub did not start: ${ready.error}`);
  return { next, stop: () => child.stdin.end() };
}

const browser = await launchBrowser();
const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1600, height: 1000 } });
const page = await context.newPage();
const foreign = [];
const pageErrors = [];
page.on('request', (r) => {
  const url = r.url();
  // besides the service, only a SAMP hub on this computer (the Web Profile's address)
  if (!url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:') && !url.startsWith('http://localhost:21012/')) foreign.push(url);
});
page.on('pageerror', (e) => pageErrors.push(e.message.slice(0, 300)));
page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`console: ${m.text().slice(0, 300)}`); });

const settled = () => page.waitForFunction(() => document.body.dataset.state === 'done' || document.body.dataset.state === 'error', null, { timeout: 30000 });
const rowKeys = () => page.$$eval('#results tbody tr', (trs) => trs.map((tr) => tr.dataset.key));
const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`) });

try {
  // --- the page opens and runs the default query (science observations)
  await page.goto(`${base}/`);
  await settled();
  check(await page.title() === 'Archive query', 'the page opens at /');
  const science = await page.$eval('#chips', (e) => e.textContent);
  check(science.includes('Observations: science'), 'the default constraint is a chip', science);
  await page.waitForFunction(() => Number(document.getElementById('sky').dataset.footprints || 0) > 0, null, { timeout: 30000 });
  check(true, 'the sky view draws footprints of the first answer');
  await shot('01-opened');

  // --- type a position, as ALMA accepts it
  await page.click('#f-position');
  const cone = `${ra.toFixed(4)} ${dec.toFixed(4)}, 3'`;
  await page.keyboard.type(cone, { delay: 40 });
  await page.waitForFunction((c) => document.getElementById('adql').value.includes('INTERSECTS') && document.body.dataset.state === 'done'
    && document.querySelector('#chips').textContent.includes(c), cone, { timeout: 30000 });
  const keys = await rowKeys();
  check(keys.length > 0, 'typing a position shows rows', `${keys.length} observations`);
  check(await page.$eval('#sky', (e) => e.dataset.searchCircles) === '1' && await page.$eval('#sky', (e) => e.dataset.density) === '',
    'the sky view draws the searched cone over the answer\'s footprints');
  const expected = await tapCsv(`SELECT DISTINCT member_ous_uid, target_name FROM ivoa.obscore WHERE INTERSECTS(CIRCLE('ICRS', ${ra.toFixed(4)}, ${dec.toFixed(4)}, ${3 / 60}), s_region) = 1 AND science_observation = 'T'`);
  check(keys.length === expected.length - 1, 'the rows are the observations TAP finds in that cone', `${keys.length} vs ${expected.length - 1}`);
  const status = await page.$eval('#status', (e) => e.textContent);
  check(/\d+ rows: \d+ observations of \d+ projects/.test(status), 'the status line counts the answer', status);
  await shot('02-position');

  // --- sort by RA, both ways
  await page.click('#results thead th[data-column="s_ra"]');
  let sort = await page.$eval('#results thead th[data-column="s_ra"]', (th) => th.getAttribute('aria-sort'));
  const raIndex = await page.$$eval('#results thead tr:first-child th', (ths) => ths.findIndex((th) => th.dataset.column === 's_ra'));
  const raValues = () => page.$$eval('#results tbody tr', (trs, i) => trs.map((tr) => Number(tr.children[i].title)), raIndex);
  let values = await raValues();
  check(sort === 'ascending' && values.every((v, i) => i === 0 || values[i - 1] <= v), 'clicking RA sorts ascending', values.slice(0, 3).join(' '));
  await page.click('#results thead th[data-column="s_ra"]');
  sort = await page.$eval('#results thead th[data-column="s_ra"]', (th) => th.getAttribute('aria-sort'));
  values = await raValues();
  check(sort === 'descending' && values.every((v, i) => i === 0 || values[i - 1] >= v), 'clicking again sorts descending');

  // --- hover a row: its footprint is highlighted; open a footprint
  const target = (await rowKeys()).find((k) => k.startsWith(`${mous}|`)) || (await rowKeys())[0];
  const row = page.locator(`#results tbody tr[data-key="${target}"]`);
  await row.hover();
  check(await page.$eval('#sky', (e) => e.dataset.highlighted) === target, 'hovering a row highlights its footprint');
  await row.locator('button.locate').click();
  await page.waitForTimeout(500);
  check(await page.$eval('#sky', (e) => e.dataset.focused) === target, 'the row\'s ◎ opens its footprint in the sky view');
  check(await page.$eval('#spectrum', (e) => e.querySelectorAll('g.lane').length) > 0, 'the spectral view draws spectral windows');
  await shot('03-footprint');

  // --- hovering the project code: its abstract and the acknowledgement with its data tag
  await row.locator('td[data-column="proposal_id"] .code-text').hover();
  await page.waitForSelector('#project-details[data-loaded]', { timeout: 15000 });
  const details = await page.$eval('#project-details', (p) => ({ code: p.dataset.code, abstract: p.querySelector('.abstract').textContent, thanks: p.querySelector('.acknowledgement').textContent }));
  check(details.abstract.length > 40 && details.thanks.startsWith(`This paper makes use of the following ALMA data: ADS/JAO.ALMA#${details.code}. ALMA is a partnership of ESO`)
    && details.thanks.endsWith('The Joint ALMA Observatory is operated by ESO, AUI/NRAO and NAOJ.'),
  'hovering the project code shows its abstract and acknowledgement with the data tag', `${details.code}: ${details.abstract.slice(0, 60)}…`);
  await shot('03b-project-details');
  await page.mouse.move(5, 5);
  // the frequency support as a table of spectral windows
  await row.locator('td[data-column="frequency"]').hover();
  await page.waitForSelector('#row-details table', { timeout: 5000 });
  const windowRows = await page.$$eval('#row-details table tr', (trs) => trs.length - 1);
  const supported = await page.evaluate((key) => window.voarchive.table.rows.find((r) => r.key === key).frequency_support.split(' U ').length, target);
  const firstWindow = await page.$eval('#row-details table tr:nth-child(2)', (tr) => tr.textContent);
  check(windowRows === supported && /GHz|\d+\.\d+ – \d+\.\d+/.test(firstWindow), 'the frequency support opens as a table of spectral windows', `${windowRows} windows, e.g. ${firstWindow.slice(0, 60)}`);
  await page.mouse.move(5, 5);

  // --- hovering a footprint in the sky view highlights its row: move onto its outline
  const box = await page.locator('#sky').boundingBox();
  await page.mouse.move(box.x + 5, box.y + box.height - 5);
  // off the sky view onto its panel's title (below it, a long answer's rows may lie)
  await page.mouse.move(box.x + box.width / 2, box.y - 25);
  check(await page.$$eval('#results tbody tr.highlight', (trs) => trs.length) === 0, 'leaving the table clears the highlight');
  const edge = await page.evaluate((key) => {
    const row = window.voarchive.table.rows.find((r) => r.key === key);
    const words = row.s_region.replace(/[()]/g, ' ').split(/\s+/).filter(Boolean);
    const numbers = words.map(Number).filter((n) => !Number.isNaN(n));
    const [ra, dec] = words[0].toLowerCase() === 'circle' ? [numbers[0], numbers[1] + numbers[2]] : [numbers[0], numbers[1]];
    return window.voarchive.sky.aladin.world2pix(ra, dec);
  }, target);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.move(box.x + edge[0], box.y + edge[1], { steps: 6 });
  await page.waitForFunction(() => document.querySelectorAll('#results tbody tr.highlight').length > 0, null, { timeout: 5000 }).catch(() => {});
  const highlightedRow = await page.$$eval('#results tbody tr.highlight', (trs) => trs.map((tr) => tr.dataset.key));
  check(highlightedRow.includes(target), 'hovering a footprint highlights its row', highlightedRow.join(','));

  // --- sub-filter and column chooser
  const bands = await page.$$eval('#results tbody tr', (trs) => trs.map((tr) => tr.dataset.key));
  const firstBand = await page.$eval(`#results tbody tr[data-key="${target}"]`, (tr) => tr.querySelectorAll('td')[6].textContent.split(' ')[0]);
  await page.fill('#results thead tr.filters input[data-column="band_list"]', firstBand);
  const filteredBands = await page.$$eval('#results tbody tr', (trs) => trs.map((tr) => tr.querySelectorAll('td')[6].textContent));
  check(filteredBands.length > 0 && filteredBands.length <= bands.length && filteredBands.every((b) => b.includes(firstBand)), `a sub-filter keeps band ${firstBand} only`, `${filteredBands.length} of ${bands.length}`);
  await page.fill('#results thead tr.filters input[data-column="band_list"]', '');
  await page.click('#columns-button');
  await page.uncheck('#columns-menu input[data-column="pi_name"]');
  check(await page.$('#results thead th[data-column="pi_name"]') === null, 'the column chooser hides PI name');
  await page.check('#columns-menu input[data-column="pi_name"]');
  await page.click('#columns-button');

  // --- project view
  await page.click('.tabs button[data-view="projects"]');
  const projects = await rowKeys();

  const expectedProjects = new Set(expected.slice(1).map((r) => r[0]));
  check(projects.length > 0 && projects.length <= expectedProjects.size, 'the project view has one row per project', `${projects.length}`);
  await shot('04-projects');
  await page.click('.tabs button[data-view="observations"]');

  // --- invert and remove a chip
  await page.click('#chips .chip[data-key="position"] button.invert');
  await settled();
  const inverted = await rowKeys();
  check(inverted.every((k) => !keys.includes(k)), 'inverting the position chip excludes the cone', `${inverted.length} rows outside`);
  const density = await page.$eval('#sky', (e) => e.dataset.density);
  check(/^\d+ cells of order \d+$/.test(density) && await page.$eval('#sky', (e) => e.dataset.searchCircles) === '0',
    'an answer spread over the sky is drawn as a density map of HEALPix cells', density);
  await shot('03c-density');
  // only the footprints in the view are drawn: none while a wide view holds too many to see,
  // and after zooming onto one observation, those near it
  const total = await page.evaluate(() => window.voarchive.sky.rows.length);
  const wide = await page.$eval('#sky', (e) => ({ drawn: Number(e.dataset.footprints), inView: Number(e.dataset.inView) }));
  const probe = (await rowKeys())[0];
  await page.evaluate((k) => {
    const v = window.voarchive;
    const row = v.state.obs.find((o) => o.key === k);
    v.sky.aladin.gotoRaDec(row.s_ra, row.s_dec);
    v.sky.aladin.setFoV(0.5);
  }, probe);
  await page.waitForFunction((k) => window.voarchive.sky.shapes.has(k) && Number(document.getElementById('sky').dataset.inView) < 50, probe, { timeout: 10000 });
  const near = await page.$eval('#sky', (e) => ({ drawn: Number(e.dataset.footprints), inView: Number(e.dataset.inView) }));
  check((wide.inView > 500 ? wide.drawn === 0 : wide.drawn > 0) && near.drawn > 0 && near.inView < total,
    'the sky view draws only the footprints in the view, again after a zoom', `whole answer: ${wide.drawn} footprints for ${wide.inView} rows; zoomed: ${near.drawn} for ${near.inView} of ${total}`);
  check(await page.$eval('#adql', (e) => e.value.includes('NOT (INTERSECTS')), 'the ADQL shows the inversion');

  // --- proprietary rows are marked with their release date (outside the cone there are some)
  const marked = await page.$$eval('#results tbody tr.proprietary', (trs) => trs.map((tr) => tr.querySelector('td.release')?.textContent || ''));
  // (rows whose data are not delivered have no release date: they are checked below)
  const proprietary = await page.evaluate(() => window.voarchive.state.obs.filter((o) => o.data_rights === 'Proprietary' && !o.delivery).length);
  const today = new Date().toISOString().slice(0, 10);
  check(marked.length > 0 && marked.length === proprietary
    && marked.every((t) => /^\d{4}-\d{2}-\d{2} \(proprietary\)$/.test(t) && t.slice(0, 10) >= today),
  'proprietary rows are marked with their release date', `${marked.length} rows, e.g. ${marked[0]}`);
  // a date sub-filter in the form's syntax, on the dates shown: the rows, the counts and the
  // sky and spectral views keep that year's observations
  const shownDates = await page.$$eval('#results tbody tr td[data-column="t_min"]', (tds) => tds.map((td) => td.textContent));
  const years = [...new Set(shownDates.map((d) => d.slice(0, 4)))].sort();
  const year = years[Math.floor(years.length / 2)];
  const inYear = shownDates.filter((d) => d.startsWith(year)).length;
  await page.fill('#results thead tr.filters input[data-column="t_min"]', `${year}-01-01..${year}-12-31`);
  await page.waitForFunction((n) => document.getElementById('status').dataset.kept === String(n), inYear, { timeout: 5000 });
  const keptDates = await page.$$eval('#results tbody tr td[data-column="t_min"]', (tds) => tds.map((td) => td.textContent));
  const followed = await page.evaluate(() => ({ sky: document.getElementById('sky').dataset.rows, spectrum: document.getElementById('spectrum').dataset.rows, status: document.getElementById('status').textContent }));
  check(keptDates.length === inYear && keptDates.every((d) => d.startsWith(year)) && inYear < shownDates.length
    && followed.sky === String(inYear) && followed.spectrum === String(inYear) && followed.status.includes(`the sub-filters keep ${inYear} observations`),
  'a date sub-filter (YYYY-MM-DD..YYYY-MM-DD) keeps that year and the counts, sky and spectral views follow', `${inYear} of ${shownDates.length} in ${year}; ${followed.status}`);
  await page.fill('#results thead tr.filters input[data-column="t_min"]', year);
  check((await page.$$eval('#results tbody tr', (trs) => trs.length)) === inYear, 'a bare year filters the whole year');
  // the sub-filter is a chip: inverted, switched off and on, removed
  const subChip = '#subfilter-chips .chip[data-column="t_min"]';
  await page.click(`${subChip} button.invert`);
  const invertedYear = await page.$$eval('#results tbody tr', (trs) => trs.length);
  await page.click(`${subChip} button.toggle`);
  const switchedOff = await page.$$eval('#results tbody tr', (trs) => trs.length);
  await page.click(`${subChip} button.toggle`);
  const backOn = await page.$$eval('#results tbody tr', (trs) => trs.length);
  await page.click(`${subChip} button.remove`);
  const removed = await page.$$eval('#results tbody tr', (trs) => trs.length);
  check(invertedYear === shownDates.length - inYear && switchedOff === shownDates.length && backOn === invertedYear
    && removed === shownDates.length && await page.$(subChip) === null
    && await page.$eval('#results thead tr.filters input[data-column="t_min"]', (i) => i.value) === '',
  'a sub-filter\'s chip inverts it, switches it off and on, and removes it', `${invertedYear} not in ${year}, ${switchedOff} with it off`);
  await page.fill('#results thead tr.filters input[data-column="t_min"]', '');
  await page.waitForFunction((n) => document.getElementById('status').dataset.kept === String(n), shownDates.length, { timeout: 5000 });
  // a project's publication count lists its publications
  await page.click('.tabs button[data-view="projects"]');
  const published = page.locator('#results tbody td[data-column="publications"]').filter({ hasNotText: /^0$/ }).first();
  await published.hover();
  await page.waitForSelector('#row-details li a', { timeout: 5000 });
  const counted = Number(await published.evaluate((td) => td.firstChild.textContent));
  const listed = await page.$$eval('#row-details li a', (as) => as.map((a) => a.href));
  check(counted > 0 && listed.length >= counted && listed.every((h) => h.startsWith('https://ui.adsabs.harvard.edu/abs/')), 'a publication count lists its publications, linked to ADS', `${counted} counted, ${listed.length} listed`);
  await page.mouse.move(5, 5);
  await page.click('.tabs button[data-view="observations"]');

  // the Publications tab: the answer's publications, each linked to ADS and to its observations
  await page.waitForFunction(() => Number(document.querySelector('.tabs button[data-view="publications"]').dataset.count || 0) > 0, null, { timeout: 15000 });
  await page.click('.tabs button[data-view="publications"]');
  const publication = await page.$eval('#results tbody tr', (tr) => {
    const cell = (c) => tr.querySelector(`td[data-column="${c}"]`);
    return {
      bibcode: cell('bibcode').textContent, ads: cell('bibcode').querySelector('a')?.href,
      journal: cell('journal').textContent, year: cell('year_published').textContent,
      title: cell('publication_title').textContent, projects: cell('projects').textContent,
      observations: Number(cell('observations').textContent.split(' ')[0]),
    };
  });
  check(publication.ads === `https://ui.adsabs.harvard.edu/abs/${encodeURIComponent(publication.bibcode)}` && publication.journal && /^\d{4}$/.test(publication.year)
    && publication.title.length > 10 && /^\d{4}\.\d\.\d{5}\.\w/.test(publication.projects) && publication.observations > 0,
  'the Publications tab lists the answer\'s publications with their projects, linked to ADS', `${publication.bibcode} (${publication.journal} ${publication.year}): ${publication.title.slice(0, 50)}…; ${publication.projects}`);
  await shot('04c-publications');
  await page.click('#results tbody tr:first-child button.publication-observations');
  await page.waitForFunction((n) => document.getElementById('status').dataset.kept === String(n), publication.observations, { timeout: 5000 });
  const usedBy = await page.$$eval('#results tbody tr td[data-column="bib_reference"]', (tds) => tds.map((td) => td.textContent));
  check(usedBy.length === publication.observations && usedBy.every((b) => b.split(' ').includes(publication.bibcode))
    && await page.$eval('.tabs button[data-view="observations"]', (b) => b.getAttribute('aria-selected')) === 'true',
  'a publication\'s observations open in the observations view', `${usedBy.length} observations use ${publication.bibcode}`);
  await page.fill('#results thead tr.filters input[data-column="bib_reference"]', '');
  await page.click('#columns-button');
  await page.uncheck('#columns-menu input[data-column="bib_reference"]');
  await page.click('#columns-button');
  await shot('04b-proprietary');
  // the release date links to a calendar reminder (kept for the test to parse)
  const reminder = await page.$('#results tbody tr.proprietary td.release a.calendar');
  const remindOf = await reminder.evaluate((a) => ({ date: a.textContent, mous: new URL(a.href).searchParams.get('mous') }));
  const [ics] = await Promise.all([page.waitForEvent('download'), reminder.click()]);
  const icsText = readFileSync(await ics.path(), 'utf8');
  writeFileSync(join(artifacts, 'release.ics'), icsText);
  writeFileSync(join(artifacts, 'release.json'), JSON.stringify(remindOf));
  check(icsText.startsWith('BEGIN:VCALENDAR') && /\.ics$/.test(ics.suggestedFilename()), 'a proprietary release date downloads a calendar reminder', `${ics.suggestedFilename()} for ${remindOf.date}`);
  await page.click('#chips .chip[data-key="position"] button.invert');
  await settled();

  // --- share: the link reruns the query, with the table's sort order, sub-filters and columns
  await page.click('#results thead th[data-column="s_dec"]');
  await page.fill('#results thead tr.filters input[data-column="band_list"]', firstBand);
  await page.click('#columns-button');
  await page.uncheck('#columns-menu input[data-column="pi_name"]');
  await page.click('#columns-button');
  const orderHere = await page.$$eval('#results tbody tr', (trs) => trs.map((tr) => tr.dataset.key));
  await page.click('#share');
  const shared = await page.$eval('#share-url', (e) => e.value);
  const other = await context.newPage();
  await other.goto(shared);
  await other.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 30000 });
  const sharedKeys = await other.$$eval('#results tbody tr', (trs) => trs.map((tr) => tr.dataset.key));
  check(sharedKeys.length === keys.length && await other.$eval('#f-position', (e) => e.value) === cone, 'the share link reruns the same query', shared.slice(0, 80));
  const restored = await other.evaluate(() => ({
    sort: document.querySelector('#results thead th[data-column="s_dec"]')?.getAttribute('aria-sort'),
    filter: document.querySelector('#results thead tr.filters input[data-column="band_list"]')?.value,
    piName: document.querySelector('#results thead th[data-column="pi_name"]') !== null,
  }));
  check(restored.sort === 'ascending' && restored.filter === firstBand && !restored.piName && sharedKeys.join() === orderHere.join(),
    'the share link restores the sort order, the sub-filters and the columns', JSON.stringify(restored));
  await other.close();
  await page.fill('#results thead tr.filters input[data-column="band_list"]', '');
  await page.click('#columns-button');
  await page.check('#columns-menu input[data-column="pi_name"]');
  await page.click('#columns-button');

  // --- export CSV: the whole answer of the same query
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const csv = parseCsv(readFileSync(await download.path(), 'utf8'));
  const rowsInCone = await tapCsv(`SELECT COUNT(*) FROM ivoa.obscore WHERE INTERSECTS(CIRCLE('ICRS', ${ra.toFixed(4)}, ${dec.toFixed(4)}, ${3 / 60}), s_region) = 1 AND science_observation = 'T'`);
  check(csv[0].includes('obs_id') && csv[0].includes('s_region') && csv.length - 1 === Number(rowsInCone[1][0]), 'Export CSV downloads every row of the query', `${csv.length - 1} rows, ${download.suggestedFilename()}`);

  // --- SAMP: with no hub, the page says what to start; with one, a desktop tool loads the
  // answer's table and the selected observations' rows (and selects them in that table)
  const errorsBefore = pageErrors.length;
  await page.click('#samp-table');
  await page.waitForFunction(() => document.getElementById('samp-status').textContent.includes('hub'), null, { timeout: 15000 });
  const noHub = await page.$eval('#samp-status', (e) => ({ text: e.textContent, error: e.className === 'error' }));
  check(noHub.error && noHub.text.includes('No SAMP hub is running') && noHub.text.includes('TOPCAT'), 'with no SAMP hub, the page says so and what to start', noHub.text);
  // the browser logs the refused connection to the absent hub: that is the expected answer
  pageErrors.splice(errorsBefore);
  const hub = await startSampHub();
  try {
    await page.click('#samp-table');
    const loadedTable = await hub.next();
    await page.waitForFunction(() => document.getElementById('samp-status').textContent.startsWith('Sent'), null, { timeout: 15000 });
    const sentSaid = await page.$eval('#samp-status', (e) => e.textContent);
    check(loadedTable.mtype === 'table.load.votable' && !loadedTable.error && loadedTable.rows === csv.length - 1
      && loadedTable.obs_ids.join() === csv.slice(1).map((r) => r[csv[0].indexOf('obs_id')]).join() && sentSaid.includes('Table loader'),
    'SAMP: a desktop tool loads the answer as a table (every row, in the page\'s order)', `${loadedTable.rows ?? loadedTable.error} rows; ${sentSaid}`);
    const pair = (await page.$$eval('#results tbody tr', (trs) => trs.filter((tr) => tr.querySelector('td.select input')).map((tr) => tr.dataset.key))).slice(0, 2);
    for (const key of pair) await page.check(`#results tbody tr[data-key="${key}"] td.select input`);
    await page.click('#samp-rows');
    // two notifications, in whichever order the hub delivers them
    const two = [await hub.next(), await hub.next()];
    const selectedTable = two.find((r) => r.mtype === 'table.load.votable') || {};
    const selection = two.find((r) => r.mtype === 'table.select.rowList') || { row_list: [] };
    const keyOf = await page.evaluate(() => Object.fromEntries(window.voarchive.state.result.rows.map((r) => [r.obs_id, `${r.member_ous_uid}|${r.target_name}`])));
    const selectedKeys = [...new Set(selectedTable.obs_ids.map((o) => keyOf[o]))].sort();
    check(!selectedTable.error && selectedKeys.join() === [...pair].sort().join(), 'SAMP: "Send selected" sends exactly the selected observations\' rows', `${selectedTable.rows ?? selectedTable.error} rows of ${pair.join(', ')}`);
    const pageRows = await page.evaluate(() => window.voarchive.state.result.rows.map((r) => r.obs_id));
    const picked = [...new Set(selection.row_list.map((i) => keyOf[pageRows[i]]))].sort();
    check(selection.mtype === 'table.select.rowList' && selection.table_id === loadedTable.table_id && selection.row_list.length === selectedTable.rows
      && picked.join() === [...pair].sort().join(), 'SAMP: and selects those rows in the table sent before', `rows ${selection.row_list.join(' ')}`);
    await shot('04b-samp');
    for (const key of pair) await page.uncheck(`#results tbody tr[data-key="${key}"] td.select input`);
    // a new answer (the form's query run again) clears what was said of the last one
    await page.evaluate(() => document.getElementById('reset-adql').click());
    await page.waitForFunction(() => document.body.dataset.state !== 'done', null, { timeout: 5000 }).catch(() => {});
    await settled();
    check((await page.$eval('#samp-status', (e) => e.textContent)) === '', 'a new answer clears the SAMP message of the last one');
  } finally {
    hub.stop();
  }

  // --- the Request Handler: the selected observation's files along the hierarchy, chosen one
  // by one and by class, kept as a request whose script fetches exactly those
  await page.check(`#results tbody tr[data-key="${target}"] td.select input`);
  await page.click('#request-button');
  await page.waitForFunction(() => Number(document.getElementById('request').dataset.loaded || 0) > 0, null, { timeout: 30000 });
  const offered = await page.$$eval('#request input.file', (bs) => bs.map((b) => ({ name: b.dataset.name, cls: b.dataset.class, checked: b.checked })));
  const hierarchy = await page.$eval('#request-body', (b) => b.querySelector('.hierarchy')?.textContent || '');
  await page.uncheck('#request-classes input[data-class="auxiliary"]');
  const firstProduct = offered.find((f) => f.cls === 'products');
  await page.uncheck(`#request input.file[data-name="${firstProduct.name}"]`);
  const chosen = await page.$$eval('#request input.file', (bs) => bs.filter((b) => b.checked).map((b) => b.dataset.name));
  const marks = await page.$$eval('#request .may', (ms) => ms.length);
  check(offered.length >= 4 && hierarchy.includes('member OUS uid://') && marks === offered.length
    && chosen.length > 0 && !chosen.includes(firstProduct.name) && chosen.every((n) => offered.find((f) => f.name === n).cls !== 'auxiliary'),
  'the Request Handler lists the files along the hierarchy, marked downloadable, chosen by file and by class', `${chosen.length} of ${offered.length} chosen; ${hierarchy.slice(0, 90)}`);
  await page.click('#request-submit');
  await page.waitForFunction(() => document.getElementById('request').dataset.request !== '', null, { timeout: 15000 });
  const requestId = await page.$eval('#request', (d) => d.dataset.request);
  const [requestScript] = await Promise.all([page.waitForEvent('download'), page.click('#request-script')]);
  const scriptText = readFileSync(await requestScript.path(), 'utf8');
  const inScript = [...scriptText.matchAll(/^"[^|]+\|([^|]+)\|/gm)].map((m) => m[1]).sort();
  check(inScript.join() === [...chosen].sort().join(), 'the request\'s script fetches exactly the chosen files', `request ${requestId}: ${inScript.length} files`);
  writeFileSync(join(artifacts, 'request.sh'), scriptText);
  writeFileSync(join(artifacts, 'request.json'), JSON.stringify({ id: requestId, files: chosen }));
  const [visitorName, visitorPassword] = visitor.split(':');
  await page.fill('#request-user', visitorName);
  await page.fill('#request-password', visitorPassword);
  await page.click('#request-signin');
  await page.waitForFunction((u) => document.getElementById('request').dataset.user === u, visitorName, { timeout: 10000 });
  check((await page.$eval('#request-who', (e) => e.textContent)) === `Signed in as ${visitorName}.`, 'signing in happens in the page', visitorName);
  await shot('05b-request');
  await page.click('#request-close');
  const kept = await context.newPage();
  await kept.goto(`${base}/#request=${requestId}`);
  await kept.waitForFunction(() => Number(document.getElementById('request').dataset.loaded || 0) > 0, null, { timeout: 30000 });
  const keptFiles = await kept.$$eval('#request input.file', (bs) => bs.map((b) => b.dataset.name).sort());
  check(keptFiles.join() === [...chosen].sort().join(), 'the request\'s link shows the request', `${keptFiles.length} files`);
  await kept.close();

  // --- select a row → DataLink files with previews → download script
  await page.check(`#results tbody tr[data-key="${target}"] td.select input`);
  check(await page.$eval('#files-button', (b) => !b.disabled && b.textContent.includes('(1)')), 'selecting a row enables the file list');
  await page.click('#files-button');
  await page.waitForFunction(() => Number(document.getElementById('files').dataset.loaded || 0) > 0, null, { timeout: 30000 });
  const semantics = await page.$$eval('#files-body td:first-child', (tds) => tds.map((td) => td.textContent));
  check(semantics.includes('#this') && semantics.includes('#progenitor'), 'DataLink lists the products and raw data', [...new Set(semantics)].join(' '));
  const refused = [];
  page.on('response', (r) => { if (r.status() === 429) refused.push(r.url()); });
  await page.click('#files-body button.list-files');
  await page.waitForFunction(() => [...document.querySelectorAll('#files-body img.preview')].some((i) => i.complete && i.naturalWidth > 0), null, { timeout: 60000 });
  // every preview of the package loads as it scrolls into view, none refused by the
  // per-client limit
  for (const img of await page.$$('#files-body img.preview')) await img.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => [...document.querySelectorAll('#files-body img.preview')].every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 60000 });
  const previewCount = await page.$$eval('#files-body img.preview', (is) => is.length);
  check(previewCount >= 8 && refused.length === 0, 'every preview of the package loads, none refused (429)', `${previewCount} previews, ${refused.length} refused`);
  await page.$eval('#files-body', (b) => { b.scrollTop = 0; });
  const inPackage = await page.$$eval('#files-body td[colspan] a', (as) => as.map((a) => a.textContent));
  check(inPackage.some((name) => name.endsWith('.fits')), 'a package lists its FITS files with previews', inPackage.slice(0, 2).join(' '));
  await shot('05-files');
  const [script] = await Promise.all([page.waitForEvent('download'), page.click('#download-script')]);
  const text = readFileSync(await script.path(), 'utf8');
  const underscored = mous.replace(/[:/]/g, '_');
  check(text.startsWith('#!') && text.includes(underscored) && /downloadRequest[0-9a-f]+\.sh/.test(script.suggestedFilename()), 'the download script fetches the selected observation\'s files', script.suggestedFilename());

  // --- a cube's lines, interactive: the spectra with tentative labels, moment maps, help
  const surveys = await page.$$('#files-body button.survey');
  check(surveys.length > 0, 'a cube\'s preview offers its line survey', `${surveys.length} cubes`);
  let withLines = 0;
  for (const b of surveys.slice(0, 8)) {
    await b.click();
    await page.waitForFunction(() => document.getElementById('line-survey').dataset.loaded !== '', null, { timeout: 30000 });
    withLines = Number(await page.$eval('#line-survey', (d) => d.dataset.loaded));
    if (withLines > 0) break;
    await page.click('#line-survey-close');
  }
  check(withLines > 0, 'the survey finds the cube\'s lines', `${withLines} lines`);
  await page.waitForSelector('#line-survey .u-over', { timeout: 10000 });
  const shownLabels = await page.$$eval('#line-survey .survey-label', (ls) => ls.map((l) => l.textContent));
  const warned = await page.$eval('#line-survey .warning', (w) => w.textContent);
  check(shownLabels.length > 0 && /not for science/.test(warned), 'the spectra show the lines, tentatively labelled', shownLabels.slice(0, 4).join(', '));
  await page.screenshot({ path: join(artifacts, '09-survey.png') });
  await page.uncheck('#line-survey-labels');
  check(await page.$eval('#line-survey .survey-labels', (o) => o.hidden), 'labels can be hidden');
  await page.check('#line-survey-labels');
  await page.click('#line-survey-tabs button[data-tab="moment1"]');
  const momentImage = await page.waitForSelector('#line-survey .zoomable img');
  await page.waitForFunction(() => { const i = document.querySelector('#line-survey .zoomable img'); return i && i.complete && i.naturalWidth > 0; }, null, { timeout: 30000 });
  const where = await momentImage.boundingBox();
  await page.mouse.move(where.x + where.width / 2, where.y + where.height / 3);
  await page.mouse.wheel(0, -300);
  const scale = Number(await page.$eval('#line-survey .zoomable', (z) => z.dataset.scale));
  check(scale > 1, 'the moment-1 map zooms', `×${scale.toFixed(2)}`);
  await page.click('#line-survey-tabs button[data-tab="help"]');
  check((await page.$eval('#line-survey-body', (b) => b.textContent)).includes('tentative'), 'the help tab explains the survey');
  await page.click('#line-survey-close');

  // --- a cube in the viewer: channels from tiles, the animator, the spectrum under the
  // cursor, a box's statistics and its SODA cutout
  const views = [];
  for (const b of await page.$$('#files-body button.view-cube')) if ((await b.getAttribute('title')).includes('.cube.I.pbcor')) views.push(b);
  check(views.length > 0, 'every FITS product opens in the cube viewer', `${(await page.$$('#files-body button.view-cube')).length} buttons`);
  await views[0].click();
  await page.waitForFunction(() => document.getElementById('cube-viewer').dataset.drawn === '0', null, { timeout: 30000 });
  const canvasSample = () => page.$eval('#cube-canvas', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const colours = new Set();
    for (let i = 0; i < d.length; i += 4 * 97) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return { colours: colours.size, first: [...colours].slice(0, 50).join(',') };
  });
  const firstDrawn = await canvasSample();
  check(firstDrawn.colours > 20, 'the cube opens on its first channel', `${firstDrawn.colours} colours`);
  await page.click('#cube-next');
  await page.waitForFunction(() => document.getElementById('cube-viewer').dataset.drawn === '1', null, { timeout: 10000 });
  await page.focus('#cube-canvas');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.getElementById('cube-viewer').dataset.drawn === '2', null, { timeout: 10000 });
  const channelText = await page.$eval('#cube-channel', (e) => e.textContent);
  check(/channel 2 of \d+ — [\d.]+ GHz, -?[\d.]+ km\/s/.test(channelText), 'the channels step (button, arrow key) with frequency and velocity', channelText);
  await page.click('#cube-play');
  await page.waitForFunction(() => Number(document.getElementById('cube-viewer').dataset.drawn) >= 5, null, { timeout: 15000 });
  await page.click('#cube-play');
  check(await page.$eval('#cube-play', (b) => b.textContent) === '▶ Play', 'the animator plays the channels and pauses', `at channel ${await page.$eval('#cube-viewer', (d) => d.dataset.channel)}`);
  const cubeMiddle = await page.$eval('#cube-slider', (s) => Math.floor(Number(s.max) / 2));
  await page.$eval('#cube-slider', (s, v) => { s.value = String(v); s.dispatchEvent(new Event('input')); }, cubeMiddle);
  await page.waitForFunction((v) => document.getElementById('cube-viewer').dataset.drawn === String(v), cubeMiddle, { timeout: 10000 });
  const canvasBox = await (await page.$('#cube-canvas')).boundingBox();
  await page.mouse.move(canvasBox.x + canvasBox.width / 2, canvasBox.y + canvasBox.height / 2);
  await page.waitForFunction(() => document.getElementById('cube-viewer').dataset.spectrum !== '', null, { timeout: 10000 });
  await page.waitForSelector('#cube-profile .u-over', { timeout: 10000 });
  const spectrumAt = await page.$eval('#cube-spectrum-at', (e) => e.textContent);
  const cursorText = await page.$eval('#cube-cursor', (e) => e.textContent);
  check(/Spectrum at x \d+, y \d+ — \d\dh\d\dm/.test(spectrumAt) && /Jy\/beam/.test(cursorText), 'the spectrum under the cursor, with its position and value', `${spectrumAt}; ${cursorText}`);
  const cubeBefore = await canvasSample();
  await page.selectOption('#cube-colours', 'grey');
  await page.selectOption('#cube-stretch', 'asinh');
  // the viewer draws at the next frame
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const cubeAfter = await canvasSample();
  check(cubeAfter.first !== cubeBefore.first, 'colour map and stretch redraw the channel at once', `${cubeBefore.colours} → ${cubeAfter.colours} colours`);
  await page.click('#cube-box');
  await page.mouse.move(canvasBox.x + canvasBox.width / 2 - 60, canvasBox.y + canvasBox.height / 2 - 50);
  await page.mouse.down();
  await page.mouse.move(canvasBox.x + canvasBox.width / 2 + 40, canvasBox.y + canvasBox.height / 2 + 30, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => document.querySelector('#cube-stats .hint')?.textContent.includes('drawn box'), null, { timeout: 10000 });
  const cubeStats = await page.$eval('#cube-stats', (e) => e.textContent);
  check(/mean ± std/.test(cubeStats) && /flux density/.test(cubeStats), 'a drawn box gets its statistics', cubeStats.replace(/\s+/g, ' ').slice(0, 160));
  await page.screenshot({ path: join(artifacts, '10-cube-viewer.png') });
  const cutoutLink = await page.$eval('#cube-cutout', (a) => ({ href: a.href, text: a.textContent }));
  const [cutoutFile] = await Promise.all([page.waitForEvent('download'), page.click('#cube-cutout')]);
  const cutoutBytes = readFileSync(await cutoutFile.path());
  const cutoutHeader = cutoutBytes.subarray(0, 2880 * 2).toString('latin1');
  const cutoutAxis = (n) => Number((cutoutHeader.match(new RegExp(`NAXIS${n} *= *(\\d+)`)) || [])[1]);
  const cubeSide = await page.$eval('#cube-about', (e) => Number(e.textContent.match(/(\d+) × \d+ pixels/)[1]));
  check(cutoutHeader.startsWith('SIMPLE') && cutoutAxis(1) > 0 && cutoutAxis(1) < cubeSide && cutoutLink.href.includes('/soda/sync?ID='), 'the box is cut out with SODA', `${cutoutLink.text}: ${cutoutAxis(1)} × ${cutoutAxis(2)} × ${cutoutAxis(3)} of ${cubeSide} pixels across`);
  await page.click('#cube-close');

  // --- from a preview: the archive's images most like it
  const alike = await page.$$('#files-body button.similar-images');
  const scienceImages = [];
  for (const b of alike) if ((await b.getAttribute('title')).includes('_sci.')) scienceImages.push(b);
  check(scienceImages.length > 0, 'a science image\'s preview offers its similar images', `${alike.length} previews with the button`);
  await scienceImages[0].click();
  await page.waitForFunction(() => Number(document.getElementById('similar-images').dataset.loaded || 0) > 0, null, { timeout: 30000 });
  const tileNames = () => page.$$eval('#similar-images-grid .thumb', (bs) => bs.map((b) => b.dataset.name));
  const before = await tileNames();
  const queried = (await scienceImages[0].getAttribute('title')).replace('Images most like ', '');
  check(before.length > 100 && before[0] === queried, 'the similar set opens with the image first and its most alike after it', `${before.length} images`);
  const sheet = await page.evaluate(async () => {
    const url = document.querySelector('#similar-images-grid .thumb').style.backgroundImage.slice(5, -2);
    const response = await fetch(url);
    const img = new Image();
    img.src = url;
    await img.decode().catch(() => {});
    return { url, width: img.naturalWidth, status: response.status, type: response.headers.get('content-type'), text: response.ok ? '' : await response.text() };
  });
  check(sheet.status === 200 && sheet.type === 'image/png' && sheet.width > 0, 'the thumbnails come on one sheet', JSON.stringify(sheet).slice(0, 300));
  const groupCount = await page.$$eval('#similar-images-groups .thumb', (bs) => bs.length);
  check(groupCount === 5, 'the five largest groups are shown as quick-looks', `${groupCount}`);
  await page.hover('#similar-images-grid .thumb:nth-child(3)');
  const hover = await page.$eval('#similar-images-hover', (e) => e.textContent);
  check(hover.includes('uid://') && hover.includes('.fits'), 'hovering an image says its observation and file', hover.slice(0, 100));
  // select two more (one by click, one by right-click): the set re-orders by joint similarity
  const pick = before[40];
  await page.click(`#similar-images-grid .thumb[data-name="${pick}"]`);
  const pick2 = before[80];
  await page.click(`#similar-images-grid .thumb[data-name="${pick2}"]`, { button: 'right' });
  const after = await tileNames();
  const selectedNow = await page.$$eval('#similar-images-grid .thumb.selected', (bs) => bs.map((b) => b.dataset.name));
  check(selectedNow.length === 3 && after.slice(0, 3).every((n) => selectedNow.includes(n)), 'the selected images come first', selectedNow.join(' '));
  check(after.slice(3, 23).join() !== before.slice(1, 21).join(), 'selecting images changes the order of the rest', `${after[3]} first now`);
  await page.uncheck('#similar-images-rerank');
  check((await tileNames()).join() === before.join(), 'turning re-ordering off restores the ranking');
  await page.check('#similar-images-rerank');
  await page.screenshot({ path: join(artifacts, '08-similar-images.png') });
  const [imagesScript] = await Promise.all([page.waitForEvent('download'), page.click('#similar-images-script')]);
  const imagesText = readFileSync(await imagesScript.path(), 'utf8');
  check(imagesText.startsWith('#!') && [queried, pick, pick2].every((n) => imagesText.includes(n)), 'the download script fetches the selected images\' FITS files', imagesScript.suggestedFilename());
  const [opened] = await Promise.all([context.waitForEvent('page'), page.click('#similar-images-open')]);
  await opened.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 30000 });
  const openedMous = [...new Set((await opened.$$eval('#results tbody tr', (trs) => trs.map((tr) => tr.dataset.key))).map((k) => k.split('|')[0]))];
  const wantedMous = await page.evaluate(() => [...new Set([...document.querySelectorAll('#similar-images-grid .thumb.selected')].map((b) => b.title.split('\n')[0].split(' · ')[2]))]);
  check(openedMous.length > 0 && openedMous.every((m) => wantedMous.includes(m)) && wantedMous.every((m) => openedMous.includes(m)),
    'the selected images\' observations open as a new query', openedMous.join(' '));
  await opened.close();
  await page.click('#similar-images-close');
  await page.click('#files-close');

  // --- from a row: its observation's images
  await page.click(`#results tbody tr[data-key="${target}"] button.similar-images`);
  await page.waitForFunction(() => Number(document.getElementById('similar-images').dataset.loaded || 0) > 0, null, { timeout: 30000 });
  const fromRow = await tileNames();
  check(fromRow.length > 100 && fromRow[0].includes(target.split('|')[1]), 'an observation row opens the images most like its own', fromRow[0]);
  await page.click('#similar-images-close');

  // --- edit the ADQL and run it
  await page.click('#adql-panel summary');
  await page.fill('#adql', `SELECT obs_id, member_ous_uid, proposal_id, target_name, s_ra, s_dec, band_list, s_region, frequency_support, obs_release_date, data_rights FROM ivoa.obscore WHERE member_ous_uid = '${mous}'`);
  await page.click('#run-adql');
  await settled();
  const own = await rowKeys();
  check(own.length > 0 && own.every((k) => k.startsWith(`${mous}|`)), 'edited ADQL runs as written', `${own.length} observations`);

  // --- rows whose data are not delivered: no checkbox, and the release column says why
  await page.fill('#adql', 'SELECT TOP 200 obs_id, member_ous_uid, proposal_id, target_name, s_ra, s_dec, band_list, s_region, frequency_support, obs_release_date, data_rights FROM ivoa.obscore WHERE obs_release_date IS NULL OR data_rights = \'Public\' ORDER BY obs_release_date DESC');
  await page.click('#run-adql');
  await settled();
  await page.waitForTimeout(1000); // DataLink's word on In progress / In QA3
  const pending = await page.$$eval('#results tbody tr.pending', (trs) => trs.map((tr) => ({
    box: tr.querySelector('td.select input') !== null,
    release: tr.querySelector('td.release')?.textContent || '',
  })));
  const withData = await page.$$eval('#results tbody tr:not(.pending) td.select input', (boxes) => boxes.length);
  check(pending.length > 0 && withData > 0, 'an answer shows rows with data and rows without', `${pending.length} without, ${withData} with`);
  check(pending.every((p) => !p.box && /^In (progress|QA3)$/.test(p.release)),
    'rows without data have no checkbox and say In progress or In QA3', JSON.stringify(pending.slice(0, 3)));
  await shot('07-pending');
  await page.fill('#adql', 'SELECT nonsense FROM ivoa.obscore');
  await page.click('#run-adql');
  await settled();
  const error = await page.$eval('#status', (e) => e.textContent);
  check(error.includes('failed') && error.includes('nonsense'), 'a wrong query shows the service\'s message', error.slice(0, 120));
  await shot('06-adql');

  // --- the archive's coverage (a MOC) drawn in the sky view
  const [mocAnswer] = await Promise.all([page.waitForResponse((r) => r.url().includes('/moc/holdings')), page.check('#coverage')]);
  const mocCells = await page.evaluate(async () => Object.values(await (await fetch('/moc/holdings?depth=14&format=json')).json()).reduce((n, cells) => n + cells.length, 0));
  await page.waitForFunction(() => document.getElementById('sky').dataset.coverage === 'drawn', null, { timeout: 30000 });
  check(mocAnswer.status() === 200 && mocCells > 0, 'the archive\'s coverage MOC draws in the sky view', `${mocCells} cells`);
  await shot('11-coverage');
  await page.uncheck('#coverage');

  // --- the layout at a laptop's and a desktop's screen: the form folds away, the table gets
  // the width and shows the most used columns
  const fullyShown = () => page.evaluate(() => {
    const wrap = document.getElementById('table-wrap').getBoundingClientRect();
    return [...document.querySelectorAll('#results thead tr:first-child th[data-column]')]
      .filter((th) => { const r = th.getBoundingClientRect(); return r.left >= wrap.left - 1 && r.right <= wrap.right + 1; }).length;
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  const laptopWithForm = await fullyShown();
  await page.click('#form-toggle');
  const laptop = await fullyShown();
  await page.screenshot({ path: join(artifacts, '12-1280x800.png') });
  check(laptop >= 7 && laptop > laptopWithForm, 'at 1280×800 the folded form gives the table its width', `${laptopWithForm} columns shown with the form, ${laptop} without`);
  await page.click('#form-toggle');
  await page.setViewportSize({ width: 1920, height: 1080 });
  const desktop = await fullyShown();
  await page.screenshot({ path: join(artifacts, '12-1920x1080.png') });
  check(desktop >= 9, 'at 1920×1080 the table shows the most used columns beside the form', `${desktop} columns`);
  await page.setViewportSize({ width: 1600, height: 1000 });

  // --- a cold load of the page and its first answer: bytes over the wire compressed (the
  // browser's own Accept-Encoding) and not (identity asked for)
  const coldLoad = async (headers) => {
    const fresh = await browser.newContext({ extraHTTPHeaders: headers });
    const cold = await fresh.newPage();
    const answers = [];
    cold.on('response', (r) => answers.push(r));
    await cold.goto(`${base}/`);
    await cold.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 30000 });
    await cold.waitForTimeout(1000);
    let bytes = 0;
    for (const r of answers) { const sizes = await r.request().sizes(); bytes += sizes.responseBodySize + sizes.responseHeadersSize; }
    await fresh.close();
    return { bytes, requests: answers.length };
  };
  const compressed = await coldLoad({});
  const uncompressed = await coldLoad({ 'Accept-Encoding': 'identity' });
  check(uncompressed.bytes >= 3 * compressed.bytes, 'a cold page load is at least 3× smaller compressed', `${compressed.bytes} bytes in ${compressed.requests} answers compressed, ${uncompressed.bytes} not (${(uncompressed.bytes / compressed.bytes).toFixed(1)}×)`);

  check(foreign.length === 0, 'every request went to the service itself', foreign.slice(0, 3).join(' '));
  const real = pageErrors.filter((e) => !e.includes('status of 400'));
  check(real.length === 0, 'no script errors', real.slice(0, 3).join(' | '));
  console.log(`${checksPassed()} checks passed`);
} catch (e) {
  await reportFailure(e, shot, pageErrors);
} finally {
  await browser.close();
}
