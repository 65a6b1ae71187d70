import {
  InvalidOptionError,
  NORMALIZATION_PRESETS,
  ShapeMismatchError,
  normalizationForChannels,
  validateSegmentMap,
  writeNormalized,
  type ModelAdapter,
  type ModelInputSpec,
  type Normalization,
  type RgbImage,
  type SegmentMap,
} from '@limekit/core';
import type { Game } from './games.js';

/** Options of {@link GameModel}. */
export interface GameModelOptions {
  /** Memory layout of the batches the model receives. */
  layout: 'NCHW' | 'NHWC';
  /** Normalisation the pipeline applies before the model (inverted to compare pixels). */
  normalization: Normalization;
  /**
   * A segment is visible when more than this fraction of its compared values equal the
   * original's (see {@link GameModel}). In (0, 1).
   */
  visibleFraction: number;
}

/** Defaults of {@link GameModelOptions}: NCHW, ImageNet normalisation (a torchvision model's), majority rule. */
export const DEFAULT_GAME_MODEL_OPTIONS: Readonly<GameModelOptions> = {
  layout: 'NCHW',
  normalization: NORMALIZATION_PRESETS.imagenet,
  visibleFraction: 0.5,
};

/** What a {@link GameModel} plays on: a real image, its segmentation, and optionally the fill. */
export interface GameBoard {
  /** The image being explained, at the model's view size. */
  readonly image: RgbImage;
  /** Its segmentation (the one the pipeline uses): segment j is player j of the game. */
  readonly segments: SegmentMap;
  /**
   * The fill switched-off segments show. When given, only values where the fill differs from the
   * original are compared (a segment's pixels that the fill leaves unchanged say nothing), and
   * every segment must have at least one such value. When omitted, all values are compared.
   */
  readonly fill?: RgbImage;
}

/**
 * A model whose output is a known function of which segments are visible: it reads the segment
 * state back from the pixels it is given, then returns the game's value.
 *
 * Reading rule: the original image is normalised once in the model's layout; an input value
 * "equals the original" when it lies within half an 8-bit grey level of it (after normalisation,
 * i.e. the normalisation inverted and rounded to the pixel). Segment j is visible when more than
 * `visibleFraction` (default ½) of its compared values (pixels × channels; with a fill, only those
 * where fill and original differ) equal the original. So any fill works — constant, segment mean,
 * blur, noise — as long as it changes some of each segment's pixels.
 *
 * Output: `numClasses = 2`, row `[v(S), 1 − v(S)]` (class 0 is the game; class 1 its complement,
 * whose exact targets are the negated coefficients). Values are not clipped to [0, 1]: the
 * pipeline regresses on them as it does on probabilities, and additive games with large weights
 * need not be probabilities.
 */
export class GameModel implements ModelAdapter {
  readonly id: string;
  readonly input: ModelInputSpec;
  readonly numClasses = 2;
  readonly classNames: readonly string[];
  readonly info: Readonly<Record<string, unknown>>;
  readonly options: Readonly<GameModelOptions>;
  private readonly reference: Float32Array;
  /** Segment of every value of one image in the model's layout. */
  private readonly elementSegment: Int32Array;
  /** 1 where the value is compared (fill differs from the original), else 0. */
  private readonly compared: Uint8Array;
  private readonly comparedCount: Float64Array;
  private readonly tolerance: Float32Array;
  private readonly toleranceChannel: Int32Array;
  /** Visible segments of the last image scored (for tests and debugging). */
  readonly lastVisible: Uint8Array;
  /** Images scored so far. */
  calls = 0;

  /**
   * @throws ShapeMismatchError when the segmentation or fill do not match the image or the game's M;
   *   InvalidOptionError for bad options or a segment the fill leaves unchanged.
   */
  constructor(readonly game: Game, board: GameBoard, options: Partial<GameModelOptions> = {}) {
    const o: GameModelOptions = { ...DEFAULT_GAME_MODEL_OPTIONS, ...options };
    if (o.layout !== 'NCHW' && o.layout !== 'NHWC') throw new InvalidOptionError(`GameModel: layout must be "NCHW" or "NHWC", got "${String(o.layout)}".`);
    if (!(o.visibleFraction > 0 && o.visibleFraction < 1)) {
      throw new InvalidOptionError(`GameModel: visibleFraction must be in (0, 1), got ${o.visibleFraction}. 0.5 is the majority rule.`);
    }
    this.options = o;
    const { image, segments, fill } = board;
    const { width, height } = image;
    validateSegmentMap(segments, width, height, 'GameModel');
    if (segments.count !== game.numPlayers) {
      throw new ShapeMismatchError(`GameModel: the segmentation has ${segments.count} segments but game "${game.id}" has ${game.numPlayers} players. Build the game with one player per segment.`);
    }
    if (fill && (fill.width !== width || fill.height !== height)) {
      throw new ShapeMismatchError(`GameModel: fill must be ${width}×${height} like the image, got ${fill.width}×${fill.height}.`);
    }
    const channels = 3;
    const normalization = normalizationForChannels(o.normalization, channels);
    this.input = { width, height, channels, layout: o.layout, normalization, resize: 'stretch' };
    this.id = `game-${game.id}`;
    this.classNames = [game.id, `1 - ${game.id}`];
    this.info = { game: game.id, players: game.numPlayers, visibleFraction: o.visibleFraction };
    const size = width * height * channels;
    const hw = width * height;
    this.reference = new Float32Array(size);
    writeNormalized(image, this.input, this.reference);
    this.elementSegment = new Int32Array(size);
    this.toleranceChannel = new Int32Array(size);
    for (let c = 0; c < channels; c++) {
      for (let p = 0; p < hw; p++) {
        const idx = o.layout === 'NCHW' ? c * hw + p : p * channels + c;
        this.elementSegment[idx] = segments.labels[p];
        this.toleranceChannel[idx] = c;
      }
    }
    // Half a grey level in normalised units, per channel (far above float32 rounding).
    this.tolerance = Float32Array.from(normalization.std, (s) => (0.5 * normalization.scale) / s);
    const M = segments.count;
    this.compared = new Uint8Array(size).fill(1);
    if (fill) {
      const fillNorm = new Float32Array(size);
      writeNormalized(fill, this.input, fillNorm);
      for (let i = 0; i < size; i++) {
        if (Math.abs(fillNorm[i] - this.reference[i]) <= this.tolerance[this.toleranceChannel[i]]) this.compared[i] = 0;
      }
    }
    this.comparedCount = new Float64Array(M);
    for (let i = 0; i < size; i++) this.comparedCount[this.elementSegment[i]] += this.compared[i];
    const blind = this.comparedCount.findIndex((n) => n === 0);
    if (blind >= 0) {
      throw new InvalidOptionError(
        `GameModel: the fill equals the original on every pixel of segment ${blind}, so switching it off changes nothing the model can see. Use a fill that differs (e.g. a constant colour), or merge that segment.`,
      );
    }
    this.lastVisible = new Uint8Array(M);
  }

  /** Which segments image `index` of `batch` shows (1 = visible), by the rule of {@link GameModel}. */
  readVisible(batch: Float32Array, index: number, out: Uint8Array = new Uint8Array(this.game.numPlayers)): Uint8Array {
    const size = this.reference.length;
    const M = this.game.numPlayers;
    if (batch.length < (index + 1) * size) {
      throw new ShapeMismatchError(`GameModel: batch holds ${Math.floor(batch.length / size)} images of ${size} values, image ${index} was asked for.`);
    }
    const match = new Float64Array(M);
    const { reference, elementSegment, compared, tolerance, toleranceChannel } = this;
    const off = index * size;
    for (let i = 0; i < size; i++) {
      if (compared[i] && Math.abs(batch[off + i] - reference[i]) <= tolerance[toleranceChannel[i]]) match[elementSegment[i]]++;
    }
    for (let j = 0; j < M; j++) out[j] = match[j] > this.options.visibleFraction * this.comparedCount[j] ? 1 : 0;
    return out;
  }

  predict(batch: Float32Array, count: number): Promise<Float32Array> {
    const out = new Float32Array(count * 2);
    for (let b = 0; b < count; b++) {
      this.readVisible(batch, b, this.lastVisible);
      const v = this.game.value(this.lastVisible);
      out[2 * b] = v;
      out[2 * b + 1] = 1 - v;
    }
    this.calls += count;
    return Promise.resolve(out);
  }

  dispose(): Promise<void> {
    return Promise.resolve();
  }
}
