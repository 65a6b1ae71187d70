/** A signed number with 3 significant digits; tiny and huge values in exponent form, never "+0.000". */
export function signed(x: number): string {
  const a = Math.abs(x);
  const body = a === 0 ? '0' : a >= 0.01 && a < 1000 ? a.toPrecision(3) : a.toExponential(2);
  return (x < 0 ? '−' : '+') + body;
}

/** An unsigned spread (a std) with 2 significant digits, exponent form when tiny or huge. */
export function spread(x: number): string {
  return x >= 0.01 && x < 1000 ? x.toPrecision(2) : x.toExponential(1);
}

/** A plain number with 4 significant digits, exponent form when tiny (but not 0) or huge. */
export function plain(x: number): string {
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(3) : Number(x.toPrecision(4)).toString();
}
