// The three result views, made from the query's rows: observations (one per member OUS and
// source; ObsCore has a row per spectral window), projects, and the publications using them.

/** Columns as the ALMA archive names them, with how to show them. */
export const LABELS = {
  proposal_id: 'Project code', target_name: 'ALMA source name', s_ra: 'RA', s_dec: 'Dec',
  band_list: 'Band', frequency: 'Frequency (GHz)', spatial_resolution: 'Ang. res. (″)',
  spatial_scale_max: 'MRS (″)', sensitivity_10kms: 'Line sens. 10 km/s (mJy/beam)',
  cont_sensitivity_bandwidth: 'Cont. sens. (mJy/beam)', t_min: 'Observation date',
  t_exptime: 'Integration (s)', pol_states: 'Pol. products', obs_release_date: 'Release date',
  data_rights: 'Access', pi_name: 'PI name', obs_title: 'Project title', is_mosaic: 'Mosaic',
  science_observation: 'Science', bib_reference: 'Bibcodes', publication_year: 'Publication year',
  scientific_category: 'Category', member_ous_uid: 'Member OUS', obs_id: 'Observation ID',
  em_min: 'λ min (m)', em_max: 'λ max (m)', s_region: 'Footprint', frequency_support: 'Frequency support',
  observations: 'Observations', publications: 'Publications',
  bibcode: 'Bibcode', publication_title: 'Title', authors_shown: 'Authors', journal: 'Journal',
  year_published: 'Year', projects: 'Projects',
};

export const DEFAULT_COLUMNS = {
  observations: ['proposal_id', 'target_name', 's_ra', 's_dec', 'band_list', 'frequency', 'spatial_resolution',
    'spatial_scale_max', 'sensitivity_10kms', 't_min', 'obs_release_date', 'pi_name', 'obs_title'],
  projects: ['proposal_id', 'obs_title', 'pi_name', 'observations', 'band_list', 'scientific_category',
    'publications', 'obs_release_date'],
  publications: ['bibcode', 'authors_shown', 'journal', 'year_published', 'publication_title', 'observations', 'projects'],
};

export const VIEW_COLUMNS = {
  observations: ['proposal_id', 'target_name', 's_ra', 's_dec', 'band_list', 'frequency', 'spatial_resolution',
    'spatial_scale_max', 'sensitivity_10kms', 'cont_sensitivity_bandwidth', 't_min', 't_exptime', 'pol_states',
    'obs_release_date', 'data_rights', 'pi_name', 'obs_title', 'is_mosaic', 'science_observation', 'bib_reference',
    'publication_year', 'scientific_category', 'member_ous_uid', 'frequency_support', 's_region'],
  projects: ['proposal_id', 'obs_title', 'pi_name', 'observations', 'band_list', 'scientific_category',
    'publications', 'obs_release_date', 'data_rights'],
  publications: ['bibcode', 'authors_shown', 'journal', 'year_published', 'publication_title', 'observations', 'projects'],
};

export const NUMERIC = new Set(['year_published', 's_ra', 's_dec', 'frequency', 'spatial_resolution', 'spatial_scale_max',
  'sensitivity_10kms', 'cont_sensitivity_bandwidth', 't_min', 't_exptime', 'publication_year', 'em_min', 'em_max',
  'observations', 'publications']);

const unique = (values) => [...new Set(values.filter((v) => v !== null && v !== ''))];
const bandOrder = (a, b) => Number(a) - Number(b);
const publicationCount = (bib) => (bib ? bib.trim().split(/\s+/).length : 0);

/** Observations: the rows of one member OUS and source merged (bands, windows, range). */
export function observations(rows) {
  const groups = new Map();
  for (const row of rows) {
    const key = `${row.member_ous_uid}|${row.target_name}`;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { ...row, key, obs_ids: [row.obs_id], bands: [row.band_list], windows: [row.frequency_support] });
    } else {
      g.obs_ids.push(row.obs_id);
      g.bands.push(row.band_list);
      g.windows.push(row.frequency_support);
      if (row.em_min < g.em_min) g.em_min = row.em_min;
      if (row.em_max > g.em_max) g.em_max = row.em_max;
    }
  }
  return [...groups.values()].map((g) => ({
    ...g,
    band_list: unique(g.bands).sort(bandOrder).join(' '),
    frequency_support: unique(g.windows.flatMap((w) => (w || '').split(' U '))).join(' U '),
    proprietary: g.data_rights === 'Proprietary',
    // no release date: not delivered yet ("In progress") or withdrawn ("In QA3"; DataLink
    // tells which), so there is nothing to download
    delivery: g.obs_release_date ? null : 'In progress',
    link_id: g.member_ous_uid,
  }));
}

/** Projects: one row per project code, from its observations. */
export function projects(obs) {
  const groups = new Map();
  for (const o of obs) {
    const g = groups.get(o.proposal_id);
    if (!g) groups.set(o.proposal_id, { list: [o] });
    else g.list.push(o);
  }
  return [...groups.entries()].map(([code, { list }]) => {
    const first = list[0];
    const release = list.map((o) => o.obs_release_date || '').sort().at(-1);
    const proprietary = list.some((o) => o.proprietary);
    const delivered = list.filter((o) => !o.delivery);
    return {
      key: code, link_id: code, proposal_id: code, obs_title: first.obs_title, pi_name: first.pi_name,
      observations: list.length,
      band_list: unique(list.flatMap((o) => o.band_list.split(' '))).sort(bandOrder).join(' '),
      scientific_category: first.scientific_category,
      publications: Math.max(...list.map((o) => publicationCount(o.bib_reference))),
      obs_release_date: release, data_rights: proprietary ? 'Proprietary' : 'Public', proprietary,
      // a project has data to download when one of its observations has
      delivery: delivered.length ? null : (list[0].delivery || null),
      members: list,
      s_ra: first.s_ra, s_dec: first.s_dec,
    };
  });
}

/** The bibcodes of an observation (bib_reference lists them separated by spaces). */
export function bibcodes(row) {
  return (row.bib_reference || '').split(/\s+/).filter(Boolean);
}

/** Publications: one row per bibcode that the observations use, with their details from
 *  `details` (bibcode → alma.publication's row) and the observations and projects using it. */
export function publicationRows(obs, details) {
  const using = new Map();
  for (const o of obs) {
    for (const b of bibcodes(o)) {
      if (!using.has(b)) using.set(b, []);
      using.get(b).push(o);
    }
  }
  return [...using.entries()].map(([bibcode, list]) => {
    const d = details.get(bibcode) || {};
    const authors = (d.author_list || d.lead_author || '').split(';').map((a) => a.trim()).filter(Boolean);
    return {
      key: bibcode, bibcode, noSelect: true,
      publication_title: d.publication_title || '', lead_author: d.lead_author || '',
      authors_shown: authors.length > 2 ? `${authors[0]} et al.` : authors.join('; '),
      author_list: d.author_list || '', journal: d.journal || bibcode.slice(4, 9).replace(/\.+$/, ''),
      year_published: d.year_published ?? Number(bibcode.slice(0, 4)),
      observations: list.length,
      projects: [...new Set(list.map((o) => o.proposal_id))].sort().join(' '),
      members: list, s_ra: list[0].s_ra, s_dec: list[0].s_dec,
    };
  }).sort((a, b) => b.year_published - a.year_published || a.bibcode.localeCompare(b.bibcode));
}

/** A cell as text. */
export function format(column, value) {
  if (value === null || value === undefined) return '';
  switch (column) {
    case 's_ra': case 's_dec': return value.toFixed(5);
    case 'frequency': return value.toFixed(3);
    case 'spatial_resolution': case 'spatial_scale_max': return value.toPrecision(3);
    case 'sensitivity_10kms': case 'cont_sensitivity_bandwidth': return value.toPrecision(3);
    case 't_min': return new Date((value - 40587) * 86400000).toISOString().slice(0, 10);
    case 'obs_release_date': return String(value).slice(0, 10);
    default: return String(value);
  }
}

/** Spectral windows [lo, hi] in GHz from ALMA's frequency_support text. */
export function windows(support) {
  const out = [];
  for (const m of (support || '').matchAll(/\[\s*([\d.]+)\.\.([\d.]+)GHz/g)) out.push([Number(m[1]), Number(m[2])]);
  return out;
}
