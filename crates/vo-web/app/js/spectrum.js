// The spectral coverage view: every observation of the answer as a lane of its spectral
// windows (from frequency_support), their combined coverage, the ALMA receiver bands, the
// atmosphere's transmission at a chosen PWV (default: the median of the answer's execution
// blocks), and the lines of the observed sources at a redshift (default: the median of the
// answer's), more of them (by rank) as one zooms in; the searched frequency marked. Wheel or
// the buttons zoom, dragging pans, a band's button shows that band.
import { windows } from './rows.js';
import { literal } from './constraints.js';

const SVG = 'http://www.w3.org/2000/svg';
export const BANDS = [[1, 35, 50], [2, 67, 116], [3, 84, 116], [4, 125, 163], [5, 163, 211], [6, 211, 275],
  [7, 275, 373], [8, 385, 500], [9, 602, 720], [10, 787, 950]];
const WIDTH = 320;
const ATMOSPHERE = 46; // the transmission curve's height
const LINES = 56; // the line labels' height
const COVERAGE = 22; // the combined coverage's height
const AXIS = 16;
const LANE = 3; // each observation's lane
const MOST_LANES_SHOWN = 120; // lanes visible without scrolling

function el(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function html(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

const median = (values) => {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : null;
};

/** How many lines (by rank) a view `span` GHz wide shows: more as one zooms in. */
export function ranksShown(span) {
  if (span > 300) return 8;
  if (span > 100) return 16;
  if (span > 30) return 40;
  if (span > 10) return 100;
  if (span > 3) return 250;
  return 1000;
}

/** The TAP answer (cells of the first column) to `adql`. */
async function column(adql) {
  const body = new URLSearchParams({ REQUEST: 'doQuery', LANG: 'ADQL', RESPONSEFORMAT: 'csv', QUERY: adql });
  const response = await fetch('/tap/sync', { method: 'POST', body });
  if (!response.ok) return [];
  return (await response.text()).split('\n').slice(1).map((l) => l.trim()).filter((l) => l !== '')
    .map(Number).filter(Number.isFinite);
}

export class SpectrumView {
  constructor(element, { onHover }) {
    this.element = element;
    this.onHover = onHover;
    this.rows = [];
    this.lanes = [];
    this.view = null; // [lo, hi] GHz; null: the answer's extent
    this.pwv = null;
    this.z = null;
    this.userPwv = false;
    this.userZ = false;
    this.filter = '';
    this.searched = [];
    this.catalogue = null; // the reference line list
    this.atmosphere = null; // {lo, hi, pwv, f, t}
    this.build();
  }

  build() {
    this.svgBox = html('div', { className: 'spectrum-plot' });
    this.lanesBox = html('div', { className: 'spectrum-lanes' });
    const number = (id, label, step, title) => {
      const input = html('input', { id, type: 'number', step, min: '0', title });
      return [html('label', { htmlFor: id, textContent: label }), input];
    };
    const [pwvLabel, pwv] = number('spectrum-pwv', 'PWV (mm)', '0.1', 'Precipitable water vapour of the atmosphere curve (default: the median of the answer\'s execution blocks)');
    const [zLabel, z] = number('spectrum-z', 'z', '0.001', 'Redshift of the lines drawn (default: the median of the answer\'s sources)');
    const filter = html('input', { id: 'spectrum-lines', type: 'search', placeholder: 'Lines: all', title: 'Show only lines of a species or category (CO, HCN, dense gas, shock tracers, deuterated, …)' });
    this.pwvInput = pwv; this.zInput = z; this.filterInput = filter;
    // what the user sets stays for the next answers; the defaults follow each answer
    pwv.addEventListener('change', () => { this.pwv = Math.max(0, Number(pwv.value) || 0); this.userPwv = true; this.pwvSource = 'yours'; this.draw(); });
    z.addEventListener('change', () => { this.z = Math.max(0, Number(z.value) || 0); this.userZ = true; this.zSource = 'yours'; this.draw(); });
    filter.addEventListener('input', () => { this.filter = filter.value.trim().toLowerCase(); this.draw(); });
    const zoom = (factor) => () => this.zoomAround(factor, null);
    const button = (text, title, action, className = '') => {
      const b = html('button', { type: 'button', textContent: text, title, className });
      b.addEventListener('click', action);
      return b;
    };
    const bands = BANDS.map(([band, lo, hi]) => {
      const b = button(`B${band}`, `Band ${band}: ${lo}–${hi} GHz`, () => { this.view = [lo, hi]; this.draw(); }, 'band-button');
      b.dataset.band = String(band);
      return b;
    });
    this.controls = html('div', { className: 'spectrum-controls' },
      button('−', 'Zoom out', zoom(2)), button('+', 'Zoom in', zoom(0.5)),
      button('All', 'Show all the observations', () => { this.view = null; this.draw(); }),
      button('Reset', 'The answer\'s own PWV and redshift again', () => { this.userPwv = false; this.userZ = false; this.pwv = null; this.z = null; this.loadDefaults(this.rows).then(() => this.draw()); }),
      ...bands);
    this.settings = html('div', { className: 'spectrum-controls' }, pwvLabel, pwv, zLabel, z, filter);
    this.caption = html('div', { className: 'hint spectrum-caption' });
    this.hoverLine = html('div', { className: 'spectrum-hover' });
    this.element.replaceChildren(this.controls, this.settings, this.svgBox, this.lanesBox, this.hoverLine, this.caption);
    // wheel zooms around the pointer, dragging pans
    const plots = [this.svgBox, this.lanesBox];
    for (const box of plots) {
      box.addEventListener('wheel', (e) => {
        if (!this.view) return;
        e.preventDefault();
        this.zoomAround(e.deltaY > 0 ? 1.25 : 0.8, this.frequencyAt(e, box));
      }, { passive: false });
      box.addEventListener('pointerdown', (e) => {
        if (!this.view || e.button !== 0) return;
        const start = { x: e.clientX, view: [...this.view], width: box.getBoundingClientRect().width };
        const move = (m) => {
          const shift = ((m.clientX - start.x) / start.width) * (start.view[1] - start.view[0]);
          this.view = [start.view[0] - shift, start.view[1] - shift];
          this.draw();
        };
        const up = () => { window.removeEventListener('pointermove', move); window.removeEventListener('pointerup', up); };
        window.addEventListener('pointermove', move);
        window.addEventListener('pointerup', up);
      });
    }
  }

  frequencyAt(event, box) {
    const r = box.getBoundingClientRect();
    const [lo, hi] = this.view;
    return lo + ((event.clientX - r.left) / r.width) * (hi - lo);
  }

  zoomAround(factor, centre) {
    const [lo, hi] = this.view || this.extent();
    const c = centre ?? (lo + hi) / 2;
    const span = Math.min(1000, Math.max(0.05, (hi - lo) * factor));
    const left = (c - lo) / (hi - lo);
    this.view = [c - span * left, c + span * (1 - left)];
    this.draw();
  }

  /** The frequencies the answer covers, padded. */
  extent() {
    const all = this.lanes.flatMap((l) => l.spws.flat());
    if (!all.length) return [84, 116];
    let lo = Math.min(...all); let hi = Math.max(...all);
    const pad = Math.max((hi - lo) * 0.05, 1);
    lo = Math.max(0, lo - pad); hi += pad;
    return [lo, hi];
  }

  /** Shows the answer's observations; `searched`: the form's frequency intervals [{lo, hi}]. */
  show(rows, { searched = [] } = {}) {
    this.element.dataset.rows = String(rows.length);
    this.rows = rows;
    this.searched = searched;
    this.lanes = rows.map((r) => ({ key: r.key, row: r, spws: windows(r.frequency_support) })).filter((l) => l.spws.length);
    // a zoom, PWV or redshift the user chose stays; the rest follows the answer
    if (!this.userPwv) { this.pwv = null; this.atmosphere = null; this.atmosphereKey = null; }
    if (!this.userZ) this.z = null;
    this.element.dataset.ready = 'false';
    this.draw();
    this.loadDefaults(rows).then(() => this.draw());
  }

  /** The median PWV and redshift of the answer (from alma.execution_block and
   *  alma.source_velocity), and the line list (once). */
  async loadDefaults(rows) {
    const asked = rows;
    const mous = [...new Set(rows.map((r) => r.member_ous_uid).filter(Boolean))].slice(0, 400);
    const list = mous.map(literal).join(',');
    const [pwv, z] = mous.length ? await Promise.all([
      column(`SELECT eb_pwv FROM alma.execution_block WHERE eb_mous_uid IN (${list})`),
      column(`SELECT redshift FROM alma.source_velocity WHERE mous_uid IN (${list})`),
    ]).catch(() => [[], []]) : [[], []];
    if (!this.catalogue) {
      try {
        const response = await fetch('/reference/lines');
        this.catalogue = response.ok ? (await response.json()).lines : [];
      } catch { this.catalogue = []; }
    }
    if (this.rows !== asked) return; // a newer answer
    if (this.pwv === null) this.pwv = median(pwv) ?? 1.0;
    if (this.z === null) this.z = median(z) ?? 0;
    this.pwvInput.value = this.pwv.toFixed(2);
    this.zInput.value = this.z.toFixed(4);
    if (!this.userPwv) this.pwvSource = pwv.length ? `median of ${pwv.length} execution blocks` : 'no execution blocks: 1 mm';
    if (!this.userZ) this.zSource = z.length ? `median of ${z.length} observations` : 'no redshifts: z = 0';
  }

  async loadAtmosphere(lo, hi, pwv) {
    const key = `${lo.toFixed(3)} ${hi.toFixed(3)} ${pwv}`;
    if (this.atmosphereKey === key) return;
    this.atmosphereKey = key;
    try {
      const from = Math.max(30, lo); const to = Math.min(950, hi);
      if (to <= from) { this.atmosphere = null; return; }
      const response = await fetch(`/reference/atmosphere?pwv=${pwv}&from=${from}&to=${to}&points=400`);
      if (!response.ok) { this.atmosphere = null; return; }
      const a = await response.json();
      if (this.atmosphereKey !== key) return;
      this.atmosphere = { key, f: a.frequency_ghz, t: a.transmission };
      this.draw();
    } catch { /* drawn without */ }
  }

  /** The lines shown: of the catalogue, in view at the redshift, by rank for the zoom, filtered. */
  visibleLines(lo, hi) {
    if (!this.catalogue || this.z === null) return [];
    const ranks = ranksShown(hi - lo);
    const f = this.filter;
    const chosen = this.catalogue.filter((l) => {
      const observed = l.rest_ghz / (1 + this.z);
      if (observed < lo || observed > hi) return false;
      if (f) return l.species.toLowerCase() === f || l.species.toLowerCase().startsWith(f) || l.category.toLowerCase().includes(f);
      return l.rank <= ranks;
    });
    return chosen.sort((a, b) => a.rank - b.rank).slice(0, 60);
  }

  draw() {
    if (!this.lanes.length) {
      this.svgBox.replaceChildren(document.createTextNode('No spectral windows in the results.'));
      this.lanesBox.replaceChildren();
      this.caption.textContent = '';
      return;
    }
    const [lo, hi] = this.view || this.extent();
    const x = (f) => ((f - lo) / (hi - lo)) * WIDTH;
    if (this.pwv !== null) this.loadAtmosphere(lo, hi, this.pwv);
    const top = ATMOSPHERE + LINES;
    const height = top + COVERAGE + AXIS;
    const svg = el('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': 'Spectral coverage', class: 'spectrum-main' });
    for (const [band, b0, b1] of BANDS) {
      if (b1 < lo || b0 > hi) continue;
      svg.append(el('rect', { class: 'band', x: x(Math.max(b0, lo)), y: 0, width: x(Math.min(b1, hi)) - x(Math.max(b0, lo)), height: height - AXIS }));
      svg.append(el('text', { x: x(Math.max(b0, lo)) + 2, y: height - AXIS - 2 }, `B${band}`));
    }
    // the atmosphere's transmission, 0 to 1
    const a = this.atmosphere;
    if (a && a.key === this.atmosphereKey && this.pwv !== null) {
      const points = a.f.map((f, i) => `${x(f).toFixed(1)},${(ATMOSPHERE - a.t[i] * (ATMOSPHERE - 4)).toFixed(1)}`);
      svg.append(el('polyline', { class: 'atmosphere', points: points.join(' ') }));
      svg.append(el('text', { x: 2, y: 9, class: 'atmosphere-label' }, `transmission, PWV ${this.pwv.toFixed(2)} mm`));
    }
    // the lines of the sources at the redshift
    const shown = this.visibleLines(lo, hi);
    for (const l of shown) {
      const fx = x(l.rest_ghz / (1 + this.z));
      const g = el('g', { class: 'line-marker', 'data-species': l.species, 'data-rank': String(l.rank) });
      g.append(el('line', { x1: fx, x2: fx, y1: ATMOSPHERE, y2: height - AXIS }));
      const label = el('text', { x: fx + 2, y: ATMOSPHERE + 4, transform: `rotate(90 ${fx + 2} ${ATMOSPHERE + 4})` }, `${l.species} ${l.transition}`);
      g.append(label);
      g.append(el('title', {}, `${l.species} ${l.transition}: rest ${l.rest_ghz.toFixed(4)} GHz, observed ${(l.rest_ghz / (1 + this.z)).toFixed(4)} GHz at z = ${this.z}; E_up ${l.upper_energy_k} K; ${l.category}; ${l.source}`));
      svg.append(g);
    }
    // the searched frequencies
    for (const s of this.searched) {
      const a0 = s.lo ?? s.hi; const a1 = s.hi ?? s.lo;
      if (a0 === null || a0 === undefined) continue;
      if (Math.abs(a1 - a0) < 1e-9) {
        svg.append(el('line', { class: 'searched', x1: x(a0), x2: x(a0), y1: 0, y2: height - AXIS }));
      } else {
        svg.append(el('rect', { class: 'searched-range', x: x(a0), y: 0, width: Math.max(1, x(a1) - x(a0)), height: height - AXIS }));
      }
    }
    // the combined coverage: how many observations cover each part of the view
    const bins = 200;
    const counts = new Array(bins).fill(0);
    for (const lane of this.lanes) {
      const covered = new Set();
      for (const [f0, f1] of lane.spws) {
        const b0 = Math.max(0, Math.floor(((f0 - lo) / (hi - lo)) * bins));
        const b1 = Math.min(bins - 1, Math.floor(((f1 - lo) / (hi - lo)) * bins));
        for (let b = b0; b <= b1; b += 1) covered.add(b);
      }
      for (const b of covered) counts[b] += 1;
    }
    const most = Math.max(1, ...counts);
    counts.forEach((c, b) => {
      if (!c) return;
      const h = (c / most) * (COVERAGE - 2);
      svg.append(el('rect', { class: 'coverage', x: (b / bins) * WIDTH, y: top + COVERAGE - h, width: WIDTH / bins + 0.2, height: h }));
    });
    svg.append(el('text', { x: 2, y: top + 8 }, `coverage (up to ${most})`));
    const ticks = 6;
    const digits = hi - lo < 2 ? 3 : hi - lo < 20 ? 1 : 0;
    for (let t = 0; t <= ticks; t += 1) {
      const f = lo + ((hi - lo) * t) / ticks;
      svg.append(el('line', { x1: x(f), x2: x(f), y1: height - AXIS, y2: height - AXIS + 3, stroke: '#4a5866' }));
      svg.append(el('text', { x: Math.min(WIDTH - 30, x(f)), y: height - 3 }, f.toFixed(digits)));
    }
    svg.append(el('text', { x: WIDTH - 24, y: height - AXIS + 10 }, 'GHz'));
    this.svgBox.replaceChildren(svg);
    this.drawLanes(lo, hi, x);
    this.svgBox.dataset.lo = String(lo);
    this.svgBox.dataset.hi = String(hi);
    const notes = [`${this.lanes.length} observations, ${lo.toFixed(1)}–${hi.toFixed(1)} GHz`];
    if (this.z !== null) notes.push(`lines at z = ${this.z.toFixed(4)} (${this.zSource})`);
    if (this.pwv !== null) notes.push(`PWV ${this.pwv.toFixed(2)} mm (${this.pwvSource})`);
    notes.push(this.filter ? `lines: ${this.filter}` : `the ${ranksShown(hi - lo)} most used lines (zoom in for more)`);
    this.caption.textContent = notes.join('; ');
    if (this.catalogue && this.pwv !== null) this.element.dataset.ready = 'true';
  }

  /** Every observation's windows, a lane each (scrolling past MOST_LANES_SHOWN). */
  drawLanes(lo, hi, x) {
    const height = this.lanes.length * LANE;
    const svg = el('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'spectrum-lanes-svg', preserveAspectRatio: 'none' });
    svg.style.height = `${height}px`;
    this.lanes.forEach((lane, i) => {
      const g = el('g', { class: 'lane', 'data-key': lane.key });
      for (const [f0, f1] of lane.spws) {
        if (f1 < lo || f0 > hi) continue;
        g.append(el('rect', { class: 'spw', x: x(f0), y: i * LANE, width: Math.max(1, x(f1) - x(f0)), height: LANE - 0.6 }));
      }
      g.addEventListener('mouseenter', () => {
        this.onHover(lane.key);
        const r = lane.row;
        this.hoverLine.textContent = `${r.proposal_id} ${r.target_name}: ${lane.spws.map(([a, b]) => `${a.toFixed(3)}–${b.toFixed(3)}`).join(', ')} GHz`;
      });
      g.addEventListener('mouseleave', () => { this.onHover(null); this.hoverLine.textContent = ''; });
      svg.append(g);
    });
    this.lanesBox.style.maxHeight = `${MOST_LANES_SHOWN * LANE}px`;
    this.lanesBox.replaceChildren(svg);
  }

  highlight(key) {
    for (const g of this.element.querySelectorAll('g.lane.highlight')) g.classList.remove('highlight');
    if (key === null || key === undefined) return;
    const g = this.element.querySelector(`g.lane[data-key="${CSS.escape(key)}"]`);
    if (g) g.classList.add('highlight');
  }
}
