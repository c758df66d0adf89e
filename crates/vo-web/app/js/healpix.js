// HEALPix cell numbers in the NESTED scheme (Górski et al. 2005), for the sky view's density
// map of wide answers: which cell of `order` a position falls in. Checked against CDS's
// cdshealpix (conformance/web/healpix.mjs).

/** Spreads the low 16 bits of `v` to the even bit positions. */
function spread(v) {
  let x = v & 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x;
}

/** The NESTED cell of `order` (0 to 13) holding RA, Dec (degrees). */
export function cellOf(order, ra, dec) {
  const nside = 2 ** order;
  const z = Math.sin((dec * Math.PI) / 180);
  const za = Math.abs(z);
  const tt = ((((ra % 360) + 360) % 360) / 90); // in [0, 4)
  let face; let ix; let iy;
  if (za <= 2 / 3) {
    // equatorial region
    const a = nside * (0.5 + tt);
    const b = nside * z * 0.75;
    const jp = Math.floor(a - b);
    const jm = Math.floor(a + b);
    const ifp = Math.floor(jp / nside);
    const ifm = Math.floor(jm / nside);
    face = ifp === ifm ? (ifp % 4) + 4 : (ifp < ifm ? ifp % 4 : (ifm % 4) + 8);
    ix = jm & (nside - 1);
    iy = nside - (jp & (nside - 1)) - 1;
  } else {
    // polar caps
    const ntt = Math.min(3, Math.floor(tt));
    const tp = tt - ntt;
    const tmp = nside * Math.sqrt(3 * (1 - za));
    const jp = Math.min(nside - 1, Math.floor(tp * tmp));
    const jm = Math.min(nside - 1, Math.floor((1 - tp) * tmp));
    if (z >= 0) { face = ntt; ix = nside - jm - 1; iy = nside - jp - 1; } else { face = ntt + 8; ix = jp; iy = jm; }
  }
  return face * nside * nside + spread(ix) + 2 * spread(iy);
}
