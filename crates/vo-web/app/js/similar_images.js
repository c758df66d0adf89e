// The images most like one (or several): the similar set from /similar/images as thumbnails
// cut from one sheet, the five largest groups as quick-looks, a selection (click or
// right-click) that re-orders the set instantly by joint similarity, and what to do with the
// selected: a download script for their FITS files, their observations as a new query.

const TILE = 48;

function dot(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i += 1) s += a[i] * b[i];
  return s;
}

function el(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

export class SimilarImagesDialog {
  constructor(dialog) {
    this.dialog = dialog;
    this.q = (id) => dialog.querySelector(`#similar-images-${id}`);
    this.q('close').addEventListener('click', () => dialog.close());
    this.q('rerank').addEventListener('change', () => this.draw());
    this.q('clear').addEventListener('click', () => { this.selected.clear(); this.draw(); });
    this.q('open').addEventListener('click', () => {
      const mous = [...new Set([...this.selected].map((i) => this.images[i].member_ous_uid))];
      window.open(`/#mous=${encodeURIComponent(mous.join(' | '))}`, '_blank');
    });
    this.selected = new Set();
    this.asked = new Set();
    this.images = [];
    this.group = null;
  }

  /** Opens the set of `query` (id=… or mous=…&source=…), titled `title`. */
  async open(query, title) {
    this.dialog.showModal();
    this.q('title').textContent = `Images like ${title}`;
    this.q('grid').replaceChildren(document.createTextNode('Ranking the archive\'s images…'));
    this.q('groups').replaceChildren();
    this.dialog.dataset.loaded = '';
    let answer;
    try {
      const response = await fetch(`/similar/images?${query}&n=1000`);
      answer = await response.json();
    } catch {
      answer = { error: 'the service did not answer' };
    }
    if (!answer.images) {
      this.q('grid').replaceChildren(el('p', { className: 'denied', textContent: answer.error || 'no similar images' }));
      return;
    }
    this.answer = answer;
    this.images = answer.images;
    this.asked = new Set(this.images.map((im, i) => (im.selected ? i : -1)).filter((i) => i >= 0));
    this.selected = new Set(this.asked);
    this.group = null;
    this.tiles = new Map();
    this.q('count').textContent = `${this.images.length - this.selected.size} of ${answer.indexed} images, most alike first`;
    this.drawGroups();
    this.draw();
    this.dialog.dataset.loaded = String(this.images.length);
  }

  /** A thumbnail of image `i`, cut from the sheet. */
  tile(i, className = 'thumb') {
    const { sheet, sheet_columns: columns } = this.answer;
    const im = this.images[i];
    const b = el('button', { type: 'button', className });
    b.dataset.index = String(i);
    b.dataset.name = im.name;
    b.style.backgroundImage = `url("${sheet}")`;
    b.style.backgroundSize = `${columns * TILE}px auto`;
    b.style.backgroundPosition = `-${(i % columns) * TILE}px -${Math.floor(i / columns) * TILE}px`;
    b.title = `${im.source} · ${im.project_code} · ${im.member_ous_uid}\n${im.name}\n${im.plane === 'peak' ? 'peak map of a cube' : 'continuum image'}${im.selected ? '' : ` · similarity ${im.score.toFixed(3)}`}`;
    return b;
  }

  drawGroups() {
    const groups = this.answer.groups.map((g, k) => {
      const b = this.tile(g.representative, 'thumb group');
      b.append(el('span', { textContent: `${g.size}` }));
      b.title = `Group ${k + 1}: ${g.size} images like this one (click to show only them)`;
      b.addEventListener('click', () => { this.group = this.group === k ? null : k; this.draw(); });
      return b;
    });
    const all = el('button', { type: 'button', className: 'all', textContent: 'All' });
    all.addEventListener('click', () => { this.group = null; this.draw(); });
    this.q('groups').replaceChildren(el('span', { className: 'hint', textContent: 'Largest groups:' }), ...groups, all);
  }

  /** The order shown: the selection first, then by the mean of the cosines with it (when
   *  re-ordering is on and the selection is not the one asked about), else the server's. */
  order() {
    let order = this.images.map((_, i) => i);
    if (this.group !== null) {
      const members = new Set(this.answer.groups[this.group].members);
      order = order.filter((i) => members.has(i) || this.selected.has(i));
    }
    // the server's own ranking stands while the selection is the one it ranked by
    const asAsked = this.selected.size === this.asked.size && [...this.selected].every((i) => this.asked.has(i));
    if (!this.q('rerank').checked || this.selected.size === 0 || asAsked) return order;
    const chosen = [...this.selected].map((i) => this.images[i].vector);
    const score = new Map(order.map((i) => [i, chosen.reduce((s, v) => s + dot(v, this.images[i].vector), 0) / chosen.length]));
    return order.sort((a, b) => (this.selected.has(b) - this.selected.has(a)) || (score.get(b) - score.get(a)) || (a - b));
  }

  /** The grid's button of image `i`, made once per answer (re-ordering moves it, so the
   *  sheet is not drawn again). */
  gridTile(i) {
    let b = this.tiles.get(i);
    if (b) return b;
    b = this.tile(i);
    const toggle = (e) => {
      e.preventDefault();
      if (this.selected.has(i)) this.selected.delete(i); else this.selected.add(i);
      this.draw();
    };
    b.addEventListener('click', toggle);
    b.addEventListener('contextmenu', toggle);
    b.addEventListener('mouseenter', () => { this.q('hover').textContent = b.title.replace(/\n/g, ' · '); });
    this.tiles.set(i, b);
    return b;
  }

  draw() {
    const tiles = this.order().map((i) => {
      const b = this.gridTile(i);
      b.classList.toggle('selected', this.selected.has(i));
      b.setAttribute('aria-pressed', String(this.selected.has(i)));
      return b;
    });
    this.q('grid').replaceChildren(...tiles);
    const names = [...this.selected].map((i) => this.images[i].name);
    const script = this.q('script');
    const params = new URLSearchParams();
    for (const n of names) params.append('ID', n);
    script.href = `/dataPortal/script?${params}`;
    script.textContent = `Download script for the selected (${names.length})`;
    script.classList.toggle('disabled', names.length === 0);
    this.q('open').disabled = names.length === 0;
    this.q('open').textContent = `Open their observations as a new query (${names.length})`;
  }
}
