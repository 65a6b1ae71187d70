import { InputError } from '@limekit/core';
import { describe, expect, it } from 'vitest';
import { axpy, centring, choleskyDelete, choleskySolve, cholesky, dot, forwardSubstitute, gram, minNormLeastSquares, r2Score, scaledDesign, solveSymmetricPinv, symmetricEigen, transposeTimes } from './index.js';

describe('cholesky', () => {
  it('factors a hand-made SPD matrix: A = L·Lᵀ with L = [[2,0,0],[1,3,0],[−1,2,4]]', () => {
    // A = L·Lᵀ worked out by hand: [[4,2,−2],[2,10,5],[−2,5,21]].
    const A = Float64Array.from([4, 2, -2, 2, 10, 5, -2, 5, 21]);
    const f = cholesky(A, 3);
    const expected = [2, 0, 0, 1, 3, 0, -1, 2, 4];
    expected.forEach((v, i) => expect(Math.abs(f.L[i] - v)).toBeLessThan(1e-15));
    expect(f.positiveDefinite).toBe(true);
    // Pivots L_jj² = 4, 9, 16; ratios to A_jj = 1, 0.9, 16/21.
    expect(Math.abs(f.minPivot - 4)).toBeLessThan(1e-14);
    expect(Math.abs(f.minPivotRatio - 16 / 21)).toBeLessThan(1e-14);
    expect(Array.from(A)).toEqual([4, 2, -2, 2, 10, 5, -2, 5, 21]);
  });

  it('solves with the factor: A·x = b for b = A·(1, −2, 3)', () => {
    const A = Float64Array.from([4, 2, -2, 2, 10, 5, -2, 5, 21]);
    const x = Float64Array.from([4 * 1 + 2 * -2 + -2 * 3, 2 * 1 + 10 * -2 + 5 * 3, -2 * 1 + 5 * -2 + 21 * 3]);
    choleskySolve(cholesky(A, 3).L, 3, x);
    [1, -2, 3].forEach((v, i) => expect(Math.abs(x[i] - v)).toBeLessThan(1e-14));
  });

  it('reports a singular (rank-deficient) matrix as not positive definite, with zero pivot measures', () => {
    // [[1,1],[1,1]] has rank 1: the second pivot is 1 − 1 = 0.
    const f = cholesky(Float64Array.from([1, 1, 1, 1]), 2);
    expect(f.positiveDefinite).toBe(false);
    expect(f.minPivot).toBe(0);
    expect(f.minPivotRatio).toBe(0);
  });

  it('treats the empty matrix as positive definite', () => {
    const f = cholesky(new Float64Array(0), 0);
    expect(f.positiveDefinite).toBe(true);
    expect(f.L).toHaveLength(0);
  });

  it('rejects a non-symmetric matrix and a wrong size with errors that say how to fix them', () => {
    expect(() => cholesky(Float64Array.from([1, 2, 3, 4]), 2)).toThrow(InputError);
    expect(() => cholesky(Float64Array.from([1, 2, 3, 4]), 2)).toThrow(/A must be symmetric, got A\[1\]\[0\] = 3 ≠ A\[0\]\[1\] = 2/);
    expect(() => cholesky(Float64Array.from([1, 2, 3]), 2)).toThrow(/must hold a d × d matrix .* got 3 entries for d = 2/);
  });
});

describe('triangular solves and factor updates', () => {
  it('forwardSubstitute solves L·x = b on the leading block of a strided factor', () => {
    // Leading 2 × 2 block [[2,0],[1,3]] inside a 3-wide buffer; L·(1, 2) = (2, 7).
    const L = Float64Array.from([2, 0, 99, 1, 3, 99, 99, 99, 99]);
    const b = [2, 7, 42];
    forwardSubstitute(L, 2, b, 3);
    expect(b).toEqual([1, 2, 42]);
  });

  it('choleskyDelete leaves the factor of A without the removed row and column', () => {
    const A = [
      [4, 2, -2],
      [2, 10, 5],
      [-2, 5, 21],
    ];
    const L = cholesky(Float64Array.from(A.flat()), 3).L;
    choleskyDelete(L, 3, 3, 1);
    // Factor of [[4,−2],[−2,21]]: [[2,0],[−1,√20]].
    expect(Math.abs(L[0] - 2)).toBeLessThan(1e-15);
    expect(Math.abs(L[3] + 1)).toBeLessThan(1e-15);
    expect(Math.abs(L[4] - Math.sqrt(20))).toBeLessThan(1e-14);
    expect(L[1]).toBe(0);
  });
});

describe('symmetricEigen', () => {
  it('diagonalises a symmetric matrix: G·v = λ·v, orthonormal vectors, decreasing values', () => {
    const d = 7;
    const G = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) G[i * d + j] = G[j * d + i] = Math.sin(i + 2 * j) + (i === j ? 3 : 0);
    const { values, vectors } = symmetricEigen(G, d);
    for (let k = 0; k < d; k++) {
      if (k > 0) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
      for (let i = 0; i < d; i++) {
        let gv = 0;
        for (let j = 0; j < d; j++) gv += G[i * d + j] * vectors[j * d + k];
        expect(Math.abs(gv - values[k] * vectors[i * d + k])).toBeLessThan(1e-12);
      }
      for (let l = 0; l < d; l++) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += vectors[i * d + k] * vectors[i * d + l];
        expect(Math.abs(dot - (k === l ? 1 : 0))).toBeLessThan(1e-12);
      }
    }
  });
});

describe('r2Score', () => {
  it('gives a constant target scikit-learn\'s force_finite answer: 1 when fitted exactly, else 0', () => {
    // Σw·0.7/Σw need not be exactly 0.7, so Σw(y − ȳ)² is ~1e-32 rather than 0.
    const n = 7;
    const problem = { X: Float64Array.from({ length: n }, (_, i) => i % 2), n, d: 1, y: new Float64Array(n).fill(0.7), sampleWeight: Float64Array.from({ length: n }, (_, i) => 0.1 + i / 7) };
    expect(r2Score(problem, Float64Array.from([0]), 0.7)).toBe(1);
    expect(r2Score(problem, Float64Array.from([0.01]), 0.7)).toBe(0);
  });
});

describe('minNormLeastSquares', () => {
  it('solves a full-rank tall system exactly', () => {
    // A = [[1,0],[0,2],[1,1]] (column-major), b = A·[3, −1].
    const A = Float64Array.from([1, 0, 1, 0, 2, 1]);
    const { beta, rank } = minNormLeastSquares(A, 3, 2, Float64Array.from([3, -2, 2]));
    expect(rank).toBe(2);
    expect(Math.abs(beta[0] - 3)).toBeLessThan(1e-14);
    expect(Math.abs(beta[1] + 1)).toBeLessThan(1e-14);
  });

  it('gives the minimum-norm solution of a wide system', () => {
    // x + y + z = 3 → (1, 1, 1).
    const { beta, rank } = minNormLeastSquares(Float64Array.from([1, 1, 1]), 1, 3, Float64Array.from([3]));
    expect(rank).toBe(1);
    for (const b of beta) expect(Math.abs(b - 1)).toBeLessThan(1e-14);
  });
});

describe('minNormLeastSquares on a rank-deficient system', () => {
  it('splits the weight of a duplicated column equally and reports the rank', () => {
    // Columns 0 and 1 are equal, y = 2·x0: every β with β0 + β1 = 2 fits; the shortest is (1, 1).
    const x = [1, 2, 3, 4];
    const A = Float64Array.from([...x, ...x]);
    const { beta, rank, singularValues } = minNormLeastSquares(A, 4, 2, Float64Array.from(x.map((v) => 2 * v)));
    expect(rank).toBe(1);
    expect(singularValues).toHaveLength(2);
    expect(Math.abs(beta[0] - 1)).toBeLessThan(1e-14);
    expect(Math.abs(beta[1] - 1)).toBeLessThan(1e-14);
  });

  it('gives an all-zero column exactly 0 (it lies in the null space)', () => {
    // Column 1 is zero; y = 3·x0.
    const A = Float64Array.from([1, 2, 3, 0, 0, 0]);
    const { beta, rank, singularValues } = minNormLeastSquares(A, 3, 2, Float64Array.from([3, 6, 9]));
    expect(rank).toBe(1);
    expect(beta[1]).toBe(0);
    expect(Math.abs(beta[0] - 3)).toBeLessThan(1e-14);
    expect(singularValues[1]).toBe(0);
  });

  it('returns zeros for an empty system', () => {
    expect(Array.from(minNormLeastSquares(new Float64Array(0), 3, 0, new Float64Array(3)).beta)).toEqual([]);
  });
});

describe('solveSymmetricPinv', () => {
  it('gives the minimum-norm solution of a singular system, and the exact one of a regular system', () => {
    // [[1,1],[1,1]]·x = (2, 2): the shortest x is (1, 1).
    const b = Float64Array.from([2, 2]);
    solveSymmetricPinv(Float64Array.from([1, 1, 1, 1]), 2, b);
    expect(Math.abs(b[0] - 1)).toBeLessThan(1e-14);
    expect(Math.abs(b[1] - 1)).toBeLessThan(1e-14);
    const c = Float64Array.from([3, 8]);
    solveSymmetricPinv(Float64Array.from([3, 0, 0, 4]), 2, c);
    expect(Math.abs(c[0] - 1)).toBeLessThan(1e-15);
    expect(Math.abs(c[1] - 2)).toBeLessThan(1e-15);
  });
});

describe('symmetricEigen known answer', () => {
  it('[[2,1],[1,2]] has eigenvalues 3 and 1 with eigenvectors (1,1)/√2 and (1,−1)/√2', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect(Math.abs(values[0] - 3)).toBeLessThan(1e-15);
    expect(Math.abs(values[1] - 1)).toBeLessThan(1e-15);
    expect(Math.abs(Math.abs(vectors[0]) - Math.SQRT1_2)).toBeLessThan(1e-15);
    expect(Math.abs(vectors[0] - vectors[2])).toBeLessThan(1e-15);
    expect(Math.abs(vectors[1] + vectors[3])).toBeLessThan(1e-15);
  });

  it('returns empty arrays for d = 0 and rejects non-finite entries', () => {
    expect(symmetricEigen(new Float64Array(0), 0).values).toHaveLength(0);
    expect(() => symmetricEigen(Float64Array.from([Number.NaN, 0, 0, 1]), 2)).toThrow(/finite entries/);
  });
});

describe('weighted centring, scaled design and Gram matrix (scikit-learn _preprocess_data / _rescale_data)', () => {
  // x = (0, 1, 2), y = (1, 3, 5), w = (1, 1, 2): x̄ = (0 + 1 + 4)/4 = 1.25, ȳ = (1 + 3 + 10)/4 = 3.5.
  const problem = { X: Float64Array.from([0, 1, 2]), n: 3, d: 1, y: Float64Array.from([1, 3, 5]), sampleWeight: Float64Array.from([1, 1, 2]) };

  it('centres with the weighted means and scales by √w', () => {
    const { xMean, yMean, sumWeights } = centring(problem, true);
    expect(xMean[0]).toBe(1.25);
    expect(yMean).toBe(3.5);
    expect(sumWeights).toBe(4);
    const { Xs, ys } = scaledDesign(problem, xMean, yMean);
    [-1.25, -0.25, Math.SQRT2 * 0.75].forEach((v, i) => expect(Math.abs(Xs[i] - v)).toBeLessThan(1e-15));
    [-2.5, -0.5, Math.SQRT2 * 1.5].forEach((v, i) => expect(Math.abs(ys[i] - v)).toBeLessThan(1e-15));
    // Σw(x − x̄)² = 1.5625 + 0.0625 + 2·0.5625 = 2.75; Σw(x − x̄)(y − ȳ) = 3.125 + 0.125 + 2.25 = 5.5.
    expect(Math.abs(gram(Xs, 3, 1)[0] - 2.75)).toBeLessThan(1e-14);
    expect(Math.abs(transposeTimes(Xs, 3, 1, ys)[0] - 5.5)).toBeLessThan(1e-14);
  });

  it('does not centre without an intercept, and gives a constant target its exact value as mean', () => {
    expect(centring(problem, false)).toEqual({ xMean: new Float64Array(1), yMean: 0, sumWeights: 4 });
    const constant = { ...problem, y: new Float64Array(3).fill(0.1), sampleWeight: Float64Array.from([0.3, 0.7, 0.9]) };
    expect(centring(constant, true).yMean).toBe(0.1);
  });

  it('gives duplicate columns identical Gram entries', () => {
    const col = Float64Array.from({ length: 13 }, (_, i) => Math.sin(i) / 3);
    const Xs = new Float64Array(26);
    Xs.set(col, 0);
    Xs.set(col, 13);
    const G = gram(Xs, 13, 2);
    expect(G[0]).toBe(G[1]);
    expect(G[1]).toBe(G[3]);
  });
});

describe('dot and axpy', () => {
  it('dot sums an odd-length product with offsets on both sides: (1,2,3)·(4,5,6) = 32', () => {
    const x = Float64Array.from([9, 1, 2, 3]);
    const y = Float64Array.from([7, 7, 4, 5, 6]);
    expect(dot(3, x, 1, y, 2)).toBe(32);
    expect(dot(0, x, 0, y)).toBe(0);
  });

  it('axpy adds a scaled column in place', () => {
    const y = Float64Array.from([1, 1]);
    axpy(2, -2, Float64Array.from([0, 3, 4]), 1, y);
    expect(Array.from(y)).toEqual([-5, -7]);
  });
});
