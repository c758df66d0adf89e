// Selected rows → their DataLink links (this service's /datalink/sync), each package's files
// with previews, and a download script (/dataPortal/script) for all of them.
import { parseVOTable } from './votable.js';
import { lazyPreview } from './previews.js';

function size(bytes) {
  if (bytes === null || bytes === undefined) return '';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes; let u = 0;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u += 1; }
  return `${v.toFixed(u ? 1 : 0)} ${units[u]}`;
}

/** ID=…&ID=… for DataLink and the download script. */
function idParams(ids) {
  const params = new URLSearchParams();
  for (const id of ids) params.append('ID', id);
  return params;
}

async function links(ids) {
  const response = await fetch(`/datalink/sync?${idParams(ids)}`);
  return parseVOTable(await response.text());
}

function cell(text, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  if (text instanceof Node) td.append(text); else td.textContent = text ?? '';
  return td;
}

/** `on`: { list(id, tr), similarImage(name), survey(name), view(name) }, each optional but list. */
function linkRow(link, on) {
  const tr = document.createElement('tr');
  const semantics = link.semantics || '';
  if (link.error_message) {
    tr.append(cell(semantics), cell(link.error_message, 'denied'), cell(''), cell(''));
    return tr;
  }
  const name = decodeURIComponent((link.access_url || '').split('/').pop().split('?')[0]);
  let target;
  if (link.service_def && link.service_def.startsWith('DataLink.')) {
    target = document.createElement('button');
    target.type = 'button';
    target.className = 'list-files';
    target.textContent = 'list files';
    target.addEventListener('click', () => { target.disabled = true; on.list(link.service_def.slice('DataLink.'.length), tr); });
  } else if (link.service_def) {
    target = document.createTextNode('cutouts (SODA)');
  } else if (semantics === '#preview') {
    target = document.createElement('img');
    target.className = 'preview';
    target.alt = link.description || 'preview';
    lazyPreview(target, link.access_url);
    // the archive's images most like this one (previews are at /preview/NAME/KIND.png)
    const product = decodeURIComponent((link.access_url || '').split('/').slice(-2, -1)[0] || '');
    if (on.similarImage && product.endsWith('.fits') && /(peak|continuum)\.png$/.test(link.access_url)) {
      const img = target;
      const alike = document.createElement('button');
      alike.type = 'button';
      alike.className = 'similar-images';
      alike.textContent = '≈ similar images';
      alike.title = `Images most like ${product}`;
      alike.addEventListener('click', () => on.similarImage(product));
      target = document.createElement('span');
      target.append(img, alike);
      // a cube's lines, interactive (once per cube: by its peak preview)
      if (on.survey && product.includes('.cube.') && /peak\.png$/.test(link.access_url)) {
        const lines = document.createElement('button');
        lines.type = 'button';
        lines.className = 'survey';
        lines.textContent = 'lines (interactive)';
        lines.title = `The lines found in ${product}, with tentative labels, moment maps and spectra`;
        lines.addEventListener('click', () => on.survey(product));
        target.append(lines);
      }
    }
  } else {
    target = document.createElement('a');
    target.href = link.access_url;
    target.textContent = name || link.access_url;
    // every FITS product opens in the cube viewer
    if (on.view && /\.fits$/i.test(name)) {
      const file = target;
      const view = document.createElement('button');
      view.type = 'button';
      view.className = 'view-cube';
      view.textContent = '◧ view';
      view.title = `Open ${name} in the cube viewer`;
      view.addEventListener('click', () => on.view(name));
      // before the name, which a narrow cell cuts short
      target = document.createElement('span');
      target.append(view, ' ', file);
    }
  }
  const readable = link.readable === 'true' || link.readable === true || link.readable === 'T' || link.readable === null;
  tr.append(cell(semantics), cell(target), cell(link.description), cell(size(link.content_length)),
    cell(readable ? '' : 'sign in: proprietary', readable ? '' : 'denied'));
  return tr;
}

function linkTable(rows, on) {
  const table = document.createElement('table');
  const head = document.createElement('tr');
  for (const h of ['semantics', 'link', 'description', 'size', '']) {
    const th = document.createElement('th');
    th.textContent = h;
    head.append(th);
  }
  table.append(head, ...rows.map((r) => linkRow(r, on)));
  return table;
}

export class FilesDialog {
  constructor(dialog, { onSimilarImage, onSurvey, onView } = {}) {
    this.dialog = dialog;
    this.on = {
      list: (id, tr) => this.listPackage(id, tr), similarImage: onSimilarImage, survey: onSurvey, view: onView,
    };
    this.body = dialog.querySelector('#files-body');
    this.script = dialog.querySelector('#download-script');
    dialog.querySelector('#files-close').addEventListener('click', () => dialog.close());
  }

  async open(ids) {
    this.script.href = `/dataPortal/script?${idParams(ids)}`;
    this.body.replaceChildren(document.createTextNode(`Asking DataLink about ${ids.length} item(s)…`));
    this.dialog.showModal();
    const result = await links(ids);
    if (result.status === 'ERROR') {
      this.body.replaceChildren(document.createTextNode(`DataLink: ${result.message}`));
      return;
    }
    const byId = new Map();
    for (const row of result.rows) {
      if (!byId.has(row.ID)) byId.set(row.ID, []);
      byId.get(row.ID).push(row);
    }
    const parts = [];
    for (const [id, rows] of byId) {
      const h = document.createElement('h3');
      h.textContent = id;
      parts.push(h, linkTable(rows, this.on));
    }
    this.body.replaceChildren(...parts);
    this.dialog.dataset.loaded = String(result.rows.length);
  }

  /** A package's files (its own DataLink answer), shown under its row. */
  async listPackage(id, tr) {
    const result = await links([id]);
    const row = document.createElement('tr');
    const td = document.createElement('td');
    td.colSpan = 5;
    td.append(result.status === 'ERROR' ? document.createTextNode(result.message) : linkTable(result.rows.filter((r) => !(r.access_url || '').endsWith(`/${encodeURIComponent(id)}`) && !(r.access_url || '').endsWith(`/${id}`)), this.on));
    row.append(td);
    tr.after(row);
  }
}
