import type { SampleBlock } from '@limekit/core';

/**
 * Writes `table[k]` for each row of `block`, k its number of ones: the weighing of every kernel
 * whose weight depends only on how many segments a row keeps (exponential on the mask distances,
 * Shapley).
 */
export function weighByOnes(block: SampleBlock, numFeatures: number, table: Float64Array, out: Float64Array): void {
  const { rows, count } = block;
  for (let r = 0; r < count; r++) {
    let ones = 0;
    const base = r * numFeatures;
    for (let j = 0; j < numFeatures; j++) ones += rows[base + j];
    out[r] = table[ones];
  }
}
