import { InvalidOptionError } from '@limekit/core';
import { DEFAULT_IMAGE_STATISTICS_OPTIONS, IMAGE_STATISTIC_NAMES, imageStatistics } from '@limekit/manifold';

/**
 * What the scaffold's detector looks at: the cheap image statistics of `@limekit/manifold`
 * (`imageStatistics`) of the input as the model sees it (its view, normalisation undone). As in
 * Slack et al., the detector reads the input only, never a model's output.
 */
export interface ScaffoldFeatureSettings {
  /** Feature family; only `'image-statistics'` so far (kept in scaffold.json for later kinds). */
  kind: 'image-statistics';
  /** `imageStatistics`' gradient magnitude above which a pixel is an edge. Default 0.1. */
  edgeThreshold: number;
  /** `imageStatistics`' histogram bins per channel. Default 8. */
  histogramBins: number;
}

/** Defaults of {@link ScaffoldFeatureSettings}. */
export const DEFAULT_SCAFFOLD_FEATURES: Readonly<ScaffoldFeatureSettings> = {
  kind: 'image-statistics',
  edgeThreshold: DEFAULT_IMAGE_STATISTICS_OPTIONS.edgeThreshold,
  histogramBins: DEFAULT_IMAGE_STATISTICS_OPTIONS.histogramBins,
};

/** Names of the features {@link scaffoldFeatures} returns, in order. */
export const SCAFFOLD_FEATURE_NAMES: readonly string[] = IMAGE_STATISTIC_NAMES;

/**
 * Checks feature settings (from code or a scaffold.json) and fills in the defaults.
 * @throws InvalidOptionError for an unknown kind or an out-of-range value.
 */
export function resolveFeatureSettings(settings: Partial<ScaffoldFeatureSettings> = {}): ScaffoldFeatureSettings {
  const s = { ...DEFAULT_SCAFFOLD_FEATURES, ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) } as ScaffoldFeatureSettings;
  if (s.kind !== 'image-statistics') {
    throw new InvalidOptionError(`ScaffoldModelAdapter: features.kind must be 'image-statistics', got ${JSON.stringify(s.kind)}. Retrain the scaffold with this version of limekit.`);
  }
  if (!(typeof s.edgeThreshold === 'number' && s.edgeThreshold >= 0)) {
    throw new InvalidOptionError(`ScaffoldModelAdapter: features.edgeThreshold must be a number >= 0, got ${JSON.stringify(s.edgeThreshold)}. The default is 0.1.`);
  }
  if (!Number.isInteger(s.histogramBins) || s.histogramBins < 1 || s.histogramBins > 64) {
    throw new InvalidOptionError(`ScaffoldModelAdapter: features.histogramBins must be an integer in [1, 64], got ${JSON.stringify(s.histogramBins)}. The default is 8.`);
  }
  return s;
}

/**
 * The detector's feature vector of one image.
 * @param rgb - H×W×3 bytes (the model's view). @param width - W. @param height - H.
 * @param settings - see {@link ScaffoldFeatureSettings}; defaults {@link DEFAULT_SCAFFOLD_FEATURES}.
 * @returns {@link SCAFFOLD_FEATURE_NAMES}.length values.
 */
export function scaffoldFeatures(rgb: ArrayLike<number>, width: number, height: number, settings: ScaffoldFeatureSettings = DEFAULT_SCAFFOLD_FEATURES): Float64Array {
  return imageStatistics(rgb, width, height, { edgeThreshold: settings.edgeThreshold, histogramBins: settings.histogramBins });
}
