// Sending the answer to desktop tools (TOPCAT, Aladin) over SAMP's Web Profile, with sampjs
// (served by this service). The page registers with the user's hub on the first send; the
// hub asks the user to accept it. A table travels as a URL of this service's TAP that the
// receiving tool fetches itself.

const APP_NAME = 'ALMA archive query page';
const LOAD = 'table.load.votable';
const SELECT = 'table.select.rowList';

/** Why a send did not happen, in words for the user. */
export class SampError extends Error {}

let library = null;
let connection = null;

/** sampjs, loaded on first use (a classic script that defines window.samp). */
function load() {
  library ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/web/vendor/sampjs/samp.js';
    script.onload = () => (window.samp ? resolve(window.samp) : reject(new SampError('the SAMP library did not load')));
    script.onerror = () => reject(new SampError('SAMP needs sampjs, which was not bundled when this server was built (npm ci in crates/vo-web/app, then rebuild)'));
    document.head.append(script);
  });
  return library.catch((e) => { library = null; throw e; });
}

/** A hub method through the connection, as a promise. */
function hub(method, args) {
  return new Promise((resolve, reject) => connection[method](args, resolve, reject));
}

async function connect() {
  const samp = await load();
  const running = await new Promise((resolve) => samp.ping(resolve));
  if (!running) {
    connection = null;
    throw new SampError('No SAMP hub is running on this computer: start TOPCAT or Aladin Desktop (each runs one), then send again.');
  }
  if (connection && !connection.closed) {
    try {
      await hub('getRegisteredClients', []);
      return samp;
    } catch { connection = null; }
  }
  connection = await new Promise((resolve, reject) => samp.register(APP_NAME, resolve, (e) => reject(new SampError(
    `the SAMP hub did not accept this page (${e?.faultString || e?.message || e}): accept it in the hub's dialog, then send again`))));
  await hub('declareMetadata', [{
    'samp.name': APP_NAME,
    'samp.description.text': 'Query results of the ALMA archive',
    'samp.icon.url': new URL('/web/icon.svg', location.href).href,
  }]);
  return samp;
}

/** Sends `mtype` with `params` to every client subscribed to it; resolves to their names. */
async function notify(mtype, params) {
  const samp = await connect();
  const subscribed = Object.keys(await hub('getSubscribedClients', [mtype]));
  if (!subscribed.length) {
    throw new SampError('No application connected to the SAMP hub loads tables: start TOPCAT or Aladin Desktop, then send again.');
  }
  await hub('notifyAll', [new samp.Message(mtype, params)]);
  const names = [];
  for (const id of subscribed) {
    try { names.push((await hub('getMetadata', [id]))['samp.name'] || id); } catch { names.push(id); }
  }
  return names;
}

/** Sends a table (a VOTable at `url`, absolute) to be loaded as `tableId`, called `name`. */
export function sendTable(url, tableId, name) {
  return notify(LOAD, { url, 'table-id': tableId, name });
}

/** Asks the tools holding table `tableId` (from `url`) to select rows `indices` (0-based). */
export function selectRows(url, tableId, indices) {
  return notify(SELECT, { url, 'table-id': tableId, 'row-list': indices.map(String) });
}
