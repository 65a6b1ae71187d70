import { InvalidOptionError, ShapeMismatchError } from '@limekit/core';
import { PCA } from 'ml-pca';

/** Options of {@link pcaProjection}. */
export interface PcaProjectionOptions {
  /** Number of components. Default 2 (the picture). */
  nComponents?: number;
  /** Divide each feature by its standard deviation before the PCA (constant features are dropped). Default true. */
  scale?: boolean;
}

/** Defaults of {@link PcaProjectionOptions}. */
export const DEFAULT_PCA_PROJECTION_OPTIONS = { nComponents: 2, scale: true } as const;

/** Real and perturbed samples in the same principal-component coordinates. */
export interface PcaProjection {
  real: number[][];
  perturbed: number[][];
  /** Share of the total variance each returned component explains. */
  explainedVariance: number[];
}

/**
 * Projects real and perturbed feature vectors (e.g. embeddings) on the principal components of
 * both sets together (ml-pca, SVD of the centred, optionally scaled data): the 2-D picture of
 * how far LIME's samples lie from the real images.
 *
 * @param real - feature vectors of real images. @param perturbed - of perturbed samples.
 * @param options - `nComponents` (default 2), `scale` (default true).
 * @returns the coordinates of each set and the explained variance ratios.
 * @throws InvalidOptionError with fewer than 2 samples in all or a bad option; ShapeMismatchError
 *   when vectors differ in length.
 */
export function pcaProjection(real: readonly ArrayLike<number>[], perturbed: readonly ArrayLike<number>[], options: PcaProjectionOptions = {}): PcaProjection {
  const { nComponents, scale } = { ...DEFAULT_PCA_PROJECTION_OPTIONS, ...options };
  const rows = [...real, ...perturbed].map((r) => Array.from(r));
  if (rows.length < 2) throw new InvalidOptionError(`pcaProjection: needs at least 2 samples in all, got ${rows.length}. Pass more samples.`);
  const d = rows[0].length;
  rows.forEach((r, i) => {
    if (r.length !== d) throw new ShapeMismatchError(`pcaProjection: every feature vector must have ${d} values, got ${r.length} at index ${i}. Use the same features for every sample.`);
  });
  if (!Number.isInteger(nComponents) || nComponents < 1 || nComponents > Math.min(d, rows.length)) {
    throw new InvalidOptionError(`pcaProjection: nComponents must be an integer in [1, min(features, samples)] = [1, ${Math.min(d, rows.length)}], got ${nComponents}. Use 2 for a picture.`);
  }
  const pca = new PCA(rows, { center: true, scale, ignoreZeroVariance: scale });
  const coords = pca.predict(rows, { nComponents }).to2DArray();
  return {
    real: coords.slice(0, real.length),
    perturbed: coords.slice(real.length),
    explainedVariance: pca.getExplainedVariance().slice(0, nComponents),
  };
}
