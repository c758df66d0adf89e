// The query form's fields and their syntax, as the ALMA archive's query interface accepts it,
// turned into ADQL conditions on ivoa.obscore.
//
// Numbers: `5`, `1..3`, `<2`, `>300` (ends included), alternatives with `|`.
// Text: words (each must appear), wildcards `*` and `?`, alternatives with `|`.
// A leading `!` negates a field, as the chip's invert button does.

export class FieldError extends Error {}

export const GROUPS = [
  { name: 'Position', fields: [
    { key: 'position', label: 'Name or RA Dec, radius', kind: 'position', complete: 'source',
      placeholder: "M83 | 150.12 2.21, 5'", help: "A name (resolved on this server: M83, NGC 253, Orion KL, Cen A), or a position in degrees or sexagesimal (RA in hours: 10:00:28.6 +02:12:21; also 'ra, dec'; Galactic: 'l b gal'); radius after a comma, in arcmin unless marked ('  \"  d); default 10'. Several cones: a | b" },
    { key: 'source', label: 'ALMA source name', kind: 'name', column: 'target_name', complete: 'source',
      placeholder: 'COSMOS* | Arp220', help: 'Name as the PI entered it; wildcards * and ?, alternatives with |; case-insensitive' },
  ] },
  { name: 'Object type', fields: [
    { key: 'objtype', label: 'Object in the footprint', kind: 'choice', build: objectCondition,
      choices: [['', 'any'], ['G', 'Galaxy'], ['GPair', 'Galaxy pair'], ['GTrpl', 'Galaxy triplet'], ['GGroup', 'Group of galaxies'],
        ['HII', 'HII region'], ['Neb', 'Nebula'], ['EmN', 'Emission nebula'], ['RfN', 'Reflection nebula'], ['DrkN', 'Dark nebula'],
        ['PN', 'Planetary nebula'], ['SNR', 'Supernova remnant'], ['OCl', 'Open cluster'], ['GCl', 'Globular cluster'],
        ['Cl+N', 'Star cluster + nebula'], ['*Ass', 'Association of stars']],
      help: 'Observations whose footprint holds an object of this type (OpenNGC: NGC, IC and Messier objects)',
      note: 'Use with care: object types are incomplete by construction (NGC, IC and Messier objects only, main type only); there are false positives and false negatives.' },
    { key: 'bestmatch', label: 'Best match only', kind: 'flag', value: '1',
      help: 'Only the object that best matches what the PI observed (nearest to the position, most alike in name)' },
  ] },
  { name: 'Energy', fields: [
    { key: 'frequency', label: 'Frequency (GHz)', kind: 'frequency', placeholder: '230 | 330..350', help: 'A spectral window covers the frequency, or overlaps the range; GHz unless marked (230.538 GHz, 345796 MHz)' },
    { key: 'band', label: 'Band', kind: 'band', placeholder: '3 | 6..7', help: 'ALMA receiver bands 1–10 (also B6, band 6)' },
    { key: 'spectral_resolution', label: 'Spectral resolution (kHz)', kind: 'number', column: 'spectral_resolution', scale: 1e3, placeholder: '<500' },
    { key: 'bandwidth', label: 'Bandwidth (GHz)', kind: 'number', column: 'bandwidth', scale: 1e9, placeholder: '>1.8' },
  ] },
  { name: 'Project', fields: [
    { key: 'project', label: 'Project code', kind: 'code', column: 'proposal_id', complete: 'project', placeholder: '2019.1.* | 2023.A.00043.S' },
    { key: 'title', label: 'Project title', kind: 'words', column: 'obs_title', placeholder: 'dust survey' },
    { key: 'pi', label: 'PI name', kind: 'words', column: 'pi_name', complete: 'pi', placeholder: 'Smith' },
    { key: 'abstract', label: 'Abstract words', kind: 'words', column: 'proposal_abstract', placeholder: 'protoplanetary disk' },
    { key: 'keyword', label: 'Science keyword', kind: 'words', column: 'science_keyword', complete: 'keyword', placeholder: 'Debris disks', help: "Words of the PI's science keywords (e.g. Disks around low-mass stars)" },
    { key: 'category', label: 'Scientific category', kind: 'words', column: 'scientific_category', complete: 'category', placeholder: 'Galaxies', help: 'Cosmology, Galaxies, ISM and star formation, Disks and planet formation, Stars and stellar evolution, Solar system' },
  ] },
  { name: 'Publication', fields: [
    { key: 'pub_count', label: 'Publication count', kind: 'pubcount', placeholder: '0 | >2', help: 'How many publications use the data; 0 with "public only" finds unpublished public data' },
    { key: 'pub_year', label: 'Publication year', kind: 'number', column: 'publication_year', placeholder: '2020..2023' },
    { key: 'pub_author', label: 'Author', kind: 'words', column: 'authors', placeholder: 'Smith' },
    { key: 'pub_title', label: 'Publication title', kind: 'words', column: 'pub_title', placeholder: 'ALMA reveals' },
    { key: 'pub_abstract', label: 'Publication abstract', kind: 'words', column: 'pub_abstract', placeholder: 'outflow' },
  ] },
  { name: 'Observation', fields: [
    { key: 'resolution', label: 'Angular resolution (arcsec)', kind: 'number', column: 'spatial_resolution', unit: 'arcsec', placeholder: '<0.1', help: 'arcsec (0.5" or 0.5 arcsec too); ranges 0.1..0.5, < >' },
    { key: 'mrs', label: 'Max. recoverable scale (arcsec)', kind: 'number', column: 'spatial_scale_max', unit: 'arcsec', placeholder: '>10' },
    { key: 'line_sensitivity', label: 'Line sensitivity 10 km/s (mJy/beam)', kind: 'number', column: 'sensitivity_10kms', placeholder: '<1' },
    { key: 'continuum_sensitivity', label: 'Continuum sensitivity (mJy/beam)', kind: 'number', column: 'cont_sensitivity_bandwidth', placeholder: '<0.05' },
    { key: 'mous', label: 'Member OUS', kind: 'code', column: 'member_ous_uid', placeholder: 'uid://A001/X12a3/Xe9 | uid://…', help: 'ALMA member OUS uids (several with |), as the similar-images view opens them' },
    { key: 'date', label: 'Observation date', kind: 'date', column: 't_min', placeholder: '2019-01-01..2019-12-31', help: 'YYYY-MM-DD (or DD-MM-YYYY), a year (2019: the whole year), ranges and < >' },
    { key: 'array', label: 'Array', kind: 'choice', build: arrayCondition,
      choices: [['', 'any'], ['12m', '12 m'], ['7m', '7 m (ACA)'], ['TP', 'Total Power']] },
    { key: 'polarisation', label: 'Polarisation', kind: 'choice', column: 'pol_states',
      choices: [['', 'any'], ['/XX/', 'Single'], ['/XX/YY/', 'Dual'], ['/XX/XY/YX/YY/', 'Full']] },
    { key: 'public', label: 'Public data only', kind: 'flag', column: 'data_rights', value: 'Public' },
    { key: 'science', label: 'Observations', kind: 'choice', column: 'science_observation',
      choices: [['T', 'science'], ['F', 'calibration'], ['', 'science and calibration']], default: 'T' },
  ] },
];

export const FIELDS = GROUPS.flatMap((g) => g.fields);
export const FIELD = Object.fromEntries(FIELDS.map((f) => [f.key, f]));

/** An ADQL string literal. */
export function literal(text) {
  return `'${String(text).replace(/'/g, "''")}'`;
}

/** A LIKE pattern from user text: `*` and `?` are wildcards, `%` and `_` are themselves. */
function likePattern(text) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%').replace(/\?/g, '_');
}

const hasWildcard = (text) => /[*?]/.test(text);

function alternatives(value) {
  const parts = value.split('|').map((p) => p.trim()).filter((p) => p !== '');
  if (!parts.length) throw new FieldError('nothing to search for');
  return parts;
}

function number(text) {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) throw new FieldError(`'${t}' is not a number`);
  return Number(t);
}

/** `5`, `1..3`, `<2`, `>=3`: {lo, hi} with null for an open end (ends included). */
export function parseInterval(text, read = number) {
  const t = text.trim();
  const range = t.split('..');
  if (range.length === 2) {
    const lo = read(range[0]);
    const hi = read(range[1]);
    if (lo > hi) throw new FieldError(`the range ${t} is empty: write the smaller end first`);
    return { lo, hi };
  }
  const m = t.match(/^([<>]=?)(.*)$/);
  if (m) return m[1][0] === '<' ? { lo: null, hi: read(m[2]) } : { lo: read(m[2]), hi: null };
  const v = read(t);
  return { lo: v, hi: v };
}

/** A number in `unit`, written bare or with that unit (`0.5"`, `0.5 arcsec`). */
function numberIn(unit) {
  const marks = { arcsec: /\s*(arcsec|")$/ }[unit];
  return (text) => number(marks ? text.trim().replace(marks, '') : text);
}

function numericCondition(column, value, scale = 1, unit = null) {
  const conds = alternatives(value).map((alt) => {
    const { lo, hi } = parseInterval(alt, unit ? numberIn(unit) : number);
    const s = (v) => String(v * scale);
    if (lo !== null && hi !== null && lo === hi) return `${column} = ${s(lo)}`;
    if (lo === null) return `${column} <= ${s(hi)}`;
    if (hi === null) return `${column} >= ${s(lo)}`;
    return `${column} BETWEEN ${s(lo)} AND ${s(hi)}`;
  });
  return conds.length > 1 ? `(${conds.join(' OR ')})` : conds[0];
}

/** A frequency in GHz: bare, or marked GHz or MHz. */
function gigahertz(text) {
  const t = text.trim();
  const m = t.match(/^(.*?)\s*(GHz|MHz)$/i);
  if (!m) return number(t);
  return number(m[1]) / (m[2].toLowerCase() === 'mhz' ? 1000 : 1);
}

/** The frequencies (GHz) a frequency field's value asks for: [{lo, hi}] (either may be null
 *  for an open range); [] when it cannot be read. */
export function searchedFrequencies(value) {
  try {
    return alternatives(value || '').map((alt) => parseInterval(alt, gigahertz));
  } catch {
    return [];
  }
}

/** The high end of an open frequency range (GHz): a petahertz, above any radio window. */
const OPEN_HIGH_GHZ = 1e6;

function frequencyCondition(value) {
  // as ALMA's form: one of an observation's spectral windows (listed in frequency_support)
  // covers the frequency or overlaps the range; a row's em_min..em_max is its own window only
  const conds = alternatives(value).map((alt) => {
    const { lo, hi } = parseInterval(alt, gigahertz);
    if ((lo !== null && lo <= 0) || (hi !== null && hi <= 0)) throw new FieldError('frequencies are positive');
    return `SPECTRAL_WINDOW_OVERLAPS(frequency_support, ${lo ?? 0}, ${hi ?? Math.max(lo, OPEN_HIGH_GHZ)}) = 1`;
  });
  return conds.length > 1 ? `(${conds.join(' OR ')})` : conds[0];
}

function bandCondition(value) {
  const bands = new Set();
  // `B6`, `band 6`, `Band 3..7` are the bands' numbers
  const numbers = value.replace(/\b(band|b)\s*(?=\d)/gi, '');
  for (const alt of alternatives(numbers.replace(/[\s,]+/g, '|'))) {
    const { lo, hi } = parseInterval(alt);
    const from = lo ?? 1;
    const to = hi ?? 10;
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to > 10) {
      throw new FieldError('ALMA bands are whole numbers from 1 to 10');
    }
    for (let b = from; b <= to; b += 1) bands.add(String(b));
  }
  return `band_list IN (${[...bands].map(literal).join(', ')})`;
}

function nameCondition(column, value) {
  const conds = alternatives(value).map((alt) => (hasWildcard(alt)
    ? `LOWER(${column}) LIKE ${literal(likePattern(alt.toLowerCase()))}`
    : `LOWER(${column}) = ${literal(alt.toLowerCase())}`));
  return conds.length > 1 ? `(${conds.join(' OR ')})` : conds[0];
}

function codeCondition(column, value) {
  const conds = alternatives(value).map((alt) => {
    const code = alt.replace(/^ADS\/JAO\.ALMA#/i, '');
    return hasWildcard(code) ? `${column} LIKE ${literal(likePattern(code))}` : `${column} = ${literal(code)}`;
  });
  return conds.length > 1 ? `(${conds.join(' OR ')})` : conds[0];
}

function wordsCondition(column, value) {
  const conds = alternatives(value).map((alt) => {
    const words = alt.split(/\s+/).filter(Boolean);
    const each = words.map((w) => `${column} ILIKE ${literal(`%${likePattern(w)}%`)}`);
    return each.length > 1 ? `(${each.join(' AND ')})` : each[0];
  });
  return conds.length > 1 ? `(${conds.join(' OR ')})` : conds[0];
}

/** Observations whose footprint holds an object of this type (the best match only when the
 *  "best match" box is ticked). */
function objectCondition(value, others = {}) {
  const where = [`object_type = ${literal(value)}`];
  if (others.bestmatch) where.push('best_match = 1');
  return `obs_id IN (SELECT footprint_obs_id FROM alma.object_in_footprint WHERE ${where.join(' AND ')})`;
}

/** The antennas an array's observations use, as ALMA names its pads' antennas in
 *  antenna_arrays: 12 m DA/DV (and PM), 7 m CM, Total Power PM on TP pads. */
const ARRAY_ANTENNAS = { '12m': ["':DA'", "':DV'"], '7m': ["':CM'"], TP: ["':PM'"] };

function arrayCondition(value) {
  const antennas = ARRAY_ANTENNAS[value];
  if (!antennas) throw new FieldError(`'${value}' is not an ALMA array: 12m, 7m or TP`);
  const conds = antennas.map((a) => `antenna_arrays LIKE ${literal(`%${a.slice(1, -1)}%`)}`);
  return conds.length > 1 ? `(${conds.join(' OR ')})` : conds[0];
}

/** At least n publications: bib_reference holds n bibcodes separated by spaces. */
function atLeast(n) {
  if (n <= 0) return '1 = 1';
  return `bib_reference LIKE ${literal(`_%${' %'.repeat(n - 1)}`)}`;
}

function pubCountCondition(value) {
  const conds = alternatives(value).map((alt) => {
    const { lo, hi } = parseInterval(alt, (t) => {
      const n = number(t);
      if (!Number.isInteger(n) || n < 0) throw new FieldError('a publication count is a whole number');
      return n;
    });
    const parts = [];
    if (lo !== null && lo > 0) parts.push(atLeast(lo));
    if (hi !== null) parts.push(`NOT ${atLeast(hi + 1)}`);
    if (!parts.length) return '1 = 1';
    return parts.length > 1 ? `(${parts.join(' AND ')})` : parts[0];
  });
  return conds.length > 1 ? `(${conds.join(' OR ')})` : conds[0];
}

/** A date as MJD: YYYY-MM-DD or DD-MM-YYYY (also with /). */
export function mjd(text) {
  const t = text.trim();
  let m = t.match(/^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/);
  let y; let mo; let d;
  if (m) [, y, mo, d] = m.map(Number);
  else if ((m = t.match(/^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/))) [, d, mo, y] = m.map(Number);
  else if ((m = t.match(/^(\d{4})$/))) { y = Number(m[1]); mo = 1; d = 1; }
  else throw new FieldError(`'${t}' is not a date: write YYYY-MM-DD`);
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) throw new FieldError(`'${t}' is not a date`);
  return ms / 86400000 + 40587;
}

function dateCondition(column, value) {
  const conds = alternatives(value).map((alt) => {
    // a bare year is the whole year
    const year = alt.trim().match(/^(\d{4})$/);
    const { lo, hi } = year ? { lo: mjd(`${year[1]}-01-01`), hi: mjd(`${year[1]}-12-31`) } : parseInterval(alt, mjd);
    const parts = [];
    if (lo !== null) parts.push(`${column} >= ${lo}`);
    if (hi !== null) parts.push(`${column} < ${hi + 1}`); // the whole last day
    return parts.length > 1 ? `(${parts.join(' AND ')})` : parts[0];
  });
  return conds.length > 1 ? `(${conds.join(' OR ')})` : conds[0];
}

/** Sexagesimal or decimal: RA in hours when sexagesimal, else degrees. */
function angle(text, isRa) {
  const t = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)(d|deg|°)?$/.test(t)) return Number(t.replace(/(d|deg|°)$/, ''));
  const m = t.match(/^([+-]?)(\d{1,3})[:hd° ](\d{1,2})[:m' ](\d{1,2}(?:\.\d*)?)s?"?$/);
  if (!m) throw new FieldError(`'${t}' is not a coordinate`);
  const sign = m[1] === '-' ? -1 : 1;
  const v = Number(m[2]) + Number(m[3]) / 60 + Number(m[4]) / 3600;
  return sign * v * (isRa ? 15 : 1);
}

/** The radius in degrees: arcmin unless marked ' " d. */
function radius(text) {
  const t = text.trim();
  const m = t.match(/^(\d+\.?\d*|\.\d+)\s*(arcmin|arcsec|deg|d|°|'|"|m|s)?$/);
  if (!m) throw new FieldError(`'${t}' is not a radius (e.g. 5' or 30" or 0.2d)`);
  const v = Number(m[1]);
  switch (m[2]) {
    case 'arcsec': case '"': case 's': return v / 3600;
    case 'deg': case 'd': case '°': return v;
    default: return v / 60;
  }
}

/** ICRS → Galactic rotation (rows: the Galactic axes in ICRS), the values the service's
 *  ADQL uses (vo-region's frame.rs: as ERFA computes them, as astropy applies them). */
const GALACTIC = [
  [-0.05487565771259163, -0.8734370519556159, -0.48383507361671546],
  [0.4941094371927268, -0.44482972122329517, 0.7469821839866676],
  [-0.8676661375596576, -0.19807633727300059, 0.45598381368730156],
];

/** Galactic l, b (degrees) → ICRS ra, dec (degrees). */
export function galacticToIcrs(l, b) {
  const rad = Math.PI / 180;
  const g = [Math.cos(b * rad) * Math.cos(l * rad), Math.cos(b * rad) * Math.sin(l * rad), Math.sin(b * rad)];
  const v = [0, 1, 2].map((j) => GALACTIC[0][j] * g[0] + GALACTIC[1][j] * g[1] + GALACTIC[2][j] * g[2]);
  const ra = ((Math.atan2(v[1], v[0]) / rad) + 360) % 360;
  return { ra, dec: Math.asin(Math.max(-1, Math.min(1, v[2]))) / rad };
}

const GALACTIC_MARK = /\b(gal|galactic)\b/i;

/** `ra dec`, `ra, dec`, six sexagesimal fields, or `l b gal`: {ra, dec} (ICRS degrees). */
function parseCentre(text) {
  const galactic = GALACTIC_MARK.test(text);
  const tokens = text.replace(GALACTIC_MARK, ' ').trim().split(/[\s,]+/).filter(Boolean);
  let ra; let dec;
  if (tokens.length === 2) [ra, dec] = [angle(tokens[0], !galactic && /[:h ]/.test(tokens[0])), angle(tokens[1], false)];
  else if (tokens.length === 6 && !galactic) [ra, dec] = [angle(tokens.slice(0, 3).join(':'), true), angle(tokens.slice(3).join(':'), false)];
  else throw new FieldError('write a position as: ra dec, radius (e.g. 150.12 2.21, 5\'), or a name');
  if (galactic) {
    if (!(ra >= 0 && ra < 360)) throw new FieldError(`l ${ra} is outside 0..360 degrees`);
    if (!(dec >= -90 && dec <= 90)) throw new FieldError(`b ${dec} is outside -90..90 degrees`);
    return galacticToIcrs(ra, dec);
  }
  if (!(ra >= 0 && ra < 360)) throw new FieldError(`RA ${ra} is outside 0..360 degrees`);
  if (!(dec >= -90 && dec <= 90)) throw new FieldError(`Dec ${dec} is outside -90..90 degrees`);
  return { ra, dec };
}

/** Whether a centre is a name to resolve rather than coordinates: it has letters that are
 *  not a unit, an hour or a Galactic mark. */
function isName(text) {
  const stripped = text.replace(GALACTIC_MARK, '').replace(/\b(deg|d|h|m|s)\b|[°hms'"]/g, '');
  return /\p{L}/u.test(stripped);
}

/**
 * One alternative of the position field: {ra, dec, r} (degrees), or {name, r} for a name the
 * page resolves. `ra dec, r`, `ra, dec`, `ra, dec, r`, `l b gal, r`, `name, r`; r in arcmin
 * unless marked, 10' by default (as ALMA).
 */
export function parsePosition(text) {
  const parts = text.split(',').map((p) => p.trim());
  // a centre that is one bare number is an RA whose declination follows the comma
  const bareNumber = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(parts[0]);
  let centre; let rad;
  if (parts.length === 1) [centre] = parts;
  else if (parts.length === 2) [centre, rad] = bareNumber ? [`${parts[0]} ${parts[1]}`, undefined] : parts;
  else if (parts.length === 3 && bareNumber) [centre, rad] = [`${parts[0]} ${parts[1]}`, parts[2]];
  else throw new FieldError('write one position as: ra dec, radius — or a name, radius');
  if (centre === '') throw new FieldError('nothing before the comma: write a name or ra dec');
  const r = rad === undefined || rad === '' ? 10 / 60 : radius(rad);
  if (r <= 0 || r > 90) throw new FieldError('the radius must be above 0 and at most 90 degrees');
  if (isName(centre)) return { name: centre, r };
  return { ...parseCentre(centre), r };
}

/** `ra dec[, radius]` → {ra, dec, r} in degrees (names are not resolved here). */
export function parseCone(text) {
  const cone = parsePosition(text);
  if (cone.name !== undefined) throw new FieldError(`'${cone.name}' is not a position`);
  return cone;
}

function positionCondition(value, resolved, pending) {
  const conds = alternatives(value).map((alt) => {
    let { ra, dec, r, name } = parsePosition(alt);
    if (name !== undefined) {
      const found = resolved.get(name);
      if (found === undefined) { pending.push(name); return null; }
      if (found.error) throw new FieldError(found.error);
      ({ ra, dec } = found);
    }
    return `INTERSECTS(CIRCLE('ICRS', ${+ra.toFixed(7)}, ${+dec.toFixed(7)}, ${+r.toFixed(7)}), s_region) = 1`;
  });
  if (conds.includes(null)) return null;
  return conds.length > 1 ? `(${conds.join(' OR ')})` : conds[0];
}

/**
 * The ADQL condition of one field's value; throws FieldError with the reason. Names in the
 * position field are looked up in `resolved` (name → {ra, dec} or {error}); one not there
 * yet is added to `pending` and the condition is null until it is.
 */
export function condition(field, value, resolved = new Map(), pending = [], others = {}) {
  switch (field.kind) {
    case 'position': return positionCondition(value, resolved, pending);
    case 'name': return nameCondition(field.column, value);
    case 'frequency': return frequencyCondition(value);
    case 'band': return bandCondition(value);
    case 'number': return numericCondition(field.column, value, field.scale, field.unit);
    case 'code': return codeCondition(field.column, value);
    case 'words': return wordsCondition(field.column, value);
    case 'pubcount': return pubCountCondition(value);
    case 'date': return dateCondition(field.column, value);
    case 'choice': case 'flag': return field.build ? field.build(value, others) : `${field.column} = ${literal(value)}`;
    default: throw new FieldError(`unknown field kind ${field.kind}`);
  }
}

export const COLUMNS = [
  'obs_id', 'member_ous_uid', 'proposal_id', 'target_name', 's_ra', 's_dec', 'band_list',
  'frequency', 'em_min', 'em_max', 'spatial_resolution', 'spatial_scale_max', 'sensitivity_10kms',
  'cont_sensitivity_bandwidth', 't_min', 't_exptime', 'pol_states', 'obs_release_date', 'data_rights',
  'pi_name', 'obs_title', 'is_mosaic', 'science_observation', 'bib_reference', 'publication_year',
  'scientific_category', 's_region', 'frequency_support',
];

/** The most lines a target list may have. */
export const MAX_TARGETS = 1000;

/**
 * A target list as uploaded: one position a line, as the position field takes it (a name,
 * `ra dec`, sexagesimal, `l b gal`; a radius after a comma, 10' by default); empty lines and
 * lines starting with # are skipped. {targets: [{line, text, ra?, dec?, name?, r}],
 * errors: [{line, text, message}]}.
 */
export function parseTargetList(text) {
  const targets = [];
  const errors = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (targets.length + errors.length >= MAX_TARGETS) {
      errors.push({ line: i + 1, text: line, message: `a target list has at most ${MAX_TARGETS} lines` });
      break;
    }
    try {
      targets.push({ line: i + 1, text: line, ...parsePosition(line) });
    } catch (e) {
      if (!(e instanceof FieldError)) throw e;
      errors.push({ line: i + 1, text: line, message: e.message });
    }
  }
  return { targets, errors };
}

/** The uploaded target list as a VOTable (TABLEDATA): line, ra, dec, radius (degrees). */
export function targetsVOTable(targets) {
  const rows = targets.map((t) => `<TR><TD>${t.line}</TD><TD>${t.ra}</TD><TD>${t.dec}</TD><TD>${t.r}</TD></TR>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
<RESOURCE><TABLE name="targets">
<FIELD name="tl_line" datatype="int"/>
<FIELD name="tl_ra" datatype="double" unit="deg" ucd="pos.eq.ra"/>
<FIELD name="tl_dec" datatype="double" unit="deg" ucd="pos.eq.dec"/>
<FIELD name="tl_radius" datatype="double" unit="deg"/>
<DATA><TABLEDATA>
${rows}
</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>
`;
}

/** The condition of an uploaded target list: observations in any of its cones, by one join. */
export const TARGET_LIST_CONDITION = 'obs_id IN (SELECT u.obs_id FROM ivoa.obscore AS u JOIN TAP_UPLOAD.targets AS t '
  + "ON INTERSECTS(CIRCLE('ICRS', t.tl_ra, t.tl_dec, t.tl_radius), u.s_region) = 1)";

/**
 * The ADQL of a set of constraints [{key, value, negated}], names in the position field
 * looked up in `resolved`: {adql, errors: {key: message}, pending: [names not resolved yet]}.
 * A query with errors or pending names must not run: a field in error is not in the ADQL.
 */
export function buildQuery(constraints, resolved = new Map(), targetList = false) {
  const where = [];
  const errors = {};
  const pending = [];
  // the values of every field switched on, for fields that depend on another
  const others = Object.fromEntries(constraints.filter((c) => !c.off).map((c) => [c.key, c.value]));
  for (const c of constraints) {
    const field = FIELD[c.key];
    if (!field || c.value === '' || c.value === undefined) continue;
    if (c.off) continue; // switched off on its chip: kept, not queried
    let value = String(c.value).trim();
    let negated = Boolean(c.negated);
    if (value.startsWith('!')) { negated = !negated; value = value.slice(1).trim(); }
    try {
      // "best match only" qualifies the object type; alone it constrains nothing
      if (c.key === 'bestmatch') {
        if (!others.objtype) throw new FieldError('choose an object type for the best match');
        continue;
      }
      const cond = condition(field, value, resolved, pending, others);
      if (cond !== null) where.push(negated ? `NOT (${cond})` : cond);
    } catch (e) {
      if (!(e instanceof FieldError)) throw e;
      errors[c.key] = e.message;
    }
  }
  if (targetList) where.push(TARGET_LIST_CONDITION);
  const adql = `SELECT ${COLUMNS.join(', ')}\nFROM ivoa.obscore${where.length ? `\nWHERE ${where.join('\n  AND ')}` : ''}\nORDER BY proposal_id, member_ous_uid, obs_id`;
  return { adql, errors, pending };
}
