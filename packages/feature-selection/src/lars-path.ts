import { axpy, choleskyDelete, choleskySolve, dot, forwardSubstitute } from '@limekit/linalg';

/** Result of {@link larsLassoPath}. */
export interface LarsPath {
  /** max|Xᵀr|/n at each step, decreasing (the lasso penalty where the step starts). */
  readonly alphas: Float64Array;
  /** Coefficients at each step (`coefs[step][feature]`), step 0 all zero. */
  readonly coefs: Float64Array[];
  /** Active features at the end, in the order they entered. */
  readonly active: number[];
  /** Problems scikit-learn would report as `ConvergenceWarning`s. */
  readonly warnings: string[];
}

const TINY32 = 1.1754943508222875e-38; // np.finfo(np.float32).tiny
const EQUALITY_TOLERANCE = 1.1920928955078125e-7; // np.finfo(np.float32).eps

/**
 * The lasso regularisation path by least-angle regression (LARS with the lasso modification),
 * as scikit-learn 1.2's `lars_path(X, y, method='lasso')` with `Gram=None`, `alpha_min=0`,
 * `eps=np.finfo(float).eps`: the same steps, tie-breaking, drop rule, Cholesky updates and
 * safeguards (the "degenerate regressor" and "alpha increasing" exits), so the active sets match
 * step for step. The path solves min (1/(2n))‖y − Xw‖² + α‖w‖₁ for every α.
 *
 * @param X column-major n × d (`X[j * n + i]`), not modified.
 * @param y length n.
 * @param maxIter maximum number of steps (scikit-learn's default 500).
 * @returns alphas and coefficients of each step.
 * @see Efron, Hastie, Johnstone & Tibshirani, "Least Angle Regression", Annals of Statistics
 *   32(2), 2004. doi:10.1214/009053604000000067
 */
export function larsLassoPath(X: Float64Array, n: number, d: number, y: Float64Array, maxIter = 500): LarsPath {
  const warnings: string[] = [];
  const maxFeatures = Math.min(maxIter, d);

  // Cov holds Xᵀr for the inactive positions nActive.., in scikit-learn's permuted order.
  let cov: number[] = [];
  for (let j = 0; j < d; j++) cov.push(dot(n, X, j * n, y));
  // Column k of scikit-learn's permuted X is column indices[k] of ours.
  const indices = Array.from({ length: d }, (_, j) => j);
  const alphas: number[] = [];
  const coefs: Float64Array[] = [];
  const coefAt = (k: number) => (coefs[k] ??= new Float64Array(d));
  const active: number[] = [];
  let signActive: number[] = new Array(maxFeatures).fill(0);
  const L = new Float64Array(maxFeatures * maxFeatures);
  const ld = Math.max(maxFeatures, 1);
  let nIter = 0;
  let nActive = 0;
  let drop = false;
  let dropIdx: number[] = [];

  for (;;) {
    let cIdx = 0;
    let cSigned = 0;
    let C = 0;
    if (cov.length) {
      for (let k = 1; k < cov.length; k++) if (Math.abs(cov[k]) > Math.abs(cov[cIdx])) cIdx = k;
      cSigned = cov[cIdx];
      C = Math.abs(cSigned);
    }
    const coef = coefAt(nIter);
    const alpha = C / n;
    const prevAlpha = nIter > 0 ? alphas[nIter - 1] : 0;
    alphas[nIter] = alpha;
    // Early stop at alpha_min = 0; as |alpha − 0| ≤ the tolerance, scikit-learn interpolates nothing.
    if (alpha <= EQUALITY_TOLERANCE) break;
    if (nIter >= maxIter || nActive >= d) break;

    if (!drop) {
      signActive[nActive] = Math.sign(cSigned);
      const m = nActive;
      const nn = cIdx + nActive;
      [cov[cIdx], cov[0]] = [cov[0], cov[cIdx]];
      [indices[nn], indices[m]] = [indices[m], indices[nn]];
      const covFull = cov;
      cov = cov.slice(1);
      // Append the new column to the Cholesky factor of the active Gram matrix.
      const cNew = indices[nActive] * n;
      const c = dot(n, X, cNew, X, cNew);
      const row = nActive * ld;
      for (let k = 0; k < nActive; k++) L[row + k] = dot(n, X, cNew, X, indices[k] * n);
      // The new row of the factor: L_old · l = (X_activeᵀ x_new), solved in place in row `row`.
      const newRow = L.subarray(row, row + nActive);
      forwardSubstitute(L, nActive, newRow, ld);
      // scikit-learn takes √|c − ‖w‖²|, which for a column in the span of the active ones is
      // rounding noise of ~1e-7 — right at its 1e-7 guard. The same quantity, the distance of
      // the new column from that span, is computed here from the residual of its projection,
      // so exact duplicates are always caught (~1e-15) and other pivots agree to rounding.
      const u = L.slice(row, row + nActive);
      for (let k = nActive - 1; k >= 0; k--) {
        let s = u[k];
        for (let q = k + 1; q < nActive; q++) s -= L[q * ld + k] * u[q];
        u[k] = s / L[k * ld + k];
      }
      const resid = X.slice(cNew, cNew + n);
      for (let k = 0; k < nActive; k++) axpy(n, -u[k], X, indices[k] * n, resid);
      const rr = dot(n, resid, 0, resid);
      const diag = Math.max(nActive === 0 ? Math.sqrt(c) : Math.sqrt(rr), Number.EPSILON);
      L[row + nActive] = diag;
      if (diag < 1e-7) {
        // scikit-learn drops the regressor "for good": it zeroes the entry at position 0 and
        // swaps the correlations back, leaving the index permutation as it is.
        warnings.push(`Regressors in active set degenerate: dropping a regressor after ${nIter} iterations (smallest Cholesky pivot ${diag.toExponential(3)}).`);
        cov = covFull;
        cov[0] = 0;
        [cov[cIdx], cov[0]] = [cov[0], cov[cIdx]];
        continue;
      }
      active.push(indices[nActive]);
      nActive++;
    }

    if (nIter > 0 && prevAlpha < alpha) {
      warnings.push(`Early stopping the lars path, as the residues are small and alpha is no longer well controlled (${nIter} iterations, alpha=${alpha.toExponential(3)}, previous alpha=${prevAlpha.toExponential(3)}).`);
      break;
    }

    // Equiangular direction: least squares of L·Lᵀ·x = sign.
    let ls = signActive.slice(0, nActive);
    choleskySolve(L, nActive, ls, ld);
    let AA: number;
    if (nActive === 1 && ls[0] === 0) {
      ls[0] = 1;
      AA = 1;
    } else {
      AA = 1 / Math.sqrt(sumProduct(ls, signActive, nActive));
      if (!Number.isFinite(AA)) {
        const Lp = L.slice();
        for (let i = 0; !Number.isFinite(AA); i++) {
          for (let k = 0; k < nActive; k++) Lp[k * ld + k] += 2 ** i * Number.EPSILON;
          ls = signActive.slice(0, nActive);
          choleskySolve(Lp, nActive, ls, ld);
          AA = 1 / Math.sqrt(Math.max(sumProduct(ls, signActive, nActive), Number.EPSILON));
        }
      }
      for (let k = 0; k < nActive; k++) ls[k] *= AA;
    }
    const eqDir = new Float64Array(n);
    for (let k = 0; k < nActive; k++) axpy(n, ls[k], X, indices[k] * n, eqDir);
    const corr = new Float64Array(cov.length);
    for (let k = 0; k < cov.length; k++) corr[k] = roundDecimals15(dot(n, X, indices[nActive + k] * n, eqDir));
    let g1 = Number.MAX_VALUE;
    let g2 = Number.MAX_VALUE;
    for (let k = 0; k < cov.length; k++) {
      const a = (C - cov[k]) / (AA - corr[k] + TINY32);
      if (a > 0 && a < g1) g1 = a;
      const b = (C + cov[k]) / (AA + corr[k] + TINY32);
      if (b > 0 && b < g2) g2 = b;
    }
    let gamma = Math.min(g1, g2, C / AA);

    drop = false;
    const z = active.map((f, k) => -coef[f] / (ls[k] + TINY32));
    let zPos = Number.MAX_VALUE;
    for (const v of z) if (v > 0 && v < zPos) zPos = v;
    if (zPos < gamma) {
      // A coefficient crosses zero: the lasso stops there and drops it.
      dropIdx = z.flatMap((v, k) => (v === zPos ? [k] : [])).reverse();
      for (const k of dropIdx) signActive[k] = -signActive[k];
      gamma = zPos;
      drop = true;
    }
    nIter++;
    const prevCoef = coefAt(nIter - 1);
    const next = coefAt(nIter);
    active.forEach((f, k) => (next[f] = prevCoef[f] + gamma * ls[k]));
    for (let k = 0; k < cov.length; k++) cov[k] -= gamma * corr[k];

    if (drop) {
      for (const k of dropIdx) choleskyDelete(L, ld, nActive, k);
      nActive--;
      for (const k of dropIdx) active.splice(k, 1);
      for (const k of dropIdx) for (let i = k; i < nActive; i++) [indices[i], indices[i + 1]] = [indices[i + 1], indices[i]];
      const residual = y.slice();
      for (let k = 0; k < nActive; k++) axpy(n, -next[active[k]], X, indices[k] * n, residual);
      const temp = dot(n, X, indices[nActive] * n, residual);
      cov = [temp, ...cov];
      signActive = signActive.filter((_, k) => !dropIdx.includes(k));
      signActive.push(0);
    }
  }

  return { alphas: Float64Array.from(alphas.slice(0, nIter + 1)), coefs: Array.from({ length: nIter + 1 }, (_, k) => coefAt(k)), active, warnings };
}

function sumProduct(a: ArrayLike<number>, b: ArrayLike<number>, k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += a[i] * b[i];
  return s;
}

/** numpy's `around(x, 15)`: scale, round half to even, unscale. */
function roundDecimals15(x: number): number {
  const y = x * 1e15;
  if (!Number.isFinite(y) || Math.abs(y) >= 2 ** 52) return x;
  let r = Math.round(y);
  // Math.round rounds halves up; numpy's rint rounds them to even.
  if (r - y === 0.5 && r % 2 !== 0) r -= 1;
  return r / 1e15;
}
