// Reading the service's VOTable answers: fields, rows (TABLEDATA), and the QUERY_STATUS
// INFOs that say whether the query failed or overflowed MAXREC.

const NUMERIC = new Set(['short', 'int', 'long', 'float', 'double', 'unsignedByte']);

/** Parses a VOTable document: {fields, rows, status, message, overflow}. */
export function parseVOTable(text) {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) {
    return { fields: [], rows: [], status: 'ERROR', message: 'the service answered with something that is not a VOTable' };
  }
  const resource = [...doc.getElementsByTagName('RESOURCE')].find((r) => r.getAttribute('type') === 'results')
    || doc.getElementsByTagName('RESOURCE')[0];
  let status = 'OK';
  let message = '';
  for (const info of resource ? resource.getElementsByTagName('INFO') : []) {
    if (info.getAttribute('name') === 'QUERY_STATUS') {
      const value = info.getAttribute('value');
      // an OVERFLOW after an OK, or an ERROR anywhere, is what counts
      if (status !== 'ERROR') status = value;
      if (value === 'ERROR') message = info.textContent.trim() || info.getAttribute('value');
    }
  }
  const fields = [...doc.getElementsByTagName('FIELD')].map((f) => ({
    name: f.getAttribute('name'),
    datatype: f.getAttribute('datatype'),
    arraysize: f.getAttribute('arraysize'),
    unit: f.getAttribute('unit') || '',
    ucd: f.getAttribute('ucd') || '',
    description: (f.getElementsByTagName('DESCRIPTION')[0]?.textContent || '').trim(),
    numeric: NUMERIC.has(f.getAttribute('datatype')) && !f.getAttribute('arraysize'),
  }));
  const rows = [];
  for (const tr of doc.getElementsByTagName('TR')) {
    const row = {};
    const cells = tr.getElementsByTagName('TD');
    fields.forEach((field, i) => {
      const text = cells[i] ? cells[i].textContent : '';
      if (text === '') row[field.name] = null;
      else if (field.numeric) row[field.name] = Number(text);
      else row[field.name] = text;
    });
    rows.push(row);
  }
  return { fields, rows, status, message, overflow: status === 'OVERFLOW' };
}
