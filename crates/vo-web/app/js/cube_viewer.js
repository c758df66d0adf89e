// The cube viewer (the role CARTA plays for ALMA, manual §3.6): any FITS product the visitor
// may read, its channels drawn from tiles of float32 values (/cube/NAME/tiles) at the zoom
// level the canvas needs, coloured here (so the colour map, stretch and scale change without
// a request), a channel slider and animator, the spectrum under the cursor
// (/cube/NAME/spectrum), statistics of a drawn box or of the view (/cube/NAME/stats) and the
// SODA cutout of that box or view over the chosen channels.

const TILE = 256;
const MOST_CACHED_TILES = 400;
const MOST_TILES_AT_ONCE = 64;

/** Colour maps: control points from 0 to 1. */
const COLOUR_MAPS = {
  viridis: [[68, 1, 84], [72, 40, 120], [62, 73, 137], [49, 104, 142], [38, 130, 142], [31, 158, 137], [53, 183, 121], [110, 206, 88], [253, 231, 37]],
  inferno: [[0, 0, 4], [40, 11, 84], [101, 21, 110], [159, 42, 99], [212, 72, 66], [245, 125, 21], [250, 193, 39], [252, 255, 164]],
  grey: [[0, 0, 0], [255, 255, 255]],
  'blue–red': [[49, 54, 149], [116, 173, 209], [247, 247, 247], [244, 109, 67], [165, 0, 38]],
};
const STRETCHES = {
  linear: (t) => t,
  sqrt: (t) => Math.sqrt(t),
  log: (t) => Math.log10(1 + 999 * t) / 3,
  asinh: (t) => Math.asinh(10 * t) / Math.asinh(10),
};
const SCALES = { 'min–max': 100, '99.5%': 99.5, '99%': 99, '95%': 95, '90%': 90 };

function el(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

function lookupTable(name, stretch) {
  const points = COLOUR_MAPS[name];
  const table = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i += 1) {
    const t = STRETCHES[stretch](i / 255) * (points.length - 1);
    const below = Math.min(Math.floor(t), points.length - 2);
    const f = t - below;
    for (let c = 0; c < 3; c += 1) table[i * 3 + c] = points[below][c] + (points[below + 1][c] - points[below][c]) * f;
  }
  return table;
}

function format(v, digits = 4) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(digits - 1) : v.toPrecision(digits);
}

function sexagesimal(deg, hours) {
  let v = hours ? deg / 15 : Math.abs(deg);
  const h = Math.floor(v); v = (v - h) * 60;
  const m = Math.floor(v); const s = (v - m) * 60;
  const sign = hours ? '' : (deg < 0 ? '−' : '+');
  return `${sign}${String(h).padStart(2, '0')}${hours ? 'h' : '°'}${String(m).padStart(2, '0')}${hours ? 'm' : '′'}${s.toFixed(hours ? 3 : 2).padStart(hours ? 6 : 5, '0')}${hours ? 's' : '″'}`;
}

export class CubeViewer {
  constructor(dialog) {
    this.dialog = dialog;
    this.q = (id) => dialog.querySelector(`#cube-${id}`);
    this.canvas = this.q('canvas');
    // drawn on the CPU: tiles are put and drawn, never read back, but a GPU canvas uploads
    // each tile again on every draw
    this.ctx = this.canvas.getContext('2d', { willReadFrequently: true });
    this.tiles = new Map();
    this.shownBefore = new Map();
    this.pending = new Map();
    this.generation = 0;
    this.q('close').addEventListener('click', () => this.close());
    dialog.addEventListener('close', () => this.stop());
    for (const name of Object.keys(COLOUR_MAPS)) this.q('colours').append(el('option', { value: name, textContent: name }));
    for (const name of Object.keys(STRETCHES)) this.q('stretch').append(el('option', { value: name, textContent: name }));
    for (const name of Object.keys(SCALES)) this.q('scale').append(el('option', { value: name, textContent: name }));
    this.q('scale').append(el('option', { value: 'custom', textContent: 'custom' }));
    this.q('scale').value = '99.5%';
    const recolour = () => { this.lut = lookupTable(this.q('colours').value, this.q('stretch').value); this.colourVersion += 1; this.draw(); };
    this.q('colours').addEventListener('change', recolour);
    this.q('stretch').addEventListener('change', recolour);
    this.q('scale').addEventListener('change', () => { this.stale = true; this.rescale(); this.draw(); });
    for (const end of ['min', 'max']) {
      this.q(end).addEventListener('change', () => {
        const lo = Number(this.q('min').value); const hi = Number(this.q('max').value);
        if (Number.isFinite(lo) && Number.isFinite(hi) && hi > lo) {
          this.q('scale').value = 'custom';
          this.range = [lo, hi];
          this.colourVersion += 1;
          this.draw();
        }
      });
    }
    this.q('slider').addEventListener('input', () => this.go(Number(this.q('slider').value)));
    this.q('previous').addEventListener('click', () => this.step(-1));
    this.q('next').addEventListener('click', () => this.step(1));
    this.q('play').addEventListener('click', () => (this.timer ? this.stop() : this.play()));
    this.q('fit').addEventListener('click', () => { if (this.info) { this.fit(); this.request(); this.draw(); this.viewChanged(); } });
    this.q('box').addEventListener('click', () => this.setBoxMode(!this.boxMode));
    this.q('clear-box').addEventListener('click', () => { this.region = null; this.draw(); this.viewChanged(); });
    for (const end of ['first', 'last']) this.q(end).addEventListener('change', () => this.viewChanged());
    this.q('profile-axis').addEventListener('change', () => this.showProfile());
    dialog.addEventListener('keydown', (e) => {
      if (e.target.tagName === 'INPUT' || e.target.tagName === 'SELECT') return;
      if (e.key === 'ArrowRight') { this.step(1); e.preventDefault(); }
      if (e.key === 'ArrowLeft') { this.step(-1); e.preventDefault(); }
    });
    this.pointer();
    this.colourVersion = 0;
    this.lut = lookupTable('viridis', 'linear');
    this.q('colours').value = 'viridis';
  }

  async open(name) {
    this.stop();
    this.name = name;
    this.generation += 1;
    this.tiles.clear();
    this.pending.clear();
    this.region = null;
    this.range = null;
    this.stale = true;
    this.profile = null;
    this.pinned = null;
    this.marked = null;
    this.shownBefore = new Map();
    this.dialog.dataset.channel = '';
    this.dialog.dataset.drawn = '';
    this.dialog.dataset.spectrum = '';
    this.dialog.dataset.stats = '';
    this.q('title').textContent = `Cube viewer: ${name}`;
    this.q('message').textContent = 'Opening…';
    this.q('message').className = '';
    this.dialog.showModal();
    const response = await fetch(`/cube/${encodeURIComponent(name)}`);
    const answer = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
    if (!response.ok) {
      this.info = null;
      this.q('message').textContent = response.status === 401
        ? `${name} is proprietary: sign in as its PI or a delegee to view it (${answer.error})`
        : `Cannot view ${name}: ${answer.error}`;
      this.q('message').className = 'denied';
      this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
      return;
    }
    this.info = answer;
    this.q('message').textContent = '';
    const last = answer.channels - 1;
    this.q('slider').max = String(last);
    this.q('first').max = String(last); this.q('last').max = String(last);
    this.q('first').value = '0'; this.q('last').value = String(last);
    for (const b of ['slider', 'previous', 'next', 'play']) this.q(b).disabled = answer.channels < 2;
    const beam = answer.beam ? `beam ${answer.beam.major_arcsec}″ × ${answer.beam.minor_arcsec}″, ${answer.beam.pa_deg}°; ` : '';
    this.q('about').textContent = `${answer.object || ''} ${answer.nx} × ${answer.ny} pixels of ${answer.pixel_arcsec}″, ${answer.channels} channel${answer.channels === 1 ? '' : 's'}; ${beam}${answer.unit || 'no unit'}`;
    this.q('download').href = answer.download;
    this.resize();
    this.fit();
    this.go(0);
  }

  close() { this.dialog.close(); }

  resize() {
    const width = Math.max(320, Math.min(900, window.innerWidth - 420));
    const height = Math.max(280, Math.min(620, window.innerHeight - 260));
    this.canvas.width = width;
    this.canvas.height = height;
  }

  fit() {
    const { nx, ny } = this.info;
    this.zoom = Math.min(this.canvas.width / nx, this.canvas.height / ny);
    this.cx = nx / 2;
    this.cy = ny / 2;
  }

  /** Screen → image (pixels from the image's corner, y up). */
  toImage(sx, sy) {
    return [(sx - this.canvas.width / 2) / this.zoom + this.cx, this.cy - (sy - this.canvas.height / 2) / this.zoom];
  }

  toScreen(u, v) {
    return [(u - this.cx) * this.zoom + this.canvas.width / 2, this.canvas.height / 2 - (v - this.cy) * this.zoom];
  }

  /** The level whose pixels are nearest the screen's (within √2 either way). */
  level() {
    const wanted = Math.round(Math.log2(1 / this.zoom));
    return Math.max(0, Math.min(this.info.levels - 1, wanted));
  }

  /** The tiles of the view at `level`: [tx, ty] pairs. */
  visible(level) {
    const step = 2 ** level;
    const span = TILE * step;
    const across = Math.ceil(Math.ceil(this.info.nx / step) / TILE);
    const up = Math.ceil(Math.ceil(this.info.ny / step) / TILE);
    const [u0, v1] = this.toImage(0, 0);
    const [u1, v0] = this.toImage(this.canvas.width, this.canvas.height);
    const out = [];
    for (let ty = Math.max(0, Math.floor(v0 / span)); ty <= Math.min(up - 1, Math.floor(v1 / span)); ty += 1) {
      for (let tx = Math.max(0, Math.floor(u0 / span)); tx <= Math.min(across - 1, Math.floor(u1 / span)); tx += 1) out.push([tx, ty]);
    }
    return out;
  }

  go(channel) {
    if (!this.info) return;
    this.channel = Math.max(0, Math.min(this.info.channels - 1, channel));
    this.q('slider').value = String(this.channel);
    const f = this.info.frequency_ghz[this.channel];
    const v = this.info.velocity_kms[this.channel];
    this.q('channel').textContent = `channel ${this.channel} of ${this.info.channels - 1}${f !== undefined ? ` — ${f.toFixed(6)} GHz` : ''}${v !== undefined ? `, ${v.toFixed(2)} km/s` : ''}`;
    this.dialog.dataset.channel = String(this.channel);
    if (!this.q('keep').checked) this.stale = true;
    this.request();
    this.draw();
    this.viewChanged();
    if (this.profile) this.drawProfile();
  }

  step(delta) {
    if (!this.info) return;
    const n = this.info.channels;
    this.go((this.channel + delta + n) % n);
  }

  play() {
    const fps = Number(this.q('fps').value) || 5;
    this.q('play').textContent = '‖ Pause';
    this.timer = setInterval(() => {
      const first = Math.max(0, Number(this.q('first').value) || 0);
      const last = Math.min(this.info.channels - 1, Number(this.q('last').value));
      const lo = Math.min(first, last); const hi = Math.max(first, last);
      // wait for the channel on the screen before moving on
      if (this.dialog.dataset.drawn !== String(this.channel)) return;
      this.go(this.channel + 1 > hi || this.channel < lo ? lo : this.channel + 1);
    }, 1000 / fps);
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.q('play').textContent = '▶ Play';
  }

  /** Asks for the view's tiles of the current channel that are not cached or coming: the
   * rectangle around them, in one request (64 tiles at most each). */
  request() {
    const level = this.level();
    const missing = this.visible(level).filter(([tx, ty]) => {
      const key = `${this.channel}/${level}/${tx}/${ty}`;
      return !this.tiles.has(key) && !this.pending.has(key);
    });
    if (!missing.length) return;
    const xs = missing.map((t) => t[0]); const ys = missing.map((t) => t[1]);
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
    const rows = Math.max(1, Math.floor(MOST_TILES_AT_ONCE / (x1 - x0 + 1)));
    for (let y = y0; y <= y1; y += rows) this.fetchTiles(this.channel, level, x0, x1, y, Math.min(y1, y + rows - 1));
  }

  async fetchTiles(channel, level, x0, x1, y0, y1) {
    const keys = [];
    for (let ty = y0; ty <= y1; ty += 1) for (let tx = x0; tx <= x1; tx += 1) keys.push(`${channel}/${level}/${tx}/${ty}`);
    for (const key of keys) this.pending.set(key, true);
    const generation = this.generation;
    try {
      const response = await fetch(`/cube/${encodeURIComponent(this.name)}/tiles?channel=${channel}&level=${level}&x0=${x0}&x1=${x1}&y0=${y0}&y1=${y1}`);
      if (!response.ok) throw new Error((await response.json().catch(() => ({}))).error || `HTTP ${response.status}`);
      const buffer = await response.arrayBuffer();
      if (generation !== this.generation) return;
      // each tile: column, row, width, height (u32), then its float32 values
      const view = new DataView(buffer);
      let at = 0;
      while (at + 16 <= buffer.byteLength) {
        const [tx, ty, width, height] = [0, 4, 8, 12].map((o) => view.getUint32(at + o, true));
        at += 16;
        if (at + width * height * 4 > buffer.byteLength) throw new Error('a tile cut short');
        const values = new Float32Array(buffer.slice(at, at + width * height * 4));
        at += width * height * 4;
        const key = `${channel}/${level}/${tx}/${ty}`;
        this.tiles.set(key, { channel, level, tx, ty, width, height, values, canvas: null, version: -1 });
      }
      while (this.tiles.size > MOST_CACHED_TILES) this.tiles.delete(this.tiles.keys().next().value);
      if (channel === this.channel) this.rescale();
      this.draw();
    } catch (e) {
      if (generation === this.generation) {
        this.q('message').textContent = `Tiles could not be read: ${e.message}`;
        this.q('message').className = 'denied';
      }
    } finally {
      for (const key of keys) this.pending.delete(key);
    }
  }

  /** The colour range from the values of the view's loaded tiles of this channel. */
  rescale() {
    if (!this.info || this.q('scale').value === 'custom' || (this.range && !this.stale)) return;
    const level = this.level();
    const taken = [];
    for (const [tx, ty] of this.visible(level)) {
      const tile = this.tiles.get(`${this.channel}/${level}/${tx}/${ty}`);
      if (!tile) return; // not all there yet
      const every = Math.max(1, Math.floor(tile.values.length / 4096));
      for (let i = 0; i < tile.values.length; i += every) if (Number.isFinite(tile.values[i])) taken.push(tile.values[i]);
    }
    if (!taken.length) return;
    const sample = Float32Array.from(taken).sort();
    const percent = SCALES[this.q('scale').value] ?? 99.5;
    const cut = (p) => sample[Math.min(sample.length - 1, Math.max(0, Math.round((p / 100) * (sample.length - 1))))];
    let lo = cut((100 - percent) / 2); let hi = cut(100 - (100 - percent) / 2);
    if (hi <= lo) hi = lo + (Math.abs(lo) || 1) * 1e-6;
    this.range = [lo, hi];
    this.stale = false;
    this.q('min').value = format(lo, 5);
    this.q('max').value = format(hi, 5);
    this.colourVersion += 1;
  }

  tileCanvas(tile) {
    const key = `${this.colourVersion}/${this.range}`;
    if (tile.canvas && tile.version === key) return tile.canvas;
    const [lo, hi] = this.range;
    const image = new ImageData(tile.width, tile.height);
    const scale = 1 / (hi - lo);
    for (let j = 0; j < tile.height; j += 1) {
      const row = (tile.height - 1 - j) * tile.width; // y up
      for (let i = 0; i < tile.width; i += 1) {
        const v = tile.values[j * tile.width + i];
        const o = (row + i) * 4;
        if (!Number.isFinite(v)) { image.data[o + 3] = 0; continue; }
        const index = Math.round(Math.min(1, Math.max(0, (v - lo) * scale)) * 255) * 3;
        image.data[o] = this.lut[index]; image.data[o + 1] = this.lut[index + 1]; image.data[o + 2] = this.lut[index + 2]; image.data[o + 3] = 255;
      }
    }
    const canvas = tile.canvas || document.createElement('canvas');
    canvas.width = tile.width; canvas.height = tile.height;
    canvas.getContext('2d', { willReadFrequently: true }).putImageData(image, 0, 0);
    tile.canvas = canvas;
    tile.version = key;
    return canvas;
  }

  /** Draws at the next frame (tiles arriving together are drawn once). */
  draw() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = null; this.drawNow(); });
  }

  drawNow() {
    if (!this.info) return;
    const ctx = this.ctx;
    ctx.imageSmoothingEnabled = false;
    ctx.fillStyle = '#20252b';
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    const level = this.level();
    const step = 2 ** level;
    let complete = true;
    for (const [tx, ty] of this.visible(level)) {
      let tile = this.tiles.get(`${this.channel}/${level}/${tx}/${ty}`);
      if (!tile) {
        complete = false;
        // until it comes, the same tile of the channel shown before
        tile = this.shownBefore.get(`${tx}/${ty}/${level}`);
      } else {
        this.shownBefore.set(`${tx}/${ty}/${level}`, tile);
      }
      if (!tile || !this.range) continue;
      const [sx, sy] = this.toScreen(tx * TILE * step, (ty * TILE + tile.height) * step);
      ctx.drawImage(this.tileCanvas(tile), sx, sy, tile.width * step * this.zoom, tile.height * step * this.zoom);
    }
    if (this.region) {
      const [ax, ay] = this.toScreen(this.region[0], this.region[1]);
      const [bx, by] = this.toScreen(this.region[2], this.region[3]);
      ctx.strokeStyle = '#ff5c5c'; ctx.lineWidth = 1.5; ctx.setLineDash([5, 3]);
      ctx.strokeRect(Math.min(ax, bx), Math.min(ay, by), Math.abs(bx - ax), Math.abs(by - ay));
      ctx.setLineDash([]);
    }
    if (this.marked) {
      const [mx, my] = this.toScreen(this.marked[0] + 0.5, this.marked[1] + 0.5);
      ctx.strokeStyle = '#fff'; ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(mx - 6, my); ctx.lineTo(mx + 6, my); ctx.moveTo(mx, my - 6); ctx.lineTo(mx, my + 6); ctx.stroke();
    }
    this.q('level').textContent = `zoom ${this.zoom >= 1 ? this.zoom.toFixed(1) : `1/${(1 / this.zoom).toFixed(1)}`}, tiles at level ${level}`;
    if (complete && this.range && !this.stale) this.dialog.dataset.drawn = String(this.channel);
  }

  /** The value under image position (u, v) from the loaded tiles (at level 0 the pixel's). */
  valueAt(u, v) {
    const level = this.level();
    const step = 2 ** level;
    const lx = Math.floor(u / step); const ly = Math.floor(v / step);
    const tile = this.tiles.get(`${this.channel}/${level}/${Math.floor(lx / TILE)}/${Math.floor(ly / TILE)}`);
    if (!tile) return null;
    return tile.values[(ly % TILE) * tile.width + (lx % TILE)];
  }

  pointer() {
    const c = this.canvas;
    let drag = null;
    c.addEventListener('wheel', (e) => {
      if (!this.info) return;
      e.preventDefault();
      const r = c.getBoundingClientRect();
      const [u, v] = this.toImage(e.clientX - r.left, e.clientY - r.top);
      this.zoom *= e.deltaY < 0 ? 1.25 : 0.8;
      this.zoom = Math.max(Math.min(c.width / this.info.nx, c.height / this.info.ny) / 4, Math.min(32, this.zoom));
      // keep the point under the pointer where it is
      const [u2, v2] = this.toImage(e.clientX - r.left, e.clientY - r.top);
      this.cx += u - u2; this.cy += v - v2;
      this.request(); this.draw(); this.viewChanged();
    }, { passive: false });
    c.addEventListener('pointerdown', (e) => {
      if (!this.info) return;
      const r = c.getBoundingClientRect();
      const start = { sx: e.clientX - r.left, sy: e.clientY - r.top, cx: this.cx, cy: this.cy, moved: false };
      start.box = this.boxMode || e.shiftKey;
      start.image = this.toImage(start.sx, start.sy);
      drag = start;
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', (e) => {
      if (!this.info) return;
      const r = c.getBoundingClientRect();
      const sx = e.clientX - r.left; const sy = e.clientY - r.top;
      if (drag) {
        if (Math.abs(sx - drag.sx) + Math.abs(sy - drag.sy) > 3) drag.moved = true;
        if (drag.box) {
          const [u, v] = this.toImage(sx, sy);
          this.region = [drag.image[0], drag.image[1], u, v];
          this.draw();
        } else if (drag.moved) {
          this.cx = drag.cx - (sx - drag.sx) / this.zoom;
          this.cy = drag.cy + (sy - drag.sy) / this.zoom;
          this.request(); this.draw();
        }
        return;
      }
      this.hover(sx, sy);
    });
    c.addEventListener('pointerup', (e) => {
      if (!drag) return;
      const r = c.getBoundingClientRect();
      const was = drag; drag = null;
      if (was.box && was.moved) this.viewChanged();
      else if (!was.box && was.moved) this.viewChanged();
      else {
        // a click pins the spectrum of that pixel
        const [u, v] = this.toImage(e.clientX - r.left, e.clientY - r.top);
        this.pinned = [Math.floor(u), Math.floor(v)];
        this.spectrumAt(this.pinned);
      }
    });
    c.addEventListener('pointerleave', () => { if (this.pinned) this.spectrumAt(this.pinned); });
  }

  setBoxMode(on) {
    this.boxMode = on;
    this.q('box').setAttribute('aria-pressed', String(on));
    this.canvas.style.cursor = on ? 'crosshair' : 'grab';
  }

  hover(sx, sy) {
    const [u, v] = this.toImage(sx, sy);
    const x = Math.floor(u); const y = Math.floor(v);
    if (x < 0 || y < 0 || x >= this.info.nx || y >= this.info.ny) { this.q('cursor').textContent = ''; return; }
    const value = this.valueAt(u, v);
    const exact = this.level() === 0 ? '' : '≈';
    this.q('cursor').textContent = `x ${x}, y ${y}: ${exact}${format(value)} ${this.info.unit || ''}`;
    this.spectrumAt([x, y]);
  }

  /** The spectrum of pixel [x, y]; one request at a time, the latest position wins. */
  async spectrumAt(pixel) {
    this.wantedSpectrum = pixel;
    if (this.spectrumBusy) return;
    this.spectrumBusy = true;
    try {
      while (this.wantedSpectrum) {
        const [x, y] = this.wantedSpectrum;
        this.wantedSpectrum = null;
        const response = await fetch(`/cube/${encodeURIComponent(this.name)}/spectrum?x=${x}&y=${y}`);
        const answer = await response.json();
        if (!response.ok) throw new Error(answer.error);
        this.profile = answer;
        this.marked = [answer.x, answer.y];
        const where = answer.ra === null ? '' : ` — ${sexagesimal(answer.ra, true)} ${sexagesimal(answer.dec, false)}`;
        this.q('spectrum-at').textContent = `Spectrum at x ${answer.x}, y ${answer.y}${where}${this.pinned && this.pinned[0] === answer.x && this.pinned[1] === answer.y ? ' (pinned: click elsewhere to move)' : ''}`;
        this.dialog.dataset.spectrum = `${answer.x},${answer.y}`;
        this.draw();
        await this.showProfile();
      }
    } catch (e) {
      this.q('spectrum-at').textContent = `No spectrum: ${e.message}`;
    } finally {
      this.spectrumBusy = false;
    }
  }

  async showProfile() {
    if (!this.profile) return;
    if (!this.uPlot) {
      try {
        this.uPlot = (await import('/web/vendor/uplot/uPlot.esm.js')).default;
      } catch {
        this.q('profile').textContent = 'uPlot is not installed on this server (npm ci in crates/vo-web/app).';
        return;
      }
    }
    const velocity = this.q('profile-axis').value === 'velocity' && this.info.velocity_kms.length;
    const xs = velocity ? this.info.velocity_kms : (this.info.frequency_ghz.length ? this.info.frequency_ghz : this.profile.values.map((_, i) => i));
    // uPlot wants x ascending
    const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
    const data = [order.map((i) => xs[i]), order.map((i) => this.profile.values[i])];
    this.profileOrder = order;
    const label = velocity ? 'Velocity (km/s, radio)' : (this.info.frequency_ghz.length ? 'Frequency (GHz)' : 'Channel');
    if (this.chart && this.chartLabel === label) {
      this.chart.setData(data);
      return;
    }
    if (this.chart) this.chart.destroy();
    this.chartLabel = label;
    const marker = (u) => {
      const at = this.profileOrder.indexOf(this.channel);
      if (at < 0) return;
      const x = u.valToPos(u.data[0][at], 'x', true);
      u.ctx.save(); u.ctx.strokeStyle = '#d1495b'; u.ctx.lineWidth = 1.5;
      u.ctx.beginPath(); u.ctx.moveTo(x, u.bbox.top); u.ctx.lineTo(x, u.bbox.top + u.bbox.height); u.ctx.stroke(); u.ctx.restore();
    };
    this.chart = new this.uPlot({
      width: 360, height: 220,
      scales: { x: { time: false } },
      axes: [{ label }, { label: this.info.unit || '' }],
      series: [{ label }, { label: 'value', stroke: '#2e86ab', width: 1 }],
      legend: { show: false },
      hooks: { draw: [marker] },
    }, data, this.q('profile'));
    // a click on the spectrum shows that channel
    this.chart.over.addEventListener('click', () => {
      const at = this.chart.cursor.idx;
      if (at !== null && at !== undefined) this.go(this.profileOrder[at]);
    });
  }

  drawProfile() { if (this.chart) this.chart.redraw(false, false); }

  /** The view (or the drawn box): its statistics and its cutout, a moment after it settles. */
  viewChanged() {
    clearTimeout(this.settle);
    this.settle = setTimeout(() => this.regionStats(), 250);
  }

  async regionStats() {
    if (!this.info) return;
    let box = this.region;
    let what = 'the drawn box';
    if (!box || Math.abs(box[2] - box[0]) < 1 || Math.abs(box[3] - box[1]) < 1) {
      const [u0, v1] = this.toImage(0, 0);
      const [u1, v0] = this.toImage(this.canvas.width, this.canvas.height);
      box = [u0, v0, u1, v1];
      what = 'the view';
    }
    const first = Number(this.q('first').value); const last = Number(this.q('last').value);
    const all = first === 0 && last === this.info.channels - 1;
    const params = new URLSearchParams({ channel: this.channel, x0: box[0].toFixed(2), y0: box[1].toFixed(2), x1: box[2].toFixed(2), y1: box[3].toFixed(2) });
    if (!all) { params.set('first', first); params.set('last', last); }
    const generation = this.generation;
    const response = await fetch(`/cube/${encodeURIComponent(this.name)}/stats?${params}`);
    const s = await response.json();
    if (generation !== this.generation) return;
    if (!response.ok) { this.q('stats').textContent = s.error; return; }
    const b = s.box;
    const rows = [
      ['pixels', `${s.pixels}${s.stride > 1 ? ` (every ${s.stride}th read)` : ''}, ${s.blank} blank`],
      ['min / max', `${format(s.min)} / ${format(s.max)}`],
      ['mean ± std', `${format(s.mean)} ± ${format(s.std)}`],
      ['rms', format(s.rms)],
      ['sum', format(s.sum)],
    ];
    if (s.flux_jy !== null) rows.push(['flux density', `${format(s.flux_jy)} Jy`]);
    if (s.brightest) rows.push(['brightest', `x ${s.brightest.x}, y ${s.brightest.y}`]);
    this.q('stats').replaceChildren(
      el('div', { className: 'hint', textContent: `Statistics of ${what} (x ${b.x0}–${b.x1 - 1}, y ${b.y0}–${b.y1 - 1}) in channel ${s.channel}:` }),
      el('table', {}, ...rows.map(([k, v]) => el('tr', {}, el('th', { textContent: k }), el('td', { textContent: v })))));
    this.dialog.dataset.stats = String(s.pixels);
    const cutout = this.q('cutout');
    cutout.href = s.cutout;
    cutout.textContent = `SODA cutout of ${what}${all ? ', all channels' : `, channels ${Math.min(first, last)}–${Math.max(first, last)}`}`;
    cutout.hidden = false;
  }
}
