// Tiny, self-contained components for core's own tests (core cannot depend on the component
// packages, which depend on it).
import type { Baseline, Kernel, ModelAdapter, ModelInputSpec, RegressionProblem, Sampler, Segmenter, Surrogate } from './components.js';
import type { RgbImage } from './image.js';
import { predictAllOnes, weightedMeans, weightedR2 } from './regression.js';

/** Square grid cells of `cell` pixels as segments. */
export const gridSegmenter = (cell: number): Segmenter => ({
  id: 'test-grid',
  segment(image: RgbImage) {
    const cols = Math.ceil(image.width / cell);
    const rows = Math.ceil(image.height / cell);
    const labels = new Int32Array(image.width * image.height);
    for (let y = 0; y < image.height; y++)
      for (let x = 0; x < image.width; x++) labels[y * image.width + x] = Math.floor(y / cell) * cols + Math.floor(x / cell);
    return { width: image.width, height: image.height, labels, count: rows * cols };
  },
});

export const bernoulli = (firstAllOnes = true): Sampler => ({
  id: 'test-bernoulli',
  start(M, budget, ctx) {
    let produced = 0;
    return {
      firstRowIsInstance: firstAllOnes,
      needsObservations: false,
      next(maxRows) {
        if (produced >= budget) return null;
        const count = Math.min(maxRows, budget - produced);
        const rows = new Uint8Array(count * M);
        for (let r = 0; r < count; r++)
          for (let j = 0; j < M; j++) rows[r * M + j] = firstAllOnes && produced + r === 0 ? 1 : ctx.rng.nextUint32() & 1;
        produced += count;
        return { rows, count };
      },
    };
  },
});

export const uniformKernel: Kernel = { id: 'test-uniform', weigh: (b, _m, out) => out.fill(1, 0, b.count) };

/** Weighted ridge with a tiny alpha, solved by Gaussian elimination. */
export const ridge: Surrogate = {
  id: 'test-ridge',
  fit(problem: RegressionProblem) {
    const { X, n, d, y, sampleWeight: w } = problem;
    const { xMean, yMean } = weightedMeans(problem);
    const A = Array.from({ length: d }, () => new Float64Array(d + 1));
    for (let i = 0; i < n; i++)
      for (let a = 0; a < d; a++) {
        const xa = X[i * d + a] - xMean[a];
        for (let b = 0; b < d; b++) A[a][b] += w[i] * xa * (X[i * d + b] - xMean[b]);
        A[a][d] += w[i] * xa * (y[i] - yMean);
      }
    for (let a = 0; a < d; a++) A[a][a] += 1e-6;
    for (let c = 0; c < d; c++) {
      for (let r = c + 1; r < d; r++) {
        const f = A[r][c] / A[c][c];
        for (let k = c; k <= d; k++) A[r][k] -= f * A[c][k];
      }
    }
    const coef = new Float64Array(d);
    for (let r = d - 1; r >= 0; r--) {
      let s = A[r][d];
      for (let k = r + 1; k < d; k++) s -= A[r][k] * coef[k];
      coef[r] = s / A[r][r];
    }
    let intercept = yMean;
    for (let j = 0; j < d; j++) intercept -= xMean[j] * coef[j];
    return { coef, intercept, score: weightedR2(problem, coef, intercept), localPrediction: predictAllOnes(coef, intercept) };
  },
};

export const blackFill: Baseline = {
  id: 'test-black',
  fill: (image) => ({ width: image.width, height: image.height, data: new Uint8Array(image.data.length) }),
};

/**
 * A 2-class "model" on a W×H unit-normalised image: p(class 0) is the mean red value of the
 * evidence rectangle [x0, x1) × [y0, y1); class 1 gets the rest.
 */
export function rectangleModel(
  W: number,
  H: number,
  rect: [number, number, number, number],
  opts: { layout?: 'NCHW' | 'NHWC'; maxBatchSize?: number; poison?: (call: number) => boolean } = {},
): ModelAdapter & { calls: number } {
  const layout = opts.layout ?? 'NCHW';
  const input: ModelInputSpec = {
    width: W,
    height: H,
    channels: 3,
    layout,
    resize: 'stretch',
    normalization: { scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1], channelOrder: 'RGB' },
  };
  const [x0, y0, x1, y1] = rect;
  const model = {
    id: 'test-rect',
    input,
    numClasses: 2,
    classNames: ['evidence', 'other'],
    maxBatchSize: opts.maxBatchSize,
    calls: 0,
    async predict(batch: Float32Array, count: number) {
      const out = new Float32Array(count * 2);
      const size = W * H * 3;
      for (let b = 0; b < count; b++) {
        let s = 0;
        for (let y = y0; y < y1; y++)
          for (let x = x0; x < x1; x++) s += batch[b * size + (layout === 'NCHW' ? y * W + x : (y * W + x) * 3)];
        const p = s / ((x1 - x0) * (y1 - y0));
        out[2 * b] = p;
        out[2 * b + 1] = 1 - p;
      }
      if (opts.poison?.(model.calls)) out[1] = NaN;
      model.calls++;
      return out;
    },
    async dispose() {},
  };
  return model;
}

/** A W×H image, red everywhere. */
export function redImage(W: number, H: number): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let p = 0; p < W * H; p++) data[3 * p] = 255;
  return { width: W, height: H, data };
}
