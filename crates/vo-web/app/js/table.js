// The result table: sortable columns, a column chooser, sub-filters on the current results,
// row selection, and proprietary rows marked with their release date.
import { LABELS, NUMERIC, VIEW_COLUMNS, format } from './rows.js';
import { mjd, parseInterval } from './constraints.js';
import { chipButton } from './chips.js';

/** Columns shown as dates (YYYY-MM-DD), filtered as the form's date fields are. */
const DATES = new Set(['t_min', 'obs_release_date']);

/** Whether a shown date passes one alternative of a date filter: `2019`, `2019-01-01..2019-06-30`,
 *  `<2020-01-01`, `>=2021-03-01` (ends included, a bare year the whole year). */
function dateIn(shown, alt) {
  const year = alt.trim().match(/^(\d{4})$/);
  const { lo, hi } = year ? { lo: mjd(`${year[1]}-01-01`), hi: mjd(`${year[1]}-12-31`) } : parseInterval(alt, mjd);
  const day = mjd(shown);
  return (lo === null || day >= lo) && (hi === null || day <= hi);
}

/** Whether a cell passes a sub-filter, in the form's syntax on the value shown: numbers take
 *  5, 1..3, <2, >3; dates YYYY-MM-DD, ranges and years; text a substring; | separates
 *  alternatives; ! negates. */
export function passes(column, value, filter) {
  let f = filter.trim();
  if (!f) return true;
  let negate = false;
  if (f.startsWith('!')) { negate = true; f = f.slice(1).trim(); }
  let ok;
  if (DATES.has(column) && /^[<>\d]/.test(f)) {
    const shown = format(column, value);
    try {
      ok = /^\d{4}-\d{2}-\d{2}$/.test(shown) && f.split('|').some((alt) => dateIn(shown, alt));
    } catch { ok = shown.includes(f); }
  } else if (NUMERIC.has(column) && /^[<>\d.+-]/.test(f)) {
    try {
      ok = f.split('|').some((alt) => {
        const { lo, hi } = parseInterval(alt);
        return value !== null && (lo === null || value >= lo) && (hi === null || value <= hi);
      });
    } catch { ok = String(format(column, value)).includes(f); }
  } else {
    ok = f.toLowerCase().split('|').some((alt) => String(format(column, value)).toLowerCase().includes(alt.trim()));
  }
  return negate ? !ok : ok;
}

export class ResultTable {
  constructor(table, { onHover, onLocate, onSelection, onSimilar, onSimilarImages, onProject, onFiltered, onPublication, onDetails }) {
    this.table = table;
    this.onHover = onHover;
    this.onSimilar = onSimilar;
    this.onProject = onProject;
    this.onFiltered = onFiltered;
    this.onPublication = onPublication;
    this.onDetails = onDetails;
    this.onSimilarImages = onSimilarImages;
    this.onLocate = onLocate;
    this.onSelection = onSelection;
    this.rows = [];
    this.view = 'observations';
    this.columns = {};
    this.sort = null;
    this.filters = {};
    // sub-filters switched off by their chip (kept, not applied)
    this.filtersOff = new Set();
    this.chips = document.getElementById('subfilter-chips');
    this.selected = new Set();
    table.addEventListener('mouseover', (e) => {
      const tr = e.target.closest('tbody tr');
      if (tr) this.onHover(tr.dataset.key);
    });
    table.addEventListener('mouseleave', () => this.onHover(null));
  }

  setRows(rows, view, columns) {
    this.rows = rows;
    this.view = view;
    this.columns[view] = columns;
    const keys = new Set(rows.map((r) => r.key));
    this.selected = new Set([...this.selected].filter((k) => keys.has(k)));
    this.render();
  }

  visibleRows() {
    let rows = this.rows.filter((r) => Object.entries(this.filters).every(([c, f]) => this.filtersOff.has(c) || passes(c, r[c], f)));
    if (this.sort) {
      const { column, descending } = this.sort;
      const numeric = NUMERIC.has(column);
      rows = [...rows].sort((a, b) => {
        const x = a[column]; const y = b[column];
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        const order = numeric ? x - y : String(x).localeCompare(String(y));
        return descending ? -order : order;
      });
    }
    return rows;
  }

  render() {
    const columns = this.columns[this.view];
    const thead = this.table.tHead;
    const head = document.createElement('tr');
    const all = document.createElement('th');
    all.className = 'select';
    const allBox = document.createElement('input');
    allBox.type = 'checkbox';
    allBox.title = 'Select every row shown';
    allBox.addEventListener('change', () => {
      for (const r of this.visibleRows()) {
        if (allBox.checked && !r.delivery) this.selected.add(r.key); else this.selected.delete(r.key);
      }
      this.renderBody();
      this.onSelection(this.selectedRows());
    });
    all.append(allBox);
    head.append(all, document.createElement('th'));
    const filters = document.createElement('tr');
    filters.className = 'filters';
    filters.append(document.createElement('th'), document.createElement('th'));
    for (const c of columns) {
      const th = document.createElement('th');
      th.textContent = LABELS[c] || c;
      th.dataset.column = c;
      th.title = `${c}: click to sort`;
      if (this.sort && this.sort.column === c) th.setAttribute('aria-sort', this.sort.descending ? 'descending' : 'ascending');
      th.addEventListener('click', () => {
        this.sort = this.sort && this.sort.column === c ? { column: c, descending: !this.sort.descending } : { column: c, descending: false };
        this.render();
      });
      head.append(th);
      const fth = document.createElement('th');
      const input = document.createElement('input');
      input.placeholder = NUMERIC.has(c) ? '<5, 1..3' : 'filter';
      // as narrow as the column's values make it (the input's own width would widen it)
      input.size = 4;
      input.dataset.column = c;
      input.setAttribute('aria-label', `filter ${LABELS[c] || c}`);
      input.value = this.filters[c] || '';
      input.addEventListener('input', () => {
        this.filters[c] = input.value;
        this.filterChanged(300);
      });
      fth.append(input);
      filters.append(fth);
    }
    thead.replaceChildren(head, filters);
    this.renderBody();
    this.renderFilterChips();
  }

  /** Whether any sub-filter applies. */
  filtered() {
    return Object.entries(this.filters).some(([c, f]) => f.trim() && !this.filtersOff.has(c));
  }

  /** A sub-filter changed: the rows, the chips and (once typing pauses) the counts and views. */
  filterChanged(pause = 0) {
    this.renderBody();
    this.renderFilterChips();
    clearTimeout(this.filtering);
    this.filtering = setTimeout(() => this.onFiltered?.(this.visibleRows(), this.filtered()), pause);
  }

  /** Each sub-filter as a chip: switch it off and on, invert it, remove it. */
  renderFilterChips() {
    if (!this.chips) return;
    const set = Object.entries(this.filters).filter(([, f]) => f.trim());
    const input = (c) => this.table.querySelector(`thead tr.filters input[data-column="${c}"]`);
    this.chips.replaceChildren(...set.map(([c, f]) => {
      const negated = f.trim().startsWith('!');
      const chip = document.createElement('span');
      chip.className = 'chip sub';
      chip.dataset.column = c;
      if (negated) chip.classList.add('negated');
      const off = this.filtersOff.has(c);
      if (off) chip.classList.add('off');
      const text = document.createElement('span');
      text.className = 'chip-text';
      text.textContent = `${LABELS[c] || c}: ${negated ? f.trim().slice(1).trim() : f.trim()}`;
      const toggle = chipButton('toggle', off ? '○' : '●', off ? 'Apply this sub-filter again' : 'Switch this sub-filter off (it stays here)', () => {
        if (off) this.filtersOff.delete(c); else this.filtersOff.add(c);
        this.filterChanged();
      });
      const invert = chipButton('invert', '¬', 'Invert this sub-filter', () => {
        this.filters[c] = negated ? f.trim().slice(1).trim() : `!${f.trim()}`;
        if (input(c)) input(c).value = this.filters[c];
        this.filterChanged();
      });
      const remove = chipButton('remove', '×', 'Remove this sub-filter', () => {
        delete this.filters[c];
        this.filtersOff.delete(c);
        if (input(c)) input(c).value = '';
        this.filterChanged();
      });
      chip.append(text, toggle, invert, remove);
      return chip;
    }));
  }

  renderBody() {
    const columns = this.columns[this.view];
    const body = document.createDocumentFragment();
    const rows = this.visibleRows();
    for (const r of rows) {
      const tr = document.createElement('tr');
      tr.dataset.key = r.key;
      if (r.delivery) {
        tr.classList.add('pending');
        tr.title = r.delivery === 'In QA3'
          ? 'In QA3: a problem found after delivery is being resolved; no files for now'
          : 'In progress: observed in part, or being reduced and quality-assessed; no files yet';
      } else if (r.proprietary) {
        tr.classList.add('proprietary');
        tr.title = `Proprietary until ${format('obs_release_date', r.obs_release_date)}`;
      }
      const sel = document.createElement('td');
      sel.className = 'select';
      // as in ALMA's archive, only rows with data to download have a checkbox
      if (!r.delivery && !r.noSelect) {
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.checked = this.selected.has(r.key);
        box.setAttribute('aria-label', `select ${r.key}`);
        box.addEventListener('change', () => {
          if (box.checked) this.selected.add(r.key); else this.selected.delete(r.key);
          this.onSelection(this.selectedRows());
        });
        sel.append(box);
      }
      const locate = document.createElement('td');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'locate';
      button.textContent = '◎';
      button.title = 'Show its footprint in the sky view';
      button.addEventListener('click', () => this.onLocate(r));
      locate.append(button);
      if (this.view === 'observations' && this.onSimilarImages && r.science_observation !== 'F') {
        // the archive's images most like this observation's
        const alike = document.createElement('button');
        alike.type = 'button';
        alike.className = 'similar-images';
        alike.textContent = '≈';
        alike.title = 'Similar images';
        alike.addEventListener('click', (e) => { e.stopPropagation(); this.onSimilarImages(r); });
        locate.append(alike);
      }
      tr.append(sel, locate);
      for (const c of columns) {
        const td = document.createElement('td');
        td.dataset.column = c;
        const text = format(c, r[c]);
        if (c === 'obs_release_date' && r.delivery) {
          td.className = 'release pending';
          td.textContent = r.delivery;
        } else if (c === 'obs_release_date' && r.proprietary) {
          td.className = 'release proprietary';
          if (r.member_ous_uid) {
            // a reminder of the release for the visitor's calendar (an iCalendar event)
            const remind = document.createElement('a');
            remind.className = 'calendar';
            remind.href = `/calendar/release.ics?mous=${encodeURIComponent(r.member_ous_uid)}`;
            remind.download = '';
            remind.textContent = text;
            remind.title = 'Add a reminder of the release to your calendar (.ics)';
            remind.addEventListener('click', (e) => e.stopPropagation());
            td.append(remind, ' (proprietary)');
          } else {
            td.textContent = `${text} (proprietary)`;
          }
        } else if (c === 'bibcode') {
          const ads = document.createElement('a');
          ads.href = `https://ui.adsabs.harvard.edu/abs/${encodeURIComponent(r.bibcode)}`;
          ads.target = '_blank';
          ads.rel = 'noopener';
          ads.textContent = text;
          td.append(ads);
        } else if (c === 'observations' && this.view === 'publications' && this.onPublication) {
          // the publication's observations, in the observations view
          const open = document.createElement('button');
          open.type = 'button';
          open.className = 'publication-observations';
          open.textContent = `${text} observation${r.observations === 1 ? '' : 's'}`;
          open.title = `Show the observations ${r.bibcode} uses`;
          open.addEventListener('click', (e) => { e.stopPropagation(); this.onPublication(r); });
          td.append(open);
        } else {
          td.textContent = text;
        }
        if ((c === 'frequency' || c === 'frequency_support' || c === 'publications') && this.onDetails && r[c] !== undefined) {
          // the spectral windows, or the publications behind the count
          let timer;
          td.classList.add('has-details');
          td.addEventListener('mouseenter', () => { timer = setTimeout(() => this.onDetails(c, r, td, true), 350); });
          td.addEventListener('mouseleave', () => { clearTimeout(timer); this.onDetails(c, r, td, false); });
        }
        if (c === 'proposal_id' && this.onProject) {
          // hovering the code itself (not the ⋯ beside it) shows the project's abstract and
          // acknowledgement
          const code = document.createElement('span');
          code.className = 'code-text';
          code.textContent = td.textContent;
          td.replaceChildren(code);
          let timer;
          code.addEventListener('mouseenter', () => { timer = setTimeout(() => this.onProject(r.proposal_id, td, true), 350); });
          code.addEventListener('mouseleave', () => { clearTimeout(timer); setTimeout(() => this.onProject(r.proposal_id, td, false), 200); });
        }
        if (c === 'proposal_id' && this.onSimilar) {
          // as ALMA's ellipsis: the projects most like this one
          const more = document.createElement('button');
          more.type = 'button';
          more.className = 'similar';
          more.textContent = '⋯';
          more.title = 'Similar projects';
          more.addEventListener('click', (e) => { e.stopPropagation(); this.onSimilar(r.proposal_id, more); });
          td.append(' ', more);
        }
        if (NUMERIC.has(c)) td.classList.add('num');
        td.title = c === 'authors_shown' ? r.author_list : (r[c] === null || r[c] === undefined ? '' : String(r[c]));
        tr.append(td);
      }
      body.append(tr);
    }
    this.table.tBodies[0].replaceChildren(body);
  }

  selectedRows() {
    return this.rows.filter((r) => this.selected.has(r.key));
  }

  highlight(key) {
    for (const tr of this.table.tBodies[0].querySelectorAll('tr.highlight')) tr.classList.remove('highlight');
    if (key === null || key === undefined) return;
    const tr = this.table.tBodies[0].querySelector(`tr[data-key="${CSS.escape(key)}"]`);
    if (tr) tr.classList.add('highlight');
  }

  focus(key) {
    for (const tr of this.table.tBodies[0].querySelectorAll('tr.focused')) tr.classList.remove('focused');
    const tr = this.table.tBodies[0].querySelector(`tr[data-key="${CSS.escape(key)}"]`);
    if (tr) { tr.classList.add('focused'); tr.scrollIntoView({ block: 'nearest' }); }
  }

  /** The column chooser's menu for the current view. */
  chooser(menu, onChange) {
    const all = VIEW_COLUMNS[this.view];
    const shown = new Set(this.columns[this.view]);
    menu.replaceChildren(...all.map((c) => {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = shown.has(c);
      box.dataset.column = c;
      box.addEventListener('change', () => {
        const chosen = all.filter((x) => (x === c ? box.checked : shown.has(x)));
        shown.clear();
        chosen.forEach((x) => shown.add(x));
        onChange(chosen);
      });
      label.append(box, ` ${LABELS[c] || c}`);
      return label;
    }));
  }
}
