// Running ADQL on the service's own TAP endpoint.
import { parseVOTable } from './votable.js';

/** The URL of a synchronous query in a given format (for exports and links). */
export function syncUrl(adql, format, maxrec) {
  const params = new URLSearchParams({ REQUEST: 'doQuery', LANG: 'ADQL', RESPONSEFORMAT: format, QUERY: adql });
  if (maxrec !== undefined) params.set('MAXREC', String(maxrec));
  return `/tap/sync?${params}`;
}

/**
 * Runs a query; resolves to {fields, rows, status, message, overflow}. A failed query
 * resolves with status ERROR and the service's message; `signal` aborts it.
 */
export async function runQuery(adql, maxrec, signal, upload = null) {
  let body = new URLSearchParams({ REQUEST: 'doQuery', LANG: 'ADQL', RESPONSEFORMAT: 'votable', MAXREC: String(maxrec), QUERY: adql });
  if (upload) {
    // TAP_UPLOAD: the table travels in the same multipart request
    const form = new FormData();
    for (const [k, v] of body) form.append(k, v);
    form.append('UPLOAD', `${upload.name},param:${upload.name}`);
    form.append(upload.name, new Blob([upload.votable], { type: 'application/x-votable+xml' }), `${upload.name}.xml`);
    body = form;
  }
  let response;
  try {
    response = await fetch('/tap/sync', { method: 'POST', body, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    return { fields: [], rows: [], status: 'ERROR', message: `the service cannot be reached: ${e.message}` };
  }
  const text = await response.text();
  if (text.includes('<VOTABLE')) return parseVOTable(text);
  return { fields: [], rows: [], status: 'ERROR', message: `HTTP ${response.status}: ${text.slice(0, 300)}` };
}
