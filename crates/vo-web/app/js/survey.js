// A cube's ADMIT-style line survey, interactive (ALMA manual §3.3.3): the spectra the survey
// searched (uPlot: drag to zoom, double-click to see all) with the lines found and their
// tentative labels (which can be hidden), the moment maps of the strongest line and the peak
// and continuum maps (wheel to zoom, drag to pan), and a help tab. From
// /preview/NAME/lines.json and the PNG previews beside it.

const TABS = [['spectrum', 'Spectrum'], ['moment0', 'Moment 0'], ['moment1', 'Moment 1'],
  ['peak', 'Peak'], ['continuum', 'Continuum'], ['help', 'Help']];
const COLOURS = { 'brightest pixel': '#d1495b', 'continuum peak': '#2e86ab', aperture: '#3d9970' };

function html(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

/** An image that the wheel zooms (around the pointer) and dragging pans. */
function zoomable(src, alt) {
  const img = html('img', { src, alt, draggable: false });
  const box = html('div', { className: 'zoomable' }, img);
  let scale = 1; let x = 0; let y = 0;
  const apply = () => { img.style.transform = `translate(${x}px, ${y}px) scale(${scale})`; box.dataset.scale = String(scale); };
  box.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = box.getBoundingClientRect();
    const factor = e.deltaY < 0 ? 1.25 : 0.8;
    const cx = e.clientX - r.left - x; const cy = e.clientY - r.top - y;
    x -= cx * (factor - 1); y -= cy * (factor - 1);
    scale *= factor;
    apply();
  }, { passive: false });
  box.addEventListener('pointerdown', (e) => {
    const start = { px: e.clientX, py: e.clientY, x, y };
    const move = (m) => { x = start.x + m.clientX - start.px; y = start.y + m.clientY - start.py; apply(); };
    const up = () => { window.removeEventListener('pointermove', move); window.removeEventListener('pointerup', up); };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  });
  box.addEventListener('dblclick', () => { scale = 1; x = 0; y = 0; apply(); });
  apply();
  return box;
}

export class SurveyDialog {
  constructor(dialog) {
    this.dialog = dialog;
    this.body = dialog.querySelector('#line-survey-body');
    this.title = dialog.querySelector('#line-survey-title');
    this.tabs = dialog.querySelector('#line-survey-tabs');
    dialog.querySelector('#line-survey-close').addEventListener('click', () => dialog.close());
    for (const [id, label] of TABS) {
      const b = html('button', { type: 'button', textContent: label, role: 'tab' });
      b.dataset.tab = id;
      b.addEventListener('click', () => this.show(id));
      this.tabs.append(b);
    }
  }

  async open(name) {
    this.name = name;
    this.survey = null;
    this.title.textContent = `Line survey of ${name}`;
    this.dialog.dataset.loaded = '';
    this.body.replaceChildren(document.createTextNode('Surveying the cube…'));
    this.dialog.showModal();
    try {
      const response = await fetch(`/preview/${encodeURIComponent(name)}/lines.json`);
      const answer = await response.json().catch(async () => ({ error: await response.text() }));
      if (!response.ok) throw new Error(answer.error || answer.message || `HTTP ${response.status}`);
      this.survey = answer;
    } catch (e) {
      this.body.replaceChildren(html('p', { className: 'denied', textContent: `No line survey: ${e.message}` }));
      return;
    }
    this.dialog.dataset.loaded = String(this.survey.lines.length);
    this.show('spectrum');
  }

  show(tab) {
    for (const b of this.tabs.children) b.setAttribute('aria-selected', String(b.dataset.tab === tab));
    const base = `/preview/${encodeURIComponent(this.name)}`;
    if (tab === 'spectrum') this.spectrum();
    else if (tab === 'help') this.help();
    else if (tab.startsWith('moment') && !this.survey?.moments) this.body.replaceChildren(html('p', { textContent: 'No line found: no moment maps.' }));
    else this.body.replaceChildren(zoomable(`${base}/${tab}.png`, `${tab} of ${this.name}`), html('p', { className: 'hint', textContent: 'Wheel to zoom, drag to pan, double-click to reset.' }));
  }

  async spectrum() {
    const s = this.survey;
    const z = s.redshift ? `labels at z = ${s.redshift.z.toFixed(5)} (${s.redshift.from})` : 'no redshift known: no labels';
    const labels = html('input', { type: 'checkbox', id: 'line-survey-labels', checked: true });
    const list = html('ul', { className: 'survey-lines' }, ...s.lines.map((l) => html('li', {
      textContent: `${l.frequency_ghz.toFixed(4)} GHz, ${l.peak_snr}σ${l.label ? ` — ${l.label.species} ${l.label.transition} (${l.label.offset_kms} km/s)` : ' — unidentified'}; found in ${l.found_in.join('; ')}`,
    })));
    const plot = html('div', { className: 'survey-plot' });
    this.body.replaceChildren(
      html('p', { className: 'warning', textContent: 'Tentative, not for science: lines found automatically, labels by nearest frequency.' }),
      html('div', { className: 'row' }, html('label', {}, labels, ' Labels'), html('span', { className: 'hint', textContent: `${z}. Drag to zoom, double-click to see all.` })),
      plot, list);
    let uPlot;
    try {
      uPlot = (await import('/web/vendor/uplot/uPlot.esm.js')).default;
    } catch {
      plot.textContent = 'uPlot is not installed on this server (npm ci in crates/vo-web/app).';
      return;
    }
    const data = [s.frequency_ghz, ...s.spectra.map((sp) => sp.values)];
    const overlay = html('div', { className: 'survey-labels' });
    const place = (u) => {
      overlay.replaceChildren();
      for (const l of s.lines) {
        const left = u.valToPos(l.frequency_ghz, 'x');
        if (left < 0 || left > u.bbox.width / devicePixelRatio) continue;
        const text = l.label ? `${l.label.species} ${l.label.transition}` : `? ${l.frequency_ghz.toFixed(3)}`;
        overlay.append(html('span', { className: 'survey-label', textContent: text, style: `left:${left}px` }));
      }
    };
    const markers = (u) => {
      const ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = '#7b3fa0';
      ctx.setLineDash([4, 3]);
      for (const l of s.lines) {
        const x = u.valToPos(l.frequency_ghz, 'x', true);
        ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
      }
      ctx.restore();
    };
    const chart = new uPlot({
      width: Math.min(760, this.body.clientWidth - 20), height: 280,
      scales: { x: { time: false } },
      axes: [{ label: 'Frequency (GHz)' }, { label: 'Intensity − continuum' }],
      series: [{ label: 'GHz' }, ...s.spectra.map((sp) => ({ label: `${sp.name} (${sp.x}, ${sp.y})`, stroke: COLOURS[sp.name] || '#555', width: 1 }))],
      hooks: { draw: [markers, place] },
    }, data, plot);
    chart.over.append(overlay);
    labels.addEventListener('change', () => { overlay.hidden = !labels.checked; });
    this.chart = chart;
  }

  help() {
    this.body.replaceChildren(html('div', { className: 'survey-help' },
      html('p', { textContent: 'The survey looks at three spectra of the cube: the brightest pixel of the line emission (peak minus continuum), the continuum peak, and the mean over an aperture a beam wide around the line peak. Each is searched at its own resolution and binned by 2 and 4 channels, after a straight-line continuum fitted to the line-free channels is taken off; a line is a run of channels above 2.5σ (the per-channel noise of the cube) that peaks above 5σ.' }),
      html('p', { textContent: 'Labels are the archive\'s line list (/reference/lines) at the source\'s redshift — the PI\'s value, else other ALMA observations of the source, else the requested line — nearest within 300 km/s. They are tentative: blends, unlisted species and wrong redshifts give wrong labels.' }),
      html('p', { textContent: 'Moment 0 is the integrated intensity of the strongest line, moment 1 its intensity-weighted velocity (km/s, positive away), both over its channels and masked below 3σ of moment 0.' })));
  }
}
