/**
 * The 256 possible channel values of {@link slicFeatures}: `img_as_float`, min–max rescaling
 * with the image's smallest and largest byte `lo`, `hi`, then sRGB gamma expansion when `convert2lab`.
 */
export function slicChannelTable(lo: number, hi: number, convert2lab: boolean): Float64Array {
  const min = lo * (1 / 255);
  const imax = hi * (1 / 255) - min;
  const table = new Float64Array(256);
  for (let b = 0; b < 256; b++) {
    let c = b * (1 / 255) - min;
    if (imax !== 0) c /= imax;
    table[b] = convert2lab ? (c > 0.04045 ? Math.pow((c + 0.055) / 1.055, 2.4) : c / 12.92) : c;
  }
  return table;
}
