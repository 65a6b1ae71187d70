import { InvalidOptionError, ShapeMismatchError } from '@limekit/core';

/**
 * Area under the ROC curve of `scores` for telling label 1 from label 0, by the Mann–Whitney
 * rank formula: AUC = (R₁ − n₁(n₁ + 1)/2) / (n₁·n₀), where R₁ is the sum of the ranks of the
 * positives among all scores and tied scores share their mean rank (so a tie between a positive
 * and a negative counts one half, as in scikit-learn's `roc_auc_score`).
 *
 * @param labels - 0 or 1 per sample (1 = positive, e.g. perturbed).
 * @param scores - a score per sample, larger = more likely positive.
 * @returns AUC in [0, 1]; 0.5 = the scores do not separate the classes.
 * @throws ShapeMismatchError when the lengths differ; InvalidOptionError when a label is not 0/1,
 *   a score is not finite, or a class is absent.
 * @see H. B. Mann, D. R. Whitney, Ann. Math. Statist. 18(1), 1947, doi:10.1214/aoms/1177730491;
 *   J. A. Hanley, B. J. McNeil, Radiology 143(1), 1982, doi:10.1148/radiology.143.1.7063747.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  if (scores.length !== n) {
    throw new ShapeMismatchError(`rocAuc: scores must have one value per label (${n}), got ${scores.length}. Pass labels and scores of the same samples.`);
  }
  let n1 = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new InvalidOptionError(`rocAuc: labels must be 0 or 1, got ${y} at index ${i}. Use 0 for real and 1 for perturbed.`);
    if (!Number.isFinite(scores[i])) throw new InvalidOptionError(`rocAuc: scores must be finite, got ${scores[i]} at index ${i}. Check the detector's output.`);
    n1 += y;
  }
  const n0 = n - n1;
  if (n1 === 0 || n0 === 0) {
    throw new InvalidOptionError(`rocAuc: both classes must be present, got ${n0} of label 0 and ${n1} of label 1. Pass samples of both classes.`);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const midRank = (i + j) / 2 + 1; // ranks are 1-based; ties share the mean rank
    for (let k = i; k <= j; k++) if (labels[order[k]] === 1) rankSum += midRank;
    i = j + 1;
  }
  return (rankSum - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}
