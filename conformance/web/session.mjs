// What the page's browser tests share: checks that print a line each, the service's TAP
// answers as CSV (to compare with what the page shows), and Debian's Chromium driven by
// playwright-core.
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../../crates/vo-web/app/package.json'));
const { chromium } = require('playwright-core');

let passed = 0;

/** Prints the check; the first failure ends the run (throws). */
export function check(ok, what, detail = '') {
  if (!ok) {
    console.log(`FAIL ${what}${detail ? `: ${detail}` : ''}`);
    throw new Error(`check failed: ${what}`);
  }
  passed += 1;
  console.log(`ok   ${what}${detail ? ` (${detail})` : ''}`);
}

/** How many checks held. */
export const checksPassed = () => passed;

/** CSV text as rows of cells (quotes, doubled quotes, CRLF). */
export function parseCsv(text) {
  const rows = [];
  let row = []; let cell = ''; let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 1; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** The service's CSV answer to `adql`, header first. */
export async function tapCsv(base, adql) {
  const body = new URLSearchParams({ LANG: 'ADQL', RESPONSEFORMAT: 'csv', QUERY: adql });
  const response = await fetch(`${base}/tap/sync`, { method: 'POST', body });
  const text = await response.text();
  if (!response.ok) throw new Error(`TAP: ${text}`);
  return parseCsv(text);
}

/** Headless Chromium (CHROMIUM, or Debian's /usr/bin/chromium). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
}

/** Ends a browser test that failed: a screenshot (through `shot`), the error, the page's own
 *  errors, and a failing exit code. */
export async function reportFailure(e, shot, pageErrors) {
  await shot('failure').catch(() => {});
  console.log(String(e.stack || e));
  console.log(`page errors: ${pageErrors.join(' | ')}`);
  process.exitCode = 1;
}
