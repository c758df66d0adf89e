// The spectral coverage view: each observation's spectral windows (from frequency_support)
// as bars on a frequency axis, over the ALMA receiver bands.
import { windows } from './rows.js';

const SVG = 'http://www.w3.org/2000/svg';
const BANDS = [[1, 35, 50], [2, 67, 116], [3, 84, 116], [4, 125, 163], [5, 163, 211], [6, 211, 275],
  [7, 275, 373], [8, 385, 500], [9, 602, 720], [10, 787, 950]];
const LANES = 120;

function el(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export class SpectrumView {
  constructor(element, { onHover }) {
    this.element = element;
    this.onHover = onHover;
  }

  show(rows) {
    const lanes = rows.slice(0, LANES).map((r) => ({ key: r.key, spws: windows(r.frequency_support) }))
      .filter((l) => l.spws.length);
    if (!lanes.length) {
      this.element.replaceChildren(document.createTextNode('No spectral windows in the results.'));
      return;
    }
    const all = lanes.flatMap((l) => l.spws.flat());
    let lo = Math.min(...all); let hi = Math.max(...all);
    const pad = Math.max((hi - lo) * 0.05, 1);
    lo = Math.max(0, lo - pad); hi += pad;
    const width = 400; const laneHeight = Math.max(3, Math.min(12, Math.floor(160 / lanes.length))); const top = 4; const axis = 16;
    const height = top + lanes.length * laneHeight + axis;
    const x = (f) => ((f - lo) / (hi - lo)) * width;
    const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Spectral coverage' });
    for (const [band, b0, b1] of BANDS) {
      if (b1 < lo || b0 > hi) continue;
      svg.append(el('rect', { class: 'band', x: x(Math.max(b0, lo)), y: 0, width: x(Math.min(b1, hi)) - x(Math.max(b0, lo)), height: height - axis }));
      svg.append(el('text', { x: x(Math.max(b0, lo)) + 2, y: height - axis - 2 }, `B${band}`));
    }
    lanes.forEach((lane, i) => {
      const g = el('g', { class: 'lane', 'data-key': lane.key });
      for (const [f0, f1] of lane.spws) {
        g.append(el('rect', { class: 'spw', x: x(f0), y: top + i * laneHeight, width: Math.max(1, x(f1) - x(f0)), height: laneHeight - 1 }));
      }
      g.addEventListener('mouseenter', () => this.onHover(lane.key));
      g.addEventListener('mouseleave', () => this.onHover(null));
      svg.append(g);
    });
    const ticks = 6;
    for (let t = 0; t <= ticks; t += 1) {
      const f = lo + ((hi - lo) * t) / ticks;
      svg.append(el('line', { x1: x(f), x2: x(f), y1: height - axis, y2: height - axis + 3, stroke: '#4a5866' }));
      svg.append(el('text', { x: Math.min(width - 24, x(f)), y: height - 3 }, f.toFixed(0)));
    }
    svg.append(el('text', { x: width - 24, y: height - axis + 10 }, 'GHz'));
    const note = rows.length > LANES ? `first ${LANES} of ${rows.length} observations` : `${lanes.length} observations`;
    const caption = document.createElement('div');
    caption.className = 'hint';
    caption.textContent = note;
    this.element.replaceChildren(svg, caption);
  }

  highlight(key) {
    for (const g of this.element.querySelectorAll('g.lane.highlight')) g.classList.remove('highlight');
    if (key === null || key === undefined) return;
    const g = this.element.querySelector(`g.lane[data-key="${CSS.escape(key)}"]`);
    if (g) g.classList.add('highlight');
  }
}
