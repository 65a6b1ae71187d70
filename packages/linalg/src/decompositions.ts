import { createRequire } from 'node:module';
import { InputError } from '@limekit/core';
import type * as MlMatrix from 'ml-matrix';

// ml-matrix's CommonJS build, loaded with `require`: its ES-module entry re-exports that same
// 150 KB file, which Node then scans for its exports before running it (35–60 ms against 9 here,
// in every process that fits a surrogate). The same module instance either way.
const { CholeskyDecomposition, EigenvalueDecomposition, Matrix, SingularValueDecomposition } = createRequire(import.meta.url)('ml-matrix') as typeof MlMatrix;
type Matrix = MlMatrix.Matrix;

/**
 * The dense factorisations limekit's surrogates need, computed by ml-matrix (JAMA's algorithms:
 * Cholesky–Banachiewicz, Householder tridiagonalisation + implicit QL for symmetric matrices,
 * Golub–Kahan–Reinsch SVD) behind a Float64Array API. Only the adaptation is here: copying in
 * and out of ml-matrix's `Matrix`, ordering, and the cut-offs that make a pseudo-inverse agree
 * with numpy / scipy (those decide parity, so they are spelled out).
 */

/** Copies a row-major rows × cols Float64Array into an ml-matrix `Matrix`. */
function fromRowMajor(A: Float64Array, rows: number, cols: number): Matrix {
  const M = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) M.set(i, j, A[i * cols + j]);
  return M;
}

function checkSquare(who: string, A: Float64Array, d: number): void {
  if (!Number.isInteger(d) || d < 0 || A.length < d * d) {
    throw new InputError(`${who}: A must hold a d × d matrix (d² = ${d * d} entries), got ${A.length} entries for d = ${d}. Pass the row-major matrix and its order d.`);
  }
}

/** A Cholesky factor and how well conditioned the factorisation was. */
export interface CholeskyFactor {
  /** Lower-triangular L (row-major d × d, zeros above the diagonal) with A = L·Lᵀ. */
  readonly L: Float64Array;
  /** Whether every pivot was > 0; when false, L is not a factor of A (do not solve with it). */
  readonly positiveDefinite: boolean;
  /** The smallest pivot L_jj² (0 when not positive definite; +∞ for d = 0). */
  readonly minPivot: number;
  /**
   * The smallest L_jj² / A_jj: how much of column j is left once the previous columns are
   * projected out (1 for orthogonal columns, ~0 for nearly collinear ones); 0 when not positive
   * definite, 1 for d = 0. Below ~1e-4 the normal equations have lost four digits or more.
   */
  readonly minPivotRatio: number;
}

/**
 * Cholesky factorisation A = L·Lᵀ of a symmetric positive definite matrix (ml-matrix's
 * `CholeskyDecomposition`).
 *
 * @param A symmetric d × d, row-major, not modified. Must be exactly symmetric.
 * @param d the order of A.
 * @returns the factor and its pivots; check `positiveDefinite` (or a pivot bound) before solving.
 * @throws InputError when A is not d × d or not symmetric.
 */
export function cholesky(A: Float64Array, d: number): CholeskyFactor {
  checkSquare('cholesky', A, d);
  if (d === 0) return { L: new Float64Array(0), positiveDefinite: true, minPivot: Infinity, minPivotRatio: 1 };
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      if (A[i * d + j] !== A[j * d + i]) throw new InputError(`cholesky: A must be symmetric, got A[${i}][${j}] = ${A[i * d + j]} ≠ A[${j}][${i}] = ${A[j * d + i]}. Symmetrise it (copy one triangle onto the other) first.`);
    }
  }
  const dec = new CholeskyDecomposition(fromRowMajor(A, d, d));
  const Lm = dec.lowerTriangularMatrix;
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) L[i * d + j] = Lm.get(i, j);
  const positiveDefinite = dec.isPositiveDefinite();
  let minPivot = Infinity;
  let minPivotRatio = 1;
  for (let j = 0; j < d; j++) {
    const pivot = L[j * d + j] * L[j * d + j];
    minPivot = Math.min(minPivot, pivot);
    minPivotRatio = Math.min(minPivotRatio, pivot / A[j * d + j]);
  }
  if (!positiveDefinite) return { L, positiveDefinite, minPivot: 0, minPivotRatio: 0 };
  return { L, positiveDefinite, minPivot, minPivotRatio };
}

/**
 * Eigendecomposition G = V·diag(values)·Vᵀ of a symmetric matrix (ml-matrix's
 * `EigenvalueDecomposition` with `assumeSymmetric`: EISPACK's tred2/tql2).
 *
 * @param G symmetric d × d, row-major (not modified; only symmetry is assumed, not checked).
 * @param d the order of G.
 * @returns `values` in decreasing order and `vectors` (row-major d × d; column k, i.e.
 *   `vectors[i * d + k]`, is the unit eigenvector of `values[k]`).
 * @see Wilkinson & Reinsch, Handbook for Automatic Computation II: Linear Algebra, Springer 1971.
 */
export function symmetricEigen(G: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  checkSquare('symmetricEigen', G, d);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  if (d === 0) return { values, vectors };
  // ml-matrix's QL iteration has no guard against NaN (it fails deep inside with a TypeError).
  for (let i = 0; i < d * d; i++) {
    if (!Number.isFinite(G[i])) throw new InputError(`symmetricEigen: G must have finite entries, got ${G[i]} at [${Math.floor(i / d)}][${i % d}]. Check the design and weights for NaN or ±Infinity.`);
  }
  const evd = new EigenvalueDecomposition(fromRowMajor(G, d, d), { assumeSymmetric: true });
  const ascending = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix;
  // ml-matrix sorts increasing; limekit's callers read the largest first.
  for (let k = 0; k < d; k++) {
    const src = d - 1 - k;
    values[k] = ascending[src];
    for (let i = 0; i < d; i++) vectors[i * d + k] = V.get(i, src);
  }
  return { values, vectors };
}

/**
 * Minimum-norm solution of G·x = b for a symmetric positive semi-definite G, through its
 * eigendecomposition: eigenvalues ≤ `relCutoff`·λmax are treated as zero. Written into b.
 *
 * @param G symmetric d × d, row-major, not modified.
 * @param b right-hand side (length d); overwritten by x.
 * @param relCutoff relative eigenvalue cut-off (default 10·d·ε, what `fitRidge` has always used;
 *   KernelSHAP passes max(n, d)·ε, numpy's `lstsq` / `matrix_rank` convention).
 */
export function solveSymmetricPinv(G: Float64Array, d: number, b: Float64Array, relCutoff = d * Number.EPSILON * 10): void {
  const { values, vectors } = symmetricEigen(G, d);
  const cutoff = Math.abs(values[0]) * relCutoff;
  const proj = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    if (!(values[k] > cutoff)) continue;
    let s = 0;
    for (let i = 0; i < d; i++) s += vectors[i * d + k] * b[i];
    proj[k] = s / values[k];
  }
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += vectors[i * d + k] * proj[k];
    b[i] = s;
  }
}

/** Result of {@link minNormLeastSquares}. */
export interface MinNormSolution {
  /** The minimum-norm minimiser of ‖A·β − b‖, length k. */
  readonly beta: Float64Array;
  /** Number of singular values kept. */
  readonly rank: number;
  /** Singular values of A, decreasing (min(m, k) of them). */
  readonly singularValues: Float64Array;
}

/**
 * Minimum-norm solution of min ‖A·β − b‖₂ (what scipy's `lstsq`, LAPACK gelsd, returns for a
 * rank-deficient A): β = V·Σ⁺·Uᵀ·b over the singular values above `rcond`·σ_max, from
 * ml-matrix's `SingularValueDecomposition` of A.
 *
 * @param A column-major m × k matrix (`A[j * m + i]`), not modified.
 * @param b right-hand side, length m.
 * @param rcond singular values ≤ rcond·σ_max count as zero. The default, max(m, k)·ε, is
 *   numpy's `pinv`/`matrix_rank` convention; scipy's `lstsq` uses ε, which also keeps the
 *   rounding-level singular values that weighted centring creates.
 * @returns β, the numerical rank and the singular values.
 */
export function minNormLeastSquares(A: Float64Array, m: number, k: number, b: Float64Array, rcond = Math.max(m, k) * Number.EPSILON): MinNormSolution {
  const r = Math.min(m, k);
  const beta = new Float64Array(k);
  // A column of exact zeros (a segment that is always on, once centred) lies in the null space,
  // so its minimum-norm weight is exactly 0. Golub–Kahan bidiagonalisation would smear rounding
  // noise (~1e-16) onto it, so it is left out of the SVD and given that exact 0. (scikit-learn's
  // centring leaves ~1e-16 in such a column, and gelsd then gives it an arbitrary weight.)
  const kept: number[] = [];
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < m; i++) {
      if (A[j * m + i] !== 0) {
        kept.push(j);
        break;
      }
    }
  }
  const singularValues = new Float64Array(r);
  if (r === 0 || kept.length === 0) return { beta, rank: 0, singularValues };
  const M = new Matrix(m, kept.length);
  kept.forEach((j, c) => {
    for (let i = 0; i < m; i++) M.set(i, c, A[j * m + i]);
  });
  const svd = new SingularValueDecomposition(M, { autoTranspose: true });
  const U = svd.leftSingularVectors;
  const V = svd.rightSingularVectors;
  const sigmas = svd.diagonal;
  const q0 = Math.min(m, kept.length);
  for (let q = 0; q < q0; q++) singularValues[q] = sigmas[q];
  const cutoff = rcond * singularValues[0];
  let rank = 0;
  for (let q = 0; q < q0; q++) {
    const sigma = singularValues[q];
    if (!(sigma > cutoff)) break;
    rank++;
    let s = 0;
    for (let i = 0; i < m; i++) s += U.get(i, q) * b[i];
    s /= sigma;
    kept.forEach((j, c) => (beta[j] += s * V.get(c, q)));
  }
  return { beta, rank, singularValues };
}
