import { InvalidOptionError, type Rng } from '@limekit/core';

/**
 * Stratified k-fold assignment: each class's samples are shuffled with `rng` (Fisher–Yates) and
 * dealt to the folds in turn, so every fold holds ⌊n_c/k⌋ or ⌈n_c/k⌉ samples of each class c
 * (scikit-learn's `StratifiedKFold(shuffle=True)` up to the random numbers).
 *
 * @param labels - 0 or 1 per sample.
 * @param folds - number of folds k (≥ 2).
 * @param rng - the seeded stream that shuffles (the same stream gives the same folds).
 * @param minPerClassPerFold - the fewest samples of each class a fold must hold (default 2).
 * @returns the fold (0..k−1) of each sample.
 * @throws InvalidOptionError when k < 2 or a class has fewer than k·minPerClassPerFold samples;
 *   the message says how many samples or how few folds would do.
 */
export function stratifiedKFold(labels: ArrayLike<number>, folds: number, rng: Rng, minPerClassPerFold = 2): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) {
    throw new InvalidOptionError(`stratifiedKFold: folds must be an integer >= 2, got ${folds}. Use 5 (the default) or another k >= 2.`);
  }
  const byClass: number[][] = [[], []];
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new InvalidOptionError(`stratifiedKFold: labels must be 0 or 1, got ${y} at index ${i}. Use 0 for real and 1 for perturbed.`);
    byClass[y].push(i);
  }
  const need = folds * minPerClassPerFold;
  const [real, perturbed] = [byClass[0].length, byClass[1].length];
  if (real < need || perturbed < need) {
    const maxFolds = Math.floor(Math.min(real, perturbed) / minPerClassPerFold);
    const fix = maxFolds >= 2
      ? `Use at most ${maxFolds} folds, or more samples.`
      : `Use more samples: at least ${2 * minPerClassPerFold} of each class for 2 folds.`;
    throw new InvalidOptionError(
      `stratifiedKFold: each class must have at least folds × ${minPerClassPerFold} = ${need} samples so that every fold holds ${minPerClassPerFold} of each, got ${real} real (label 0) and ${perturbed} perturbed (label 1). ${fix}`,
    );
  }
  const fold = new Int32Array(labels.length);
  for (const members of byClass) {
    for (let i = members.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      const t = members[i]; members[i] = members[j]; members[j] = t;
    }
    members.forEach((sample, pos) => { fold[sample] = pos % folds; });
  }
  return fold;
}

/**
 * Group k-fold assignment: the groups (e.g. one per real image: the image and its perturbed
 * samples) are shuffled with `rng` (Fisher–Yates over the group ids in order of first appearance)
 * and dealt to the folds in turn, so that no group is split between training and held-out data
 * (scikit-learn's `GroupKFold`, with a seeded shuffle instead of its size balancing).
 *
 * @param groups - a group id per sample (any integers).
 * @param folds - number of folds k (≥ 2).
 * @param rng - the seeded stream that shuffles.
 * @param minGroupsPerFold - the fewest groups a fold must hold (default 2).
 * @returns the fold (0..k−1) of each sample.
 * @throws InvalidOptionError when k < 2 or there are fewer than k·minGroupsPerFold groups; the
 *   message says how many folds would do.
 */
export function groupKFold(groups: ArrayLike<number>, folds: number, rng: Rng, minGroupsPerFold = 2): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) {
    throw new InvalidOptionError(`groupKFold: folds must be an integer >= 2, got ${folds}. Use 5 (the default) or another k >= 2.`);
  }
  const ids: number[] = [];
  const seen = new Map<number, number>();
  for (let i = 0; i < groups.length; i++) {
    if (!seen.has(groups[i])) {
      seen.set(groups[i], ids.length);
      ids.push(groups[i]);
    }
  }
  const need = folds * minGroupsPerFold;
  if (ids.length < need) {
    const maxFolds = Math.floor(ids.length / minGroupsPerFold);
    const fix = maxFolds >= 2 ? `Use at most ${maxFolds} folds, or more groups (images).` : `Use at least ${2 * minGroupsPerFold} groups (images) for 2 folds.`;
    throw new InvalidOptionError(`groupKFold: there must be at least folds × ${minGroupsPerFold} = ${need} groups so that every fold holds ${minGroupsPerFold}, got ${ids.length}. ${fix}`);
  }
  const order = ids.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = order[i]; order[i] = order[j]; order[j] = t;
  }
  const foldOfGroup = new Int32Array(ids.length);
  order.forEach((g, pos) => { foldOfGroup[g] = pos % folds; });
  const fold = new Int32Array(groups.length);
  for (let i = 0; i < groups.length; i++) fold[i] = foldOfGroup[seen.get(groups[i])!];
  return fold;
}
