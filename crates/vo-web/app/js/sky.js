// The sky view: Aladin Lite (served by this service) drawing each row's s_region footprint.
// With no HiPS survey configured it draws over a coordinate grid and asks nothing of the
// network; hovering and clicking a footprint reach the table. The searched cones are drawn
// dashed; an answer spread over more than a few degrees is drawn as the density of its
// observations in HEALPix cells. Only the footprints in the view are drawn (again after each
// pan or zoom), so the ones outside cost the view nothing.
import { cellOf } from './healpix.js';

const COLOR = '#e63946';
const HIGHLIGHT = '#ffd60a';
const SEARCH = '#2e86ab';
const DENSITY = '#f4a261';
/** Past this spread (degrees) an answer is drawn as a density map. */
const WIDE_DEG = 5;
/** A wide view with more footprints than this in it draws none (the density map shows them). */
const MOST_FOOTPRINTS_WIDE = 500;
/** The most footprints drawn at once. */
const MOST_FOOTPRINTS = 3000;
/** How long the view must rest after a pan or zoom before its footprints are redrawn (ms). */
const SETTLE_MS = 150;

const RAD = Math.PI / 180;
/** The angle between two positions (degrees). */
function separation(ra1, dec1, ra2, dec2) {
  const s = Math.sin(((dec2 - dec1) * RAD) / 2) ** 2
    + Math.cos(dec1 * RAD) * Math.cos(dec2 * RAD) * Math.sin(((ra2 - ra1) * RAD) / 2) ** 2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(s)))) / RAD;
}

export class SkyView {
  constructor(element, { onHover, onClick }) {
    this.element = element;
    this.onHover = onHover;
    this.onClick = onClick;
    this.shapes = new Map(); // row key → its shapes
    this.keyOf = new Map(); // shape → row key
    this.highlighted = null;
  }

  async start(survey) {
    try {
      const module = await import('/web/vendor/aladin-lite/aladin.js');
      this.A = module.default;
      await this.A.init;
    } catch (e) {
      this.element.innerHTML = '<p class="unavailable">The sky view needs Aladin Lite, which was not bundled when this server was built (npm ci in crates/vo-web/app, then rebuild).</p>';
      return false;
    }
    this.aladin = this.A.aladin(this.element, {
      survey: survey ? survey : [], fov: 1, target: '0 0', cooFrame: 'ICRS', showCooGrid: true, log: false,
      showLayersControl: false, showGotoControl: false, showSimbadPointerControl: false, showShareControl: false,
      showSettingsControl: false, showProjectionControl: false, showFullscreenControl: false, showContextMenu: false,
      showFrame: true, showCooGridControl: false, showZoomControl: true, showReticle: false,
    });
    this.overlay = this.A.graphicOverlay({ color: COLOR, lineWidth: 1.5, name: 'footprints' });
    this.aladin.addOverlay(this.overlay);
    // the searched cones, drawn over the footprints
    this.searchOverlay = this.A.graphicOverlay({ color: SEARCH, lineWidth: 2, lineDash: [6, 4], name: 'search' });
    this.aladin.addOverlay(this.searchOverlay);
    this.densityLayers = [];
    const keyOf = (o) => (o ? this.keyOf.get(o) : undefined);
    // Aladin reports hovers from its drawing loop, so a report may come after the pointer has
    // left the view: only one while the pointer is inside counts, and leaving ends a hover
    this.pointerInside = false;
    this.element.addEventListener('mouseenter', () => { this.pointerInside = true; });
    this.element.addEventListener('mouseleave', () => { this.pointerInside = false; this.onHover(null); });
    this.aladin.on('objectHovered', (o) => {
      const k = keyOf(o);
      if (k !== undefined && this.pointerInside) this.onHover(k);
    });
    this.aladin.on('objectHoveredStop', () => this.onHover(null));
    this.aladin.on('objectClicked', (o) => { const k = keyOf(o); if (k !== undefined) this.onClick(k); });
    // after a pan or zoom, the footprints now in the view
    const moved = () => {
      clearTimeout(this.settling);
      this.settling = setTimeout(() => this.drawInView(), SETTLE_MS);
    };
    this.aladin.on('positionChanged', moved);
    this.aladin.on('zoomChanged', moved);
    this.rows = [];
    return true;
  }

  /** Draws the archive's coverage (a MOC from /moc/holdings) under the footprints, or
   *  removes it. `public` keeps public data only. */
  showCoverage(on, { public: publicOnly = false } = {}) {
    if (!this.aladin) return;
    if (this.coverage) { this.aladin.removeLayer?.(this.coverage); this.coverage = null; }
    this.element.dataset.coverage = '';
    if (!on) return;
    const url = `/moc/holdings?depth=14${publicOnly ? '&public=true' : ''}`; // MOC 2.0 FITS, as Aladin reads it
    this.coverage = this.A.MOCFromURL(url, { color: '#3d9970', opacity: 0.35, lineWidth: 1, name: 'coverage', adaptativeDisplay: false }, () => {
      this.element.dataset.coverage = 'drawn';
    });
    this.aladin.addMOC(this.coverage);
  }

  setSurvey(url) {
    if (!this.aladin) return;
    if (url) this.aladin.setBaseImageLayer(this.aladin.newImageSurvey(url));
    else this.aladin.removeImageLayer?.('base');
  }

  /** Draws the searched cones ([{ra, dec, r}], degrees). */
  setSearch(circles) {
    this.searched = circles;
    this.element.dataset.searchCircles = String(circles.length);
    if (!this.aladin) return;
    this.searchOverlay.removeAll();
    for (const c of circles) this.searchOverlay.add(this.A.circle(c.ra, c.dec, c.r, { color: SEARCH, lineWidth: 2 }));
  }

  /** Draws the rows' footprints — or, for an answer spread over more sky than its footprints
   *  can be seen on, the density of its observations in HEALPix cells — and frames them
   *  (with the searched cones). */
  show(rows) {
    this.element.dataset.rows = String(rows.length);
    if (!this.aladin) return;
    this.highlighted = null;
    const positioned = rows.filter((r) => r.s_ra !== null && r.s_dec !== null);
    this.rows = positioned.filter((r) => r.s_region);
    const spread = positioned.length ? this.frame([...positioned, ...(this.searched || []).map((c) => ({ s_ra: c.ra, s_dec: c.dec }))]) : 0;
    this.density(positioned, spread);
    this.drawInView();
  }

  /** Draws the footprints of the rows in the current view, none of the others: none at all
   *  when a wide view holds too many to see (the density map shows those). */
  drawInView() {
    clearTimeout(this.settling);
    const [ra, dec] = this.aladin.getRaDec();
    const [width, height] = this.aladin.getFov();
    const fov = Math.max(width, height);
    const reach = Math.hypot(width, height) / 2;
    // a footprint is at most its s_fov across; unknown: a generous half degree
    const inView = this.rows.filter((r) => separation(ra, dec, r.s_ra, r.s_dec) <= reach + (r.s_fov ?? 0.5));
    const tooMany = fov > WIDE_DEG && inView.length > MOST_FOOTPRINTS_WIDE;
    const drawn = tooMany ? [] : inView.slice(0, MOST_FOOTPRINTS);
    this.overlay.removeAll();
    this.shapes.clear();
    this.keyOf.clear();
    const all = [];
    for (const row of drawn) {
      let shapes = [];
      try { shapes = this.A.footprintsFromSTCS(row.s_region, { color: COLOR, lineWidth: 1.5 }); } catch { continue; }
      this.shapes.set(row.key, shapes);
      for (const s of shapes) this.keyOf.set(s, row.key);
      all.push(...shapes);
    }
    if (all.length) this.overlay.addFootprints(all);
    // the highlighted row stays highlighted when its footprint is drawn again
    const highlighted = this.highlighted;
    this.highlighted = null;
    if (highlighted !== null) this.highlight(highlighted);
    this.element.dataset.footprints = String(all.length);
    this.element.dataset.inView = String(inView.length);
  }

  /** The rows' density as HEALPix cells in four shades, when they spread over more than
   *  WIDE_DEG degrees (else nothing). */
  density(rows, spread) {
    for (const layer of this.densityLayers) this.aladin.removeLayer?.(layer);
    this.densityLayers = [];
    this.element.dataset.density = '';
    if (spread <= WIDE_DEG || !rows.length) return;
    // about 30 cells across the answer
    const order = Math.max(1, Math.min(10, Math.round(Math.log2(58.6 / (spread / 30)))));
    const counts = new Map();
    for (const r of rows) {
      const cell = cellOf(order, r.s_ra, r.s_dec);
      counts.set(cell, (counts.get(cell) || 0) + 1);
    }
    const most = Math.max(...counts.values());
    const shades = [[], [], [], []];
    for (const [cell, n] of counts) {
      shades[Math.min(3, Math.floor((4 * Math.log(n)) / Math.log(most + 1)))].push(cell);
    }
    shades.forEach((cells, i) => {
      if (!cells.length) return;
      const layer = this.A.MOCFromJSON({ [order]: cells }, {
        name: `density ${i + 1}`, color: DENSITY, fillColor: DENSITY, fill: true, perimeter: false, opacity: 0.2 + 0.2 * i, lineWidth: 1,
      });
      this.aladin.addMOC(layer);
      this.densityLayers.push(layer);
    });
    this.element.dataset.density = `${counts.size} cells of order ${order}`;
  }

  frame(rows) {
    const decs = rows.map((r) => r.s_dec);
    const dec = (Math.min(...decs) + Math.max(...decs)) / 2;
    // the RA spread, taken around the first row so that 359° and 1° are neighbours
    const ra0 = rows[0].s_ra;
    const offsets = rows.map((r) => ((r.s_ra - ra0 + 540) % 360) - 180);
    const lo = Math.min(...offsets); const hi = Math.max(...offsets);
    const ra = (ra0 + (lo + hi) / 2 + 360) % 360;
    const spread = Math.max((hi - lo) * Math.cos((dec * Math.PI) / 180), Math.max(...decs) - Math.min(...decs));
    this.aladin.gotoRaDec(ra, dec);
    this.aladin.setFoV(Math.min(180, Math.max(0.05, spread * 1.3 + 0.05)));
    return spread;
  }

  highlight(key) {
    if (!this.aladin || key === this.highlighted) return;
    const paint = (k, color, width) => {
      for (const s of this.shapes.get(k) || []) { s.setColor(color); s.setLineWidth(width); }
    };
    if (this.highlighted !== null) paint(this.highlighted, COLOR, 1.5);
    this.highlighted = key;
    if (key !== null) paint(key, HIGHLIGHT, 3);
    this.element.dataset.highlighted = key ?? '';
    this.aladin.view?.requestRedraw?.();
  }

  /** Centres the view on a row's footprint and highlights it. */
  locate(row) {
    if (!this.aladin) return;
    this.highlight(row.key);
    if (row.s_ra !== null && row.s_dec !== null) {
      this.aladin.gotoRaDec(row.s_ra, row.s_dec);
      this.aladin.setFoV(0.1);
    }
    this.element.dataset.focused = row.key;
  }
}
