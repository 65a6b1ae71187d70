/**
 * Solves with a Cholesky factor, and keeps one up to date as columns leave the factored set.
 *
 * Hand-written rather than ml-matrix's `CholeskyDecomposition.solve`, because the callers hold
 * the factor as a plain Float64Array that they update in place: LARS grows and shrinks the
 * factor of its active set one column at a time, step for step as scikit-learn's `lars_path`
 * (its LAPACK `potrs` solves and `cholesky_delete` Givens updates decide which feature enters
 * or leaves, so their arithmetic is the parity), and ml-matrix has no factor update. Every
 * function works on the leading k × k block of a row-major L with row stride `ld` (k ≤ ld), so
 * a factor allocated once at its largest size serves every step.
 */

/**
 * Forward substitution L·x = b on the leading k × k block of L, in place of b.
 *
 * @param L lower-triangular, row-major, row stride `ld`.
 * @param k size of the block.
 * @param b length ≥ k; entries 0..k−1 are overwritten by x.
 * @param ld row stride of L (default k).
 */
export function forwardSubstitute(L: Float64Array, k: number, b: Float64Array | number[], ld = k): void {
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let q = 0; q < i; q++) s -= L[i * ld + q] * b[q];
    b[i] = s / L[i * ld + i];
  }
}

/**
 * Solves L·Lᵀ·x = b (LAPACK potrs) on the leading k × k block of a Cholesky factor, in place of b.
 *
 * @param L lower-triangular factor (`cholesky(...).L`, or one kept up to date by hand), row-major,
 *   row stride `ld`.
 * @param k size of the block.
 * @param b right-hand side, length ≥ k; entries 0..k−1 are overwritten by x.
 * @param ld row stride of L (default k).
 */
export function choleskySolve(L: Float64Array, k: number, b: Float64Array | number[], ld = k): void {
  forwardSubstitute(L, k, b, ld);
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i];
    for (let q = i + 1; q < k; q++) s -= L[q * ld + i] * b[q];
    b[i] = s / L[i * ld + i];
  }
}

/**
 * Removes row and column `out` from the Cholesky factor of the leading k × k block, in place
 * (scikit-learn's `arrayfuncs.cholesky_delete`): shift the rows below `out` up, then restore the
 * triangle with Givens rotations. The leading (k − 1) × (k − 1) block is then the factor of A
 * without its row and column `out`.
 *
 * @param L lower-triangular factor, row-major, row stride `ld`.
 * @param ld row stride of L.
 * @param k size of the block before the deletion.
 * @param out index (0 ≤ out < k) of the row and column to remove.
 */
export function choleskyDelete(L: Float64Array, ld: number, k: number, out: number): void {
  for (let i = out; i < k - 1; i++) for (let q = 0; q < i + 2; q++) L[i * ld + q] = L[(i + 1) * ld + q];
  for (let i = out; i < k - 1; i++) {
    const a = L[i * ld + i];
    const b = L[i * ld + i + 1];
    let { r, c, s } = givens(a, b);
    if (r < 0) {
      r = -r;
      c = -c;
      s = -s;
    }
    L[i * ld + i] = r;
    L[i * ld + i + 1] = 0;
    for (let j = i + 1; j < k - 1; j++) {
      const x = L[j * ld + i];
      const yv = L[j * ld + i + 1];
      L[j * ld + i] = c * x + s * yv;
      L[j * ld + i + 1] = c * yv - s * x;
    }
  }
}

/** BLAS drotg: r = ±√(a² + b²) with the sign of the larger of a, b; c = a/r, s = b/r. */
function givens(a: number, b: number): { r: number; c: number; s: number } {
  const roe = Math.abs(a) > Math.abs(b) ? a : b;
  const scale = Math.abs(a) + Math.abs(b);
  if (scale === 0) return { r: 0, c: 1, s: 0 };
  const r = (roe < 0 ? -1 : 1) * scale * Math.hypot(a / scale, b / scale);
  return { r, c: a / r, s: b / r };
}
