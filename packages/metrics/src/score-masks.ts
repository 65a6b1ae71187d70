import { inputSlots, InvalidOptionError, LimekitError, ModelError, throwIfAborted, type ModelAdapter, type PerturbationWriter } from '@limekit/core';

/** Options of {@link scoreMasks}. */
export interface ScoreMasksOptions {
  /** Images per model call (capped by the model's `maxBatchSize`). */
  readonly batchSize: number;
  /** Cancels between model calls and is passed on to the model. */
  readonly signal?: AbortSignal | null;
}

/**
 * Scores `count` perturbed images, given by their segment masks, and returns the model's
 * probability of `label` for each.
 *
 * Masks are asked for one at a time (`maskRow(i, row)` fills `row`: 1 = the segment shows the
 * image, 0 = it shows the fill) and written straight into the model's input buffer by core's
 * {@link PerturbationWriter}, in batches, as the explainer does: for a model that computes off
 * the calling thread ({@link ModelAdapter.offThread}) two input buffers, so the next batch is
 * written while the model scores the current one; otherwise one, one batch at a time. Neither the images nor the masks
 * are ever all in memory.
 *
 * @param model the classifier; called `⌈count / batch⌉` times.
 * @param writer built from the instance, the fill and the segment map at the model's view size.
 * @param numSegments M, the length of a mask row.
 * @param count how many images to score (>= 1).
 * @param maskRow fills `row` (length M, zeroed beforehand) with the mask of image `i`.
 * @param label class index whose probability is returned.
 * @returns `count` probabilities, in mask order.
 * @throws InvalidOptionError for a bad batch size; ModelError when the model fails or returns
 *   the wrong number of values or a non-finite value; AbortedError when `signal` aborts.
 */
export async function scoreMasks(
  model: ModelAdapter,
  writer: PerturbationWriter,
  numSegments: number,
  count: number,
  maskRow: (i: number, row: Uint8Array) => void,
  label: number,
  options: ScoreMasksOptions,
): Promise<Float64Array> {
  const { batchSize } = options;
  const signal = options.signal ?? undefined;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidOptionError(`scoreMasks: batchSize must be an integer >= 1, got ${batchSize}. Use a positive batch size such as 64.`);
  }
  const M = numSegments, C = model.numClasses;
  const batch = Math.max(1, Math.min(batchSize, model.maxBatchSize ?? batchSize, count));
  // What each batch slot holds (the writer's update may rewrite only what changed).
  const { buffers, masks: slotMask, filled: slotFilled } = inputSlots(model, writer, batch, M);
  const slots = buffers.length;
  const row = new Uint8Array(M);
  const out = new Float64Array(count);

  const predict = async (b: number, first: number, n: number): Promise<void> => {
    let probs: Float32Array;
    try {
      probs = await model.predict(buffers[b], n, signal ? { signal } : undefined);
    } catch (err) {
      if (err instanceof LimekitError) throw err;
      throw new ModelError(`Model "${model.id}" failed on images ${first}..${first + n - 1}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (probs.length !== n * C) {
      throw new ModelError(`Model "${model.id}" returned ${probs.length} values for a batch of ${n} images; expected ${n} × ${C} classes.`);
    }
    for (let r = 0; r < n; r++) {
      const v = probs[r * C + label];
      if (!Number.isFinite(v)) throw new ModelError(`Model "${model.id}" returned a non-finite probability (${v}) for image ${first + r}, class ${label}. Check the model and its preprocessing.`);
      out[first + r] = v;
    }
  };

  let pending: Promise<void> | undefined;
  let current = 0;
  for (let first = 0; first < count; first += batch) {
    throwIfAborted(signal);
    const n = Math.min(batch, count - first);
    const input = buffers[current], masks = slotMask[current], filled = slotFilled[current];
    for (let r = 0; r < n; r++) {
      row.fill(0);
      maskRow(first + r, row);
      if (filled[r]) writer.update(masks, r * M, row, 0, input, r * writer.imageSize);
      else writer.write(row, 0, input, r * writer.imageSize);
      masks.set(row, r * M);
      filled[r] = 1;
    }
    const scoring = predict(current, first, n);
    // A failure surfaces through the await below; this only keeps Node from reporting it twice.
    scoring.catch(() => undefined);
    if (slots === 1) {
      // One buffer: it must be scored before the next batch is written into it.
      await scoring;
    } else {
      if (pending) await pending;
      pending = scoring;
    }
    current = (current + 1) % slots;
  }
  if (pending) await pending;
  // Done with the input buffers: the writer's memory can serve the next scoring.
  writer.releaseSlots();
  return out;
}
