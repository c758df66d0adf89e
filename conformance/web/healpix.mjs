// The page's HEALPix cells against CDS's cdshealpix (its numbers given on the command line
// by the test): prints how many of the positions agree.
//
// usage: node healpix.mjs BASE_URL ORDER JSON   (JSON: [[ra, dec, cell], …]; BASE_URL unused)
import { cellOf } from '../../crates/vo-web/app/js/healpix.js';

const [, order, json] = process.argv.slice(2);
const cases = JSON.parse(json);
const wrong = cases.filter(([ra, dec, cell]) => cellOf(Number(order), ra, dec) !== cell);
console.log(JSON.stringify({ cases: cases.length, wrong: wrong.slice(0, 5), agree: cases.length - wrong.length }));
if (wrong.length) process.exitCode = 1;
