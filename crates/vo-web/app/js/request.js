// The Request Handler (ALMA manual §3.4): the selected observations' files along the
// hierarchy — project, science goal, group OUS, member OUS with its scheduling block and QA2
// state — each with a checkbox, its size and a green mark where the visitor may download it;
// classes (products, auxiliary, raw, README) switched on and off at once; an in-page sign-in
// (the archive's token endpoint); the request kept (POST /requests) with its own link, and
// its download script fetched for the signed-in owner.

const CLASSES = [['products', 'products'], ['auxiliary', 'auxiliary'], ['raw', 'raw data'], ['readme', 'README']];
const TOKEN_PATH = '/auth/realms/ALMA/protocol/openid-connect/token';

function el(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

function size(bytes) {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes; let u = 0;
  while (v >= 1000 && u < units.length - 1) { v /= 1000; u += 1; }
  return `${v.toFixed(u ? 1 : 0)} ${units[u]}`;
}

export class RequestDialog {
  constructor(dialog) {
    this.dialog = dialog;
    this.q = (id) => dialog.querySelector(`#request-${id}`);
    this.q('close').addEventListener('click', () => dialog.close());
    this.q('signin-form').addEventListener('submit', (e) => { e.preventDefault(); this.signIn(); });
    this.q('signout').addEventListener('click', () => { sessionStorage.removeItem('voarchive-token'); sessionStorage.removeItem('voarchive-user'); this.showWho(); this.reload(); });
    this.q('submit').addEventListener('click', () => this.submit());
    this.q('script').addEventListener('click', () => this.script());
    for (const [cls, label] of CLASSES) {
      const box = el('input', { type: 'checkbox', checked: cls !== 'raw' });
      box.dataset.class = cls;
      box.addEventListener('change', () => {
        for (const f of this.dialog.querySelectorAll(`input.file[data-class="${cls}"]`)) if (!f.disabled) f.checked = box.checked;
        this.totals();
      });
      this.q('classes').append(el('label', {}, box, ` ${label}`));
    }
    this.showWho();
  }

  headers() {
    const token = sessionStorage.getItem('voarchive-token');
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  showWho() {
    const user = sessionStorage.getItem('voarchive-user');
    this.q('who').textContent = user ? `Signed in as ${user}.` : 'Not signed in: proprietary files need the account of their PI or a delegee.';
    this.q('signin-form').hidden = Boolean(user);
    this.q('signout').hidden = !user;
    this.dialog.dataset.user = user || '';
  }

  async signIn() {
    const body = new URLSearchParams({ grant_type: 'password', username: this.q('user').value, password: this.q('password').value });
    const response = await fetch(TOKEN_PATH, { method: 'POST', body });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok || !answer.access_token) {
      this.q('who').textContent = `Sign-in failed: ${answer.error_description || answer.error || `HTTP ${response.status}`}`;
      return;
    }
    sessionStorage.setItem('voarchive-token', answer.access_token);
    sessionStorage.setItem('voarchive-user', this.q('user').value);
    this.q('password').value = '';
    this.showWho();
    this.reload();
  }

  reload() {
    if (this.viewing) this.view(this.viewing); else if (this.members) this.open(this.members);
  }

  /** Offers the files of member OUSes `members` to choose from. */
  async open(members) {
    this.members = members;
    this.viewing = null;
    this.dialog.dataset.loaded = '';
    this.dialog.dataset.request = '';
    this.q('title').textContent = `Request files of ${members.length} observation${members.length === 1 ? '' : 's'}`;
    for (const id of ['link', 'script']) this.q(id).hidden = true;
    this.q('submit').hidden = false;
    this.q('classes').hidden = false;
    this.q('body').textContent = 'Listing the files…';
    if (!this.dialog.open) this.dialog.showModal();
    const params = new URLSearchParams();
    for (const m of members) params.append('mous', m);
    const response = await fetch(`/requests/choices?${params}`, { headers: this.headers() });
    const answer = await response.json();
    if (!response.ok) { this.q('body').textContent = answer.error; return; }
    this.render(answer, true);
  }

  /** Shows kept request `id` (the page's #request=ID link). */
  async view(id) {
    this.viewing = id;
    this.dialog.dataset.loaded = '';
    this.dialog.dataset.request = id;
    this.q('title').textContent = `Request ${id}`;
    this.q('submit').hidden = true;
    this.q('classes').hidden = true;
    if (!this.dialog.open) this.dialog.showModal();
    this.dialog.dataset.refused = '';
    const response = await fetch(`/requests/${encodeURIComponent(id)}`, { headers: this.headers() });
    const answer = await response.json();
    if (!response.ok) {
      this.dialog.dataset.refused = String(response.status);
      this.q('body').textContent = answer.error;
      return;
    }
    this.render(answer, false);
    this.showLinks(id, answer.links);
  }

  render(listing, choosing) {
    const parts = [];
    for (const p of listing.projects) {
      parts.push(el('h3', { textContent: `Project ${p.project_code}` }));
      for (const g of p.science_goals) {
        for (const group of g.group_ouses) {
          for (const m of group.member_ouses) {
            const semi = m.qa2_status === 'SemiPass';
            parts.push(el('div', { className: 'hierarchy', textContent: `science goal ${g.uid || '—'} › group OUS ${group.uid || '—'} › member OUS ${m.uid}` }),
              el('div', { className: 'hint', textContent: `scheduling block ${m.schedblock_name || '—'}; QA2 ${m.qa2_status}${semi ? ' (SemiPass: usable with care)' : ''}` }));
            const table = el('table', { className: 'request-files' });
            for (const f of m.files) {
              const box = el('input', { type: 'checkbox', className: 'file', checked: choosing && this.classOn(f.class), disabled: !choosing });
              box.dataset.class = f.class; box.dataset.name = f.name; box.dataset.size = String(f.size_bytes);
              box.dataset.downloadable = String(f.downloadable);
              box.addEventListener('change', () => this.totals());
              const mark = f.downloadable
                ? el('span', { className: 'may', textContent: '✔', title: 'you may download it' })
                : el('span', { className: 'may-not', textContent: `proprietary until ${f.release_date || '—'}`, title: 'sign in as its PI or a delegee' });
              table.append(el('tr', {}, el('td', {}, box), el('td', { textContent: f.name }), el('td', { textContent: f.class }),
                el('td', { className: 'num', textContent: size(f.size_bytes) }), el('td', {}, mark)));
            }
            parts.push(table);
          }
        }
      }
    }
    this.q('body').replaceChildren(...parts);
    this.totals();
    this.dialog.dataset.loaded = String(this.dialog.querySelectorAll('input.file').length);
  }

  classOn(cls) {
    const box = this.q('classes').querySelector(`input[data-class="${cls}"]`);
    return !box || box.checked;
  }

  chosen() {
    return [...this.dialog.querySelectorAll('input.file')].filter((b) => b.checked);
  }

  totals() {
    const chosen = this.viewing ? [...this.dialog.querySelectorAll('input.file')] : this.chosen();
    const bytes = chosen.reduce((n, b) => n + Number(b.dataset.size), 0);
    const mine = chosen.filter((b) => b.dataset.downloadable === 'true');
    const yours = mine.reduce((n, b) => n + Number(b.dataset.size), 0);
    this.q('totals').textContent = `${chosen.length} files, ${size(bytes)}; ${mine.length} you may download (${size(yours)})`;
    this.dialog.dataset.chosen = String(chosen.length);
  }

  async submit() {
    const body = new URLSearchParams();
    for (const b of this.chosen()) body.append('file', b.dataset.name);
    if (this.q('email').value.trim()) body.set('email', this.q('email').value.trim());
    const response = await fetch('/requests', { method: 'POST', body, headers: this.headers() });
    const answer = await response.json();
    if (!response.ok) { this.q('totals').textContent = `The request was not kept: ${answer.error}`; return; }
    this.dialog.dataset.request = answer.id;
    this.showLinks(answer.id, answer.links);
  }

  showLinks(id, links) {
    const link = this.q('link');
    link.href = links.page;
    link.textContent = `Request ${id}`;
    link.hidden = false;
    this.q('script').hidden = false;
    this.requestId = id;
  }

  /** The request's download script, fetched for the signed-in owner and saved. */
  async script() {
    const response = await fetch(`/dataPortal/script?request=${encodeURIComponent(this.requestId)}`, { headers: this.headers() });
    if (!response.ok) { this.q('totals').textContent = `No script: ${(await response.text()).replace(/<[^>]+>/g, ' ').trim().slice(0, 200)}`; return; }
    const name = (response.headers.get('Content-Disposition') || '').split('filename=')[1] || 'downloadRequest.sh';
    const a = el('a', { href: URL.createObjectURL(await response.blob()), download: name });
    document.body.append(a);
    a.click();
    a.remove();
  }
}
