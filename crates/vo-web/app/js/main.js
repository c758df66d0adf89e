// The query page: the form and its chips, the ADQL they make, and the views of the answer.
import { GROUPS, FIELDS, FIELD, COLUMNS, buildQuery, literal, parsePosition, parseTargetList, searchedFrequencies, targetsVOTable } from './constraints.js';
import { runQuery, syncUrl } from './tap.js';
import { observations, projects, publicationRows, bibcodes, DEFAULT_COLUMNS, VIEW_COLUMNS } from './rows.js';
import { ResultTable } from './table.js';
import { SkyView } from './sky.js';
import { SpectrumView } from './spectrum.js';
import { FilesDialog } from './files.js';
import { SimilarImagesDialog } from './similar_images.js';
import { SurveyDialog } from './survey.js';
import { CubeViewer } from './cube_viewer.js';
import { RequestDialog } from './request.js';
import { chipButton } from './chips.js';
import { hideDetails, showPublications, showWindows } from './row_details.js';
import { showProjectDetails, hideProjectDetails } from './project_details.js';
import { parseVOTable } from './votable.js';
import { SampError, selectRows, sendTable } from './samp.js';

const $ = (id) => document.getElementById(id);
const state = { negated: new Set(), off: new Set(), targets: null, adqlOverride: null, view: 'observations', result: null, obs: [], projects: [] };
let config = { hips_url: null, max_rows: 2000 };
let running = null;
let timer = null;
/** Names typed in the position field, resolved by this server: name → {ra, dec, object} or {error}. */
const resolvedNames = new Map();

// ---- the form ---------------------------------------------------------------------------

function buildForm() {
  const form = $('form');
  for (const group of GROUPS) {
    const fieldset = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = group.name;
    fieldset.append(legend);
    for (const field of group.fields) {
      const label = document.createElement('label');
      let input;
      if (field.kind === 'choice') {
        input = document.createElement('select');
        for (const [value, text] of field.choices) input.append(new Option(text, value));
        input.value = field.default ?? '';
      } else if (field.kind === 'flag') {
        label.className = 'check';
        input = document.createElement('input');
        input.type = 'checkbox';
      } else {
        input = document.createElement('input');
        input.type = 'text';
        input.placeholder = field.placeholder || '';
      }
      input.name = field.key;
      input.id = `f-${field.key}`;
      if (field.complete) {
        const list = document.createElement('datalist');
        list.id = `dl-${field.key}`;
        input.setAttribute('list', list.id);
        input.setAttribute('autocomplete', 'off');
        input.addEventListener('input', () => completeLater(field, input, list));
        label.append(list);
      }
      if (field.help) input.title = field.help;
      const caption = document.createElement('span');
      caption.textContent = field.label;
      const error = document.createElement('div');
      error.className = 'error';
      error.id = `e-${field.key}`;
      if (field.kind === 'flag') label.append(input, caption); else label.append(caption, input);
      label.append(error);
      // examples to click: the field fills with one and the query runs
      const examples = field.examples || (field.placeholder ? field.placeholder.split(' | ') : []);
      if (examples.length && field.kind !== 'choice' && field.kind !== 'flag') {
        const row = document.createElement('div');
        row.className = 'examples';
        row.append('e.g. ');
        for (const example of examples) {
          const button = document.createElement('button');
          button.type = 'button';
          button.textContent = example;
          button.title = `Search ${field.label}: ${example}`;
          button.addEventListener('click', (e) => {
            e.preventDefault();
            input.value = example;
            schedule();
          });
          row.append(button);
        }
        label.append(row);
      }
      if (field.note) {
        const note = document.createElement('div');
        note.className = 'note';
        note.textContent = field.note;
        label.append(note);
      }
      fieldset.append(label);
    }
    form.append(fieldset);
  }
  // a target list: a file of positions, one a line, resolved and joined as one upload
  const position = form.querySelector('fieldset');
  const label = document.createElement('label');
  label.innerHTML = '<span>Target list (file)</span>';
  const file = document.createElement('input');
  file.type = 'file';
  file.id = 'f-targets';
  file.accept = '.txt,.csv,.lis,.list,text/plain';
  file.title = "One target a line, as the position field takes it: a name, ra dec, sexagesimal or 'l b gal', a radius after a comma (10' by default); # starts a comment";
  const report = document.createElement('ol');
  report.id = 'targets-report';
  label.append(file, report);
  position.append(label);
  file.addEventListener('change', async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    await loadTargetList(chosen.name, await chosen.text());
    file.value = '';
  });
  form.addEventListener('input', (e) => { if (e.target !== file) schedule(); });
  // leaving a field fires 'change' after the 'input' events that already ran its query: run
  // again only when the query is not the one shown (a re-run redraws every view, and undid
  // what the user was doing in them meanwhile)
  form.addEventListener('change', (e) => {
    if (e.target === file) return;
    const shown = document.body.dataset.state !== 'scheduled' && document.body.dataset.state !== 'error'
      && currentAdql() === state.adql && Boolean(currentUpload()) === state.uploaded;
    if (!shown) schedule();
  });
  form.addEventListener('submit', (e) => { e.preventDefault(); update(); });
}

// ---- completion from the archive's own values -------------------------------------------

const completionTimers = new Map();

/** Offers the archive's values of the field that match what is typed (the last of several
 *  alternatives), a moment after typing stops. */
function completeLater(field, input, list) {
  clearTimeout(completionTimers.get(field.key));
  completionTimers.set(field.key, setTimeout(async () => {
    const alternatives = input.value.split('|');
    const typed = alternatives.pop().replace(/^\s*!/, '').trim();
    // the position field completes names, not coordinates or radii
    if (typed.length < 2 || (field.kind === 'position' && (/,/.test(typed) || !/\p{L}/u.test(typed)))) {
      list.replaceChildren();
      return;
    }
    let answer;
    try {
      const response = await fetch(`/resolve/complete?field=${field.complete}&text=${encodeURIComponent(typed)}`);
      answer = await response.json();
    } catch {
      return;
    }
    const before = alternatives.length ? `${alternatives.join('|')}| ` : '';
    list.replaceChildren(...(answer.values || []).map((v) => {
      const option = document.createElement('option');
      option.value = `${before}${v.value}`;
      option.label = `${v.uses} rows`;
      return option;
    }));
    list.dataset.for = typed;
  }, 150));
}

function fieldValue(field) {
  const input = $(`f-${field.key}`);
  if (field.kind === 'flag') return input.checked ? field.value : '';
  return input.value.trim();
}

function setFieldValue(field, value) {
  const input = $(`f-${field.key}`);
  if (field.kind === 'flag') input.checked = value === field.value;
  else input.value = value;
}

function constraints() {
  return FIELDS.map((f) => ({ key: f.key, value: fieldValue(f), negated: state.negated.has(f.key), off: state.off.has(f.key) }))
    .filter((c) => c.value !== '');
}

// ---- chips ------------------------------------------------------------------------------

function renderChips(list, errors) {
  const chips = list.map((c) => {
    const field = FIELD[c.key];
    const chip = document.createElement('span');
    chip.className = 'chip';
    chip.dataset.key = c.key;
    if (c.negated) chip.classList.add('negated');
    if (c.off) { chip.classList.add('off'); chip.title = 'Switched off: not in the query'; }
    if (errors[c.key]) { chip.classList.add('invalid'); chip.title = errors[c.key]; }
    const shown = field.kind === 'choice' ? field.choices.find(([v]) => v === c.value)?.[1] ?? c.value
      : field.kind === 'flag' ? 'yes' : c.value;
    const text = document.createElement('span');
    text.className = 'chip-text';
    text.textContent = `${field.label}: ${shown}`;
    const invert = chipButton('invert', '¬', 'Invert this constraint', () => {
      if (state.negated.has(c.key)) state.negated.delete(c.key); else state.negated.add(c.key);
      update();
    });
    const toggle = chipButton('toggle', c.off ? '○' : '●', c.off ? 'Switch this constraint on again' : 'Switch this constraint off (it stays here)', () => {
      if (state.off.has(c.key)) state.off.delete(c.key); else state.off.add(c.key);
      update();
    });
    const remove = chipButton('remove', '×', 'Remove this constraint', () => {
      setFieldValue(field, '');
      state.negated.delete(c.key);
      state.off.delete(c.key);
      update();
    });
    chip.append(text, toggle, invert, remove);
    return chip;
  });
  if (state.targets) {
    const chip = document.createElement('span');
    chip.className = 'chip';
    chip.dataset.key = 'targets';
    if (state.off.has('targets')) chip.classList.add('off');
    if (errors.targets) chip.classList.add('invalid');
    const text = document.createElement('span');
    text.className = 'chip-text';
    text.textContent = `Target list: ${state.targets.lines.length} targets from ${state.targets.fileName}`;
    const toggle = chipButton('toggle', state.off.has('targets') ? '○' : '●', 'Switch the target list off or on', () => {
      if (state.off.has('targets')) state.off.delete('targets'); else state.off.add('targets');
      update();
    });
    const remove = chipButton('remove', '×', 'Remove the target list', () => {
      state.targets = null;
      state.off.delete('targets');
      $('targets-report').replaceChildren();
      update();
    });
    chip.append(text, toggle, remove);
    chips.push(chip);
  }
  $('chips').replaceChildren(...chips);
  for (const f of FIELDS) {
    $(`e-${f.key}`).textContent = errors[f.key] || '';
    $(`f-${f.key}`).classList.toggle('invalid', Boolean(errors[f.key]));
  }
}

// ---- running ----------------------------------------------------------------------------

function schedule() {
  clearTimeout(timer);
  // a query is due: what is shown is not yet the answer to what is typed
  document.body.dataset.state = 'scheduled';
  timer = setTimeout(update, 400);
}

function currentAdql() {
  const targetList = Boolean(state.targets && !state.off.has('targets'));
  return state.adqlOverride ?? buildQuery(constraints(), resolvedNames, targetList).adql;
}

/** The upload the query needs: the target list, when it is on and the form's query runs. */
function currentUpload() {
  if (!state.targets || state.off.has('targets') || state.adqlOverride !== null) return null;
  return { name: 'targets', votable: targetsVOTable(state.targets.lines) };
}

/** Resolves a name with the server's resolver (/resolve): its position, or why not. */
async function resolveName(name) {
  try {
    const response = await fetch(`/resolve?name=${encodeURIComponent(name)}`);
    const answer = await response.json();
    if (answer.found) {
      resolvedNames.set(name, { ra: answer.ra, dec: answer.dec, object: answer.object, source: answer.source });
    } else {
      resolvedNames.set(name, { error: `${answer.error}${answer.suggestions?.length ? '' : ' — write a position (ra dec) instead'}` });
    }
  } catch {
    resolvedNames.set(name, { error: `'${name}' could not be resolved: the name resolver did not answer` });
  }
}

/** Reads an uploaded target list: resolves its names, reports each line, and queries with
 *  it when every line is understood. */
async function loadTargetList(fileName, text) {
  const { targets, errors } = parseTargetList(text);
  const names = [...new Set(targets.filter((t) => t.name !== undefined && !resolvedNames.has(t.name)).map((t) => t.name))];
  $('status').className = '';
  $('status').textContent = `Resolving ${names.length} names of ${fileName}…`;
  await Promise.all(names.map(resolveName));
  const lines = [];
  const problems = [...errors];
  for (const t of targets) {
    if (t.name !== undefined) {
      const found = resolvedNames.get(t.name);
      if (found.error) { problems.push({ line: t.line, text: t.text, message: found.error }); continue; }
      Object.assign(t, { ra: found.ra, dec: found.dec, object: found.object });
    }
    lines.push(t);
  }
  const report = $('targets-report');
  const items = [...lines.map((t) => ({ line: t.line, ok: true,
    text: `${t.text} → ${t.object ? `${t.object} ` : ''}${t.ra.toFixed(4)} ${t.dec.toFixed(4)}, ${+(t.r * 60).toFixed(3)}'` })),
  ...problems.map((p) => ({ line: p.line, ok: false, text: `${p.text}: ${p.message}` }))].sort((a, b) => a.line - b.line);
  report.replaceChildren(...items.map((item) => {
    const li = document.createElement('li');
    li.value = item.line;
    li.className = item.ok ? 'resolved' : 'error';
    li.textContent = item.text;
    return li;
  }));
  state.targets = { fileName, lines, problems };
  update();
}

async function update() {
  clearTimeout(timer);
  const list = constraints();
  const targetList = Boolean(state.targets && !state.off.has('targets'));
  let built = buildQuery(list, resolvedNames, targetList);
  if (built.pending.length) {
    $('status').className = '';
    $('status').textContent = `Resolving ${built.pending.join(', ')}…`;
    await Promise.all([...new Set(built.pending)].map(resolveName));
    if (JSON.stringify(constraints()) !== JSON.stringify(list)) return; // typed on meanwhile
    built = buildQuery(list, resolvedNames, targetList);
  }
  if (state.targets?.problems.length) {
    const lines = state.targets.problems.map((p) => p.line).join(', ');
    built.errors.targets = `line${state.targets.problems.length > 1 ? 's' : ''} ${lines} of ${state.targets.fileName} not understood (see the list under the field): fix or remove them`;
  }
  const { adql, errors } = built;
  renderChips(list, errors);
  if (state.adqlOverride === null) $('adql').value = adql;
  $('adql-note').textContent = state.adqlOverride === null ? '' : 'running your ADQL (the form is not used)';
  saveState();
  const problems = Object.entries(errors);
  if (problems.length && state.adqlOverride === null) {
    // never run a query without a constraint the user typed
    if (running) running.abort();
    running = null;
    const status = $('status');
    status.className = 'error';
    status.textContent = `Not run: ${problems.map(([key, message]) => `${FIELD[key]?.label ?? 'Target list'}: ${message}`).join('; ')}`;
    // the last answer is not this query's: it is not shown as if it were
    state.result = null;
    state.obs = [];
    state.projects = [];
    showView();
    sky.show(state.obs);
    spectrum.show(state.obs);
    document.body.dataset.state = 'error';
    return;
  }
  await run(currentAdql());
}

async function run(adql) {
  for (const [id, format] of [['export-votable', 'votable'], ['export-csv', 'csv'], ['export-tsv', 'tsv']]) {
    // a link cannot carry the uploaded target list
    const upload = currentUpload();
    $(id).href = upload ? '#' : syncUrl(adql, format);
    $(id).title = upload ? 'Exports need the target list uploaded again: run the ADQL in TOPCAT with it' : '';
  }
  state.adql = adql;
  state.uploaded = Boolean(currentUpload());
  // what was said of sending the last answer is not said of this one
  $('samp-status').textContent = '';
  $('samp-status').className = '';
  if (running) running.abort();
  const controller = new AbortController();
  running = controller;
  const status = $('status');
  status.className = '';
  status.textContent = 'Querying…';
  document.body.dataset.state = 'running';
  let result;
  try {
    result = await runQuery(adql, config.max_rows, controller.signal, currentUpload());
  } catch (e) {
    if (e.name === 'AbortError') return;
    throw e;
  }
  if (running !== controller) return;
  running = null;
  if (result.status === 'ERROR') {
    status.className = 'error';
    status.textContent = `The query failed: ${result.message}`;
    document.body.dataset.state = 'error';
    return;
  }
  state.result = result;
  $('samp-table').disabled = result.rows.length === 0;
  state.obs = observations(result.rows);
  state.projects = projects(state.obs);
  state.publications = [];
  status.textContent = counts();
  sky.setSearch(searchedCones());
  showView();
  // sub-filters typed before stay on the new answer
  if (table.filtered()) showFiltered(table.visibleRows(), true);
  else {
    sky.show(state.obs);
    spectrum.show(state.obs, { searched: searched() });
  }
  document.body.dataset.state = 'done';
  refineDelivery(state.obs);
  loadPublications(state.obs);
}

/** The publications of the answer's observations, with their details from alma.publication
 *  (for the Publications tab). */
async function loadPublications(obs) {
  const tab = document.querySelector('.tabs button[data-view="publications"]');
  const codes = [...new Set(obs.flatMap(bibcodes))];
  const details = new Map();
  for (let i = 0; i < codes.length; i += 300) {
    const list = codes.slice(i, i + 300).map(literal).join(', ');
    const answer = await runQuery(`SELECT bibcode, publication_title, lead_author, author_list, journal, year_published FROM alma.publication WHERE bibcode IN (${list})`, 1000);
    if (state.obs !== obs) return; // a newer answer
    for (const row of answer.rows || []) details.set(row.bibcode, row);
  }
  state.publications = publicationRows(obs, details);
  tab.textContent = `Publications (${state.publications.length})`;
  tab.dataset.count = String(state.publications.length);
  if (state.view === 'publications') showView();
}

/** The cones the position field searches ({ra, dec, r} in degrees; names as resolved). */
function searchedCones() {
  const field = constraints().find((c) => c.key === 'position' && !c.off && !state.negated.has('position'));
  if (!field) return [];
  const cones = [];
  for (const alt of field.value.split('|')) {
    try {
      const cone = parsePosition(alt);
      const at = cone.name === undefined ? cone : resolvedNames.get(cone.name);
      if (at && !at.error) cones.push({ ra: at.ra, dec: at.dec, r: cone.r });
    } catch { /* the field says what is wrong */ }
  }
  return cones;
}

/** The frequencies the form searches (marked in the spectral view). */
function searched() {
  return searchedFrequencies(constraints().find((c) => c.key === 'frequency' && !c.off)?.value);
}

/** The status line's counts of the answer, and of what the sub-filters keep of it. */
function counts(kept = null) {
  const result = state.result;
  let text = `${result.rows.length} rows: ${state.obs.length} observations of ${state.projects.length} projects`;
  if (kept) {
    text += `; the sub-filters keep ${kept.length} observations of ${new Set(kept.map((o) => o.proposal_id)).size} projects`;
  }
  return text + (result.overflow ? ` — the first ${result.rows.length} only: narrow the query, or export it for all rows` : '');
}

/** What the sub-filters keep: the counts, and the sky and spectral views of those rows. */
function showFiltered(rows, filtered) {
  if (!state.result) return;
  const kept = state.view === 'observations' ? rows : [...new Map(rows.flatMap((p) => p.members).map((o) => [o.key, o])).values()];
  $('status').textContent = counts(filtered ? kept : null);
  $('status').dataset.kept = String(kept.length);
  sky.show(kept);
  spectrum.show(kept, { searched: searched() });
}

/** The observations a publication uses: the observations view, sub-filtered by its bibcode
 *  (the Bibcodes column shown, so that the filter can be seen and removed). */
function showObservationsOf(publication) {
  state.view = 'observations';
  table.filters.bib_reference = publication.bibcode;
  if (!columns.observations.includes('bib_reference')) columns.observations = [...columns.observations, 'bib_reference'];
  showView();
  showFiltered(table.visibleRows(), true);
  saveState();
}

/** Rows without a release date are "In progress" or "In QA3": DataLink says which. */
async function refineDelivery(obs) {
  const pending = [...new Set(obs.filter((o) => o.delivery).map((o) => o.member_ous_uid))];
  if (!pending.length) return;
  const params = new URLSearchParams();
  for (const id of pending.slice(0, 1000)) params.append('ID', id);
  let table;
  try {
    const response = await fetch(`/datalink/sync?${params}`);
    table = parseVOTable(await response.text());
  } catch {
    return;
  }
  if (running || state.obs !== obs) return; // a newer query has started
  const qa3 = new Set((table.rows || []).filter((r) => /in QA3/.test(r.error_message || '')).map((r) => r.ID));
  for (const o of obs) if (o.delivery && qa3.has(o.member_ous_uid)) o.delivery = 'In QA3';
  state.projects = projects(state.obs);
  showView();
}

// ---- views ------------------------------------------------------------------------------

const table = new ResultTable($('results'), {
  onHover: (key) => highlight(key),
  onSimilar: (code, anchor) => showSimilarProjects(code, anchor),
  onProject: (code, cell, shown) => (shown ? showProjectDetails(code, cell) : hideProjectDetails(code)),
  onFiltered: (rows, filtered) => showFiltered(rows, filtered),
  onPublication: (publication) => showObservationsOf(publication),
  onDetails: (column, row, cell, shown) => {
    if (!shown) hideDetails();
    else if (column === 'publications') showPublications(row, cell);
    else showWindows(row, cell);
  },
  onSimilarImages: (row) => similarImages.open(
    `mous=${encodeURIComponent(row.member_ous_uid)}&source=${encodeURIComponent(row.target_name)}`, row.target_name),
  onLocate: (row) => { sky.locate(row.members ? row.members[0] : row); table.focus(row.key); },
  onSelection: (rows) => {
    $('files-button').disabled = rows.length === 0;
    $('files-button').textContent = `Files of selected (${rows.length})`;
    $('request-button').disabled = rows.length === 0;
    $('request-button').textContent = `Request files of selected (${rows.length})`;
    $('samp-rows').disabled = rows.length === 0;
    $('samp-rows').textContent = `Send selected (${rows.length})`;
  },
});
const sky = new SkyView($('sky'), {
  onHover: (key) => highlight(key),
  onClick: (key) => { table.focus(key); sky.highlight(key); },
});
const spectrum = new SpectrumView($('spectrum'), { onHover: (key) => highlight(key) });
const similarImages = new SimilarImagesDialog($('similar-images'));
const survey = new SurveyDialog($('line-survey'));
const cubeViewer = new CubeViewer($('cube-viewer'));
const requestDialog = new RequestDialog($('request'));
const files = new FilesDialog($('files'), {
  onView: (name) => cubeViewer.open(name),
  onSimilarImage: (name) => similarImages.open(`id=${encodeURIComponent(name)}`, name),
  onSurvey: (name) => survey.open(name),
});
const columns = { ...DEFAULT_COLUMNS };

function highlight(key) {
  table.highlight(key);
  sky.highlight(key);
  spectrum.highlight(key);
}

function showView() {
  const rows = { projects: state.projects, publications: state.publications || [] }[state.view] || state.obs;
  table.setRows(rows, state.view, columns[state.view]);
  for (const tab of document.querySelectorAll('.tabs button')) tab.setAttribute('aria-selected', String(tab.dataset.view === state.view));
}

// ---- similar projects --------------------------------------------------------------------

/** A pop-up by the project code: the projects most like it, each a link, and a button that
 *  opens them all as a new query (in a new tab, through the share link). */
async function showSimilarProjects(code, anchor) {
  document.getElementById('similar-popup')?.remove();
  const popup = document.createElement('div');
  popup.id = 'similar-popup';
  popup.className = 'popup';
  popup.textContent = `Projects like ${code}…`;
  anchor.closest('td').append(popup);
  let answer;
  try {
    answer = await (await fetch(`/similar/projects?code=${encodeURIComponent(code)}&n=10`)).json();
  } catch {
    answer = { error: 'the service did not answer' };
  }
  if (!answer.similar) {
    popup.textContent = answer.error || 'no similar projects';
    return;
  }
  const title = document.createElement('div');
  title.className = 'popup-title';
  title.textContent = `Projects most like ${code}`;
  const list = document.createElement('ol');
  for (const s of answer.similar) {
    const li = document.createElement('li');
    const link = document.createElement('a');
    link.href = `/#project=${encodeURIComponent(s.code)}`;
    link.target = '_blank';
    link.textContent = s.code;
    li.append(link, ` (${s.score.toFixed(1)})`);
    list.append(li);
  }
  const open = document.createElement('button');
  open.type = 'button';
  open.id = 'similar-open';
  open.textContent = 'Open these as a new query';
  open.addEventListener('click', () => window.open(answer.query_link, '_blank'));
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'close';
  close.textContent = '×';
  close.title = 'Close';
  close.addEventListener('click', () => popup.remove());
  popup.replaceChildren(close, title, list, open);
}

// ---- state in the URL -------------------------------------------------------------------

function saveState() {
  const params = new URLSearchParams();
  for (const c of constraints()) params.set(c.key, c.value);
  if (state.negated.size) params.set('not', [...state.negated].join(','));
  if (state.off.size) params.set('off', [...state.off].join(','));
  if (state.adqlOverride !== null) params.set('adql', state.adqlOverride);
  if (state.view !== 'observations') params.set('view', state.view);
  // the table as it is shown: sort order, sub-filters, chosen columns
  if (table.sort) params.set('sort', `${table.sort.descending ? '-' : ''}${table.sort.column}`);
  for (const [column, filter] of Object.entries(table.filters)) if (filter.trim()) params.set(`f.${column}`, filter);
  for (const view of ['observations', 'projects', 'publications']) {
    if (columns[view].join(',') !== DEFAULT_COLUMNS[view].join(',')) params.set(`columns.${view}`, columns[view].join(','));
  }
  history.replaceState(null, '', `${location.pathname}${location.search}#${params}`);
}

function loadState() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (![...params.keys()].length) return;
  // a request's link (as its e-mail gives it) opens the request
  if (params.has('request')) requestDialog.view(params.get('request'));
  for (const f of FIELDS) setFieldValue(f, params.get(f.key) ?? '');
  state.negated = new Set((params.get('not') || '').split(',').filter((k) => FIELD[k]));
  state.off = new Set((params.get('off') || '').split(',').filter((k) => FIELD[k]));
  if (params.has('adql')) { state.adqlOverride = params.get('adql'); $('adql').value = state.adqlOverride; $('adql-panel').open = true; }
  if (['projects', 'publications'].includes(params.get('view'))) state.view = params.get('view');
  const sort = params.get('sort');
  if (sort) table.sort = { column: sort.replace(/^-/, ''), descending: sort.startsWith('-') };
  for (const [key, value] of params) {
    if (key.startsWith('f.')) table.filters[key.slice(2)] = value;
    if (key.startsWith('columns.') && DEFAULT_COLUMNS[key.slice(8)]) {
      const known = new Set(VIEW_COLUMNS[key.slice(8)]);
      const chosen = value.split(',').filter((c) => known.has(c));
      if (chosen.length) columns[key.slice(8)] = chosen;
    }
  }
}

// ---- SAMP ---------------------------------------------------------------------------------

/** The most ObsCore rows "Send selected" puts in one table's URL. */
const MOST_ROWS_SENT_SELECTED = 500;
/** The answer's table as last sent to SAMP tools ({adql, url, id}), for selecting rows in it. */
let sentTable = null;

/** An id for the table at `url` that stays the same for the same query. */
function tableIdOf(url) {
  let h = 0x811c9dc5;
  for (let i = 0; i < url.length; i += 1) h = Math.imul(h ^ url.charCodeAt(i), 0x01000193) >>> 0;
  return `alma-archive-${h.toString(16)}`;
}

const absolute = (path) => new URL(path, location.href).href;

/** Sends the answer ('table') or the selected observations' rows ('rows') to SAMP tools. */
async function sampSend(what) {
  const status = $('samp-status');
  status.className = '';
  status.textContent = 'Sending over SAMP…';
  try {
    if (!state.result?.rows.length) throw new SampError('There is no answer to send: run a query first.');
    if (state.uploaded) throw new SampError('An answer to a target list cannot be sent: its URL would need the list uploaded again. Export it as VOTable instead.');
    if (what === 'table') {
      const url = absolute(syncUrl(state.adql, 'votable'));
      const id = tableIdOf(url);
      const names = await sendTable(url, id, `ALMA archive: ${state.result.rows.length} rows`);
      sentTable = { adql: state.adql, url, id };
      status.textContent = `Sent the table (${state.result.rows.length} rows) to ${names.join(', ')}.`;
    } else {
      const obsIds = [...new Set(table.selectedRows().flatMap((r) => (r.members || [r]).flatMap((o) => o.obs_ids || [o.obs_id])))];
      if (obsIds.length > MOST_ROWS_SENT_SELECTED) {
        throw new SampError(`The selected observations have ${obsIds.length} rows: send at most ${MOST_ROWS_SENT_SELECTED} this way, or send the whole table.`);
      }
      const adql = `SELECT ${COLUMNS.join(', ')} FROM ivoa.obscore WHERE obs_id IN (${obsIds.map(literal).join(', ')}) ORDER BY proposal_id, member_ous_uid, obs_id`;
      const url = absolute(syncUrl(adql, 'votable'));
      const names = await sendTable(url, tableIdOf(url), `ALMA archive: ${obsIds.length} selected rows`);
      let also = '';
      if (sentTable?.adql === state.adql) {
        const position = new Map(state.result.rows.map((r, i) => [r.obs_id, i]));
        await selectRows(sentTable.url, sentTable.id, obsIds.map((o) => position.get(o)).filter((i) => i !== undefined));
        also = ', and selected them in the table sent before';
      }
      status.textContent = `Sent the selected observations (${obsIds.length} rows) to ${names.join(', ')}${also}.`;
    }
  } catch (e) {
    status.className = 'error';
    status.textContent = e instanceof SampError ? e.message : `SAMP failed: ${e?.faultString || e?.message || e}`;
  }
}

// ---- wiring -----------------------------------------------------------------------------

function wire() {
  $('run-adql').addEventListener('click', () => { state.adqlOverride = $('adql').value; update(); });
  $('reset-adql').addEventListener('click', () => { state.adqlOverride = null; update(); });
  for (const tab of document.querySelectorAll('.tabs button')) {
    tab.addEventListener('click', () => { state.view = tab.dataset.view; saveState(); showView(); });
  }
  $('columns-button').addEventListener('click', () => {
    const menu = $('columns-menu');
    menu.hidden = !menu.hidden;
    if (!menu.hidden) table.chooser(menu, (chosen) => { columns[state.view] = chosen; showView(); });
  });
  $('request-button').addEventListener('click', () => {
    const members = [...new Set(table.selectedRows().flatMap((r) => (r.members ? r.members.map((m) => m.member_ous_uid) : [r.member_ous_uid])))];
    requestDialog.open(members);
  });
  $('samp-table').addEventListener('click', () => sampSend('table'));
  $('samp-rows').addEventListener('click', () => sampSend('rows'));
  $('files-button').addEventListener('click', () => {
    const ids = [...new Set(table.selectedRows().map((r) => r.link_id))];
    files.open(ids);
  });
  $('share').addEventListener('click', async () => {
    saveState();
    const input = $('share-url');
    input.hidden = false;
    input.value = location.href;
    input.select();
    try { await navigator.clipboard.writeText(location.href); } catch { /* the field shows it */ }
  });
  $('form-toggle').addEventListener('click', () => {
    const hidden = document.body.classList.toggle('form-hidden');
    $('form-toggle').textContent = hidden ? '▸ Form' : '◂ Form';
    $('form-toggle').setAttribute('aria-pressed', String(hidden));
  });
  $('survey').addEventListener('change', () => sky.setSurvey($('survey').value.trim()));
  const coverage = () => sky.showCoverage($('coverage').checked, { public: $('coverage-public').checked });
  $('coverage').addEventListener('change', coverage);
  $('coverage-public').addEventListener('change', coverage);
}

async function start() {
  try {
    const response = await fetch('/web/config.json');
    if (response.ok) config = { ...config, ...(await response.json()) };
  } catch { /* defaults */ }
  buildForm();
  wire();
  loadState();
  $('survey').value = config.hips_url || '';
  await sky.start(config.hips_url);
  await update();
}

// a handle for scripts and the browser console: the views and the current answer
window.voarchive = { sky, table, spectrum, state };

start();
