// Details a row's cells open on hover, as ALMA shows them: the spectral windows of the
// frequency support in a table (range, channel width, sensitivities, polarisations), and the
// publications behind a publication count (each bibcode linked to ADS).
import { bibcodes } from './rows.js';

function el(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

/** ALMA's frequency_support text as windows: {range, width, lineSensitivity, nativeSensitivity, pols}. */
export function spectralWindows(support) {
  return (support || '').split(' U ').map((w) => w.trim().replace(/^\[|\]$/g, '')).filter(Boolean).map((w) => {
    const [range = '', width = '', line = '', native = '', pols = ''] = w.split(',').map((p) => p.trim());
    return { range: range.replace('..', ' – '), width, lineSensitivity: line.replace('@10km/s', ''), nativeSensitivity: native.replace('@native', ''), pols };
  });
}

function popup(cell, id, ...children) {
  document.getElementById(id)?.remove();
  const box = el('div', { id, className: 'popup details' }, ...children);
  cell.append(box);
  return box;
}

/** The windows of `row`'s frequency support, by `cell`. */
export function showWindows(row, cell) {
  const windows = spectralWindows(row.frequency_support);
  const head = el('tr', {}, ...['Window (GHz)', 'Channel width', 'Line sens. (10 km/s)', 'Sens. (native)', 'Pol.'].map((h) => el('th', { textContent: h })));
  popup(cell, 'row-details',
    el('div', { className: 'popup-title', textContent: `${windows.length} spectral window${windows.length === 1 ? '' : 's'}` }),
    el('table', {}, head, ...windows.map((w) => el('tr', {}, ...[w.range, w.width, w.lineSensitivity, w.nativeSensitivity, w.pols].map((t) => el('td', { textContent: t }))))));
}

/** The publications behind `row`'s publication count, by `cell`. */
export function showPublications(row, cell) {
  const codes = [...new Set((row.members || [row]).flatMap(bibcodes))].sort();
  popup(cell, 'row-details',
    el('div', { className: 'popup-title', textContent: codes.length ? `${codes.length} publication${codes.length === 1 ? '' : 's'}` : 'No publication uses these data yet' }),
    el('ul', {}, ...codes.map((b) => el('li', {}, el('a', { href: `https://ui.adsabs.harvard.edu/abs/${encodeURIComponent(b)}`, target: '_blank', rel: 'noopener', textContent: b })))));
}

/** Hides the details unless the pointer is on them. */
export function hideDetails() {
  const box = document.getElementById('row-details');
  if (box && !box.matches(':hover')) box.remove();
}
