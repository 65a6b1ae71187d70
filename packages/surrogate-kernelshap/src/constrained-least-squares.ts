import { InputError, predictAllOnes, weightedR2, type FittedSurrogate, type RegressionProblem } from '@limekit/core';
import { cholesky, choleskySolve, solveSymmetricPinv } from '@limekit/linalg';

/** Where the two endpoint rows are and what the model gave there. */
export interface Endpoints {
  /** Index of the first all-ones row (the instance). */
  readonly onesRow: number;
  /** Index of the first all-zeros row (every segment switched off). */
  readonly zerosRow: number;
  /** f(x), the target of the all-ones row. */
  readonly fx: number;
  /** f(∅), the target of the all-zeros row. */
  readonly fnull: number;
}

/**
 * Finds the first all-ones and the first all-zeros row of X.
 * @throws InputError naming the missing row and how to get it.
 */
export function findEndpoints(problem: RegressionProblem, who: string): Endpoints {
  const { X, n, d, y } = problem;
  let onesRow = -1, zerosRow = -1;
  for (let i = 0; i < n && (onesRow < 0 || zerosRow < 0); i++) {
    let allOnes = true, allZeros = true;
    for (let j = 0; j < d; j++) {
      const v = X[i * d + j];
      if (v !== 1) allOnes = false;
      if (v !== 0) allZeros = false;
    }
    if (allOnes && onesRow < 0) onesRow = i;
    if (allZeros && zerosRow < 0) zerosRow = i;
  }
  const missing = [onesRow < 0 ? 'the all-ones row (the instance, f(x))' : '', zerosRow < 0 ? 'the all-zeros row (f(∅))' : ''].filter(Boolean);
  if (missing.length) {
    throw new InputError(
      `${who}: X must contain the all-ones row (the instance, f(x)) and the all-zeros row (every segment off, f(∅)); ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing. ` +
        'Use the kernelshap sampler, which puts both first, or include those rows in the sample.',
    );
  }
  return { onesRow, zerosRow, fx: y[onesRow], fnull: y[zerosRow] };
}

/**
 * KernelSHAP's constrained weighted least squares (shap `KernelExplainer.solve` with
 * `l1_reg=False`): minimise Σᵢ wᵢ (yᵢ − f(∅) − zᵢ·φ)² subject to Σⱼ φⱼ = f(x) − f(∅), with the
 * intercept fixed at f(∅). As shap, the last coefficient is eliminated,
 * φ_last = f(x) − f(∅) − Σ_{j<last} φⱼ, and the other d − 1 are the weighted least-squares
 * solution of (zⱼ − z_last) against yᵢ − f(∅) − z_last·(f(x) − f(∅)) by the normal equations
 * (Cholesky; shap: `np.linalg.solve`). A singular system falls back to the minimum-norm
 * solution, as shap's `np.linalg.lstsq` fallback, and says so through `warn`. Coefficients
 * below 1e-10 in magnitude are set to 0, as shap does.
 *
 * @param problem X of 0/1 coalitions (other values are fitted as given), y, weights; must hold the
 *   all-ones and all-zeros rows, whose targets are f(x) and f(∅).
 * @returns coefficients (Shapley value estimates), intercept f(∅), the weighted R² over the rows
 *   that are neither all ones nor all zeros (the endpoints are fitted exactly by construction and
 *   usually carry stand-in weights such as 1e6 that would make R² meaningless), and
 *   `details`: `fx`, `fnull`, `solver` (`cholesky` or `lstsq`), `scoreRows`.
 * @throws InputError when either endpoint row is missing.
 */
export function fitConstrainedShapley(problem: RegressionProblem, warn?: (message: string) => void, who = 'KernelShapSurrogate'): FittedSurrogate {
  const { X, n, d, y, sampleWeight: w } = problem;
  const { fx, fnull } = findEndpoints(problem, who);
  const delta = fx - fnull;
  const coef = new Float64Array(d);
  let solver = 'exact';
  if (d === 1) coef[0] = delta;
  if (d >= 2) {
    const p = d - 1;
    const last = d - 1;
    const A = new Float64Array(p * p);
    const b = new Float64Array(p);
    const e = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      const wi = w[i];
      if (wi === 0) continue;
      const row = i * d;
      const zl = X[row + last];
      const t = y[i] - fnull - zl * delta;
      for (let j = 0; j < p; j++) e[j] = X[row + j] - zl;
      for (let j = 0; j < p; j++) {
        const ej = e[j];
        if (ej === 0) continue;
        const wej = wi * ej;
        b[j] += wej * t;
        for (let k = 0; k <= j; k++) A[j * p + k] += wej * e[k];
      }
    }
    for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) A[j * p + k] = A[k * p + j];
    const phi = b.slice();
    const factor = cholesky(A, p);
    // A pivot below p·ε·max|A_jj| is rounding noise: the system is singular, as np.linalg.solve
    // would (nearly) find, and shap then falls back to lstsq.
    let maxDiag = 0;
    for (let i = 0; i < p; i++) maxDiag = Math.max(maxDiag, Math.abs(A[i * p + i]));
    if (factor.positiveDefinite && factor.minPivot > p * Number.EPSILON * maxDiag) {
      choleskySolve(factor.L, p, phi);
      solver = 'cholesky';
    } else {
      // The minimum-norm solution, eigenvalues ≤ max(n, p)·ε·λmax dropped (np.linalg.lstsq's rank rule).
      solveSymmetricPinv(A, p, phi, Math.max(n, p) * Number.EPSILON);
      solver = 'lstsq';
      warn?.(
        `${who}: the constrained least-squares system is singular (${n} samples for ${d} segments); used the minimum-norm solution. ` +
          'Use more samples or fewer segments for well-determined Shapley values.',
      );
    }
    let sum = 0;
    for (let j = 0; j < p; j++) {
      coef[j] = phi[j];
      sum += phi[j];
    }
    coef[last] = delta - sum;
  }
  for (let j = 0; j < d; j++) if (Math.abs(coef[j]) < 1e-10) coef[j] = 0;
  const intercept = fnull;
  const { score, rows: scoreRows } = interiorR2(problem, coef, intercept);
  return {
    coef,
    intercept,
    score,
    localPrediction: predictAllOnes(coef, intercept),
    details: { fx, fnull, solver, scoreRows },
  };
}

/** Weighted R² (core's `weightedR2`) over the rows that are neither all ones nor all zeros. */
function interiorR2(problem: RegressionProblem, coef: Float64Array, intercept: number): { score: number; rows: number } {
  const { X, n, d, y, sampleWeight: w } = problem;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    let allOnes = true, allZeros = true;
    for (let j = 0; j < d && (allOnes || allZeros); j++) {
      const v = X[i * d + j];
      if (v !== 1) allOnes = false;
      if (v !== 0) allZeros = false;
    }
    if (!allOnes && !allZeros && w[i] > 0) keep.push(i);
  }
  if (keep.length === 0) return { score: weightedR2(problem, coef, intercept), rows: n };
  const m = keep.length;
  const Xs = new Float64Array(m * d), ys = new Float64Array(m), ws = new Float64Array(m);
  keep.forEach((i, r) => {
    Xs.set(X.subarray(i * d, (i + 1) * d), r * d);
    ys[r] = y[i];
    ws[r] = w[i];
  });
  return { score: weightedR2({ X: Xs, n: m, d, y: ys, sampleWeight: ws }, coef, intercept), rows: m };
}
