// The project code's details as ALMA shows them on hover (manual §3.3.3 and §6): the title,
// the abstract, and the exact acknowledgement a publication using the data must carry, with
// the project's data tag (ADS/JAO.ALMA#code) and a button that copies it.
import { runQuery } from './tap.js';
import { literal } from './constraints.js';

const ACKNOWLEDGEMENT = (code) => `This paper makes use of the following ALMA data: ADS/JAO.ALMA#${code}. ALMA is a partnership of ESO (representing its member states), NSF (USA) and NINS (Japan), together with NRC (Canada), NSTC and ASIAA (Taiwan), and KASI (Republic of Korea), in cooperation with the Republic of Chile. The Joint ALMA Observatory is operated by ESO, AUI/NRAO and NAOJ.`;

const known = new Map();

function el(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

async function details(code) {
  if (!known.has(code)) {
    known.set(code, runQuery(`SELECT TOP 1 obs_title, proposal_abstract, pi_name FROM ivoa.obscore WHERE proposal_id = ${literal(code)}`, 1)
      .then((answer) => {
        if (answer.status === 'ERROR' || !answer.rows.length) return { error: answer.message || 'no such project' };
        const [row] = answer.rows;
        return { title: row.obs_title, abstract: row.proposal_abstract, pi: row.pi_name };
      }));
  }
  return known.get(code);
}

/** Shows the details of project `code` by `cell` (replacing any shown before). */
export async function showProjectDetails(code, cell) {
  document.getElementById('project-details')?.remove();
  // the similar projects' pop-up open by the same code stays in front
  if (cell.querySelector('#similar-popup')) return;
  const popup = el('div', { id: 'project-details', className: 'popup', textContent: `${code}…` });
  popup.dataset.code = code;
  cell.append(popup);
  const d = await details(code);
  if (!popup.isConnected) return;
  if (d.error) { popup.textContent = d.error; return; }
  const text = ACKNOWLEDGEMENT(code);
  const copy = el('button', { type: 'button', textContent: 'Copy the acknowledgement' });
  copy.addEventListener('click', async (e) => {
    e.stopPropagation();
    try { await navigator.clipboard.writeText(text); copy.textContent = 'Copied'; } catch { copy.textContent = 'Select the text to copy it'; }
  });
  popup.replaceChildren(
    el('div', { className: 'popup-title', textContent: `${code}: ${d.title || ''}` }),
    el('div', { className: 'hint', textContent: d.pi ? `PI ${d.pi}` : '' }),
    el('p', { className: 'abstract', textContent: d.abstract || 'No abstract.' }),
    el('div', { className: 'popup-title', textContent: 'Acknowledgement (manual §6; publications must include it unaltered)' }),
    el('blockquote', { className: 'acknowledgement', textContent: text }),
    copy,
  );
  popup.dataset.loaded = 'true';
}

/** Hides the details shown for `code`, if they are. */
export function hideProjectDetails(code) {
  const popup = document.getElementById('project-details');
  if (popup && popup.dataset.code === code && !popup.matches(':hover')) popup.remove();
}
