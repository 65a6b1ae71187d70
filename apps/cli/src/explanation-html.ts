import type { Explanation, RgbImage } from '@limekit/core';
import { thumbnailPng } from '@limekit/image';

/** Longest side of the picture in explanation.html; larger photos are shown scaled down. */
export const HTML_MAX_SIDE = 800;

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that is safe inside a `<script>` element (no `</script>`, no `<!--`, no U+2028/2029 surprises). */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** What the page shows. */
export interface ExplanationPageInput {
  readonly exp: Explanation;
  /** The image at its own resolution. */
  readonly original: RgbImage;
  /** Segment id of every original pixel, −1 where the crop cut it away (segmentsToOriginal). */
  readonly segmentsAtOriginal: Int32Array;
  /** Shown in the title: the image and model file names. */
  readonly imageName: string;
  readonly modelName: string;
  /** Default of the features slider (the CLI's --num-features). */
  readonly numFeatures: number;
}

/**
 * A self-contained interactive page (explanation.html): the image with segments coloured by
 * weight, a slider for the number of features, positive / negative / both, a label chooser, and a
 * segment's weight (± its std when the surrogate gives one) under the pointer. Static: the picture
 * and the data are inlined, a Content-Security-Policy forbids any network access, and every name
 * from the model or the file system is escaped (text is set with textContent in the script).
 */
export async function renderExplanationHtml(input: ExplanationPageInput): Promise<string> {
  const { exp, original, segmentsAtOriginal, imageName, modelName, numFeatures } = input;
  const { width: W, height: H } = original;
  const scale = Math.min(1, HTML_MAX_SIDE / Math.max(W, H));
  const dw = Math.max(1, Math.round(W * scale));
  const dh = Math.max(1, Math.round(H * scale));
  const png = await thumbnailPng(original, dw);
  // Segment ids at the displayed size, nearest neighbour; 0 = outside the model's view, id + 1 otherwise.
  const M = exp.segments.count;
  const bytes = M + 1 <= 256 ? 1 : 2;
  const map = bytes === 1 ? new Uint8Array(dw * dh) : new Uint16Array(dw * dh);
  for (let y = 0; y < dh; y++) {
    const oy = Math.min(H - 1, Math.floor(((y + 0.5) * H) / dh));
    for (let x = 0; x < dw; x++) {
      const ox = Math.min(W - 1, Math.floor(((x + 0.5) * W) / dw));
      map[y * dw + x] = segmentsAtOriginal[oy * W + ox] + 1;
    }
  }
  const data = {
    width: dw,
    height: dh,
    bytesPerId: bytes,
    segments: Buffer.from(map.buffer, map.byteOffset, map.byteLength).toString('base64'),
    numSegments: M,
    numFeatures: Math.min(numFeatures, M),
    labels: exp.labels.map((l) => ({
      index: l.index,
      name: l.name ?? `class ${l.index}`,
      probability: l.probability,
      weights: Array.from(l.weights),
      ...(l.weightStd ? { std: Array.from(l.weightStd) } : {}),
    })),
  };
  const title = `limekit explanation: ${imageName} · ${modelName}`;
  const sur = (exp.config as Record<string, unknown>).surrogate;
  const surrogate = typeof sur === 'object' && sur !== null ? String((sur as { id?: unknown }).id ?? '') : String(sur ?? '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.2em; margin: 0 0 .3em; }
.meta { color: #555; margin-bottom: 1em; }
.controls { display: flex; flex-wrap: wrap; gap: 1.2em; align-items: center; margin-bottom: .8em; }
.controls label { display: inline-flex; gap: .4em; align-items: center; }
#stage { position: relative; display: inline-block; }
canvas { display: block; image-rendering: auto; border: 1px solid #ccc; }
#info { min-height: 1.4em; margin-top: .5em; font-variant-numeric: tabular-nums; }
.legend span { display: inline-block; width: 1em; height: 1em; vertical-align: -0.15em; margin: 0 .3em 0 .8em; }
</style>
</head>
<body>
<h1>${escapeHtml(imageName)}</h1>
<div class="meta">model ${escapeHtml(modelName)} · ${M} segments · ${exp.numSamples} samples · seed ${exp.seed} · ${escapeHtml(surrogate)} surrogate</div>
<div class="controls">
  <label>label <select id="label"></select></label>
  <label>features <input id="k" type="range" min="1" max="${M}" value="${data.numFeatures}"> <output id="kval">${data.numFeatures}</output></label>
  <span role="radiogroup">
    <label><input type="radio" name="sign" value="positive" checked> positive</label>
    <label><input type="radio" name="sign" value="negative"> negative</label>
    <label><input type="radio" name="sign" value="both"> both</label>
  </span>
  <span class="legend"><span style="background:#1a9641"></span>supports the label<span style="background:#d7191c"></span>speaks against it</span>
</div>
<div id="stage"><canvas id="view" width="${dw}" height="${dh}"></canvas></div>
<div id="info">Point at a segment to read its weight.</div>
<img id="photo" alt="" hidden src="data:image/png;base64,${png.toString('base64')}">
<script type="application/json" id="data">${scriptJson(data)}</script>
<script>
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('data').textContent);
  var raw = atob(D.segments), ids = new Int32Array(D.width * D.height);
  for (var i = 0; i < ids.length; i++) ids[i] = (D.bytesPerId === 1 ? raw.charCodeAt(i) : raw.charCodeAt(2 * i) | (raw.charCodeAt(2 * i + 1) << 8)) - 1;
  var canvas = document.getElementById('view'), ctx = canvas.getContext('2d');
  var photo = document.getElementById('photo'), select = document.getElementById('label');
  var slider = document.getElementById('k'), kval = document.getElementById('kval'), info = document.getElementById('info');
  D.labels.forEach(function (l, i) {
    var o = document.createElement('option');
    o.value = String(i);
    o.textContent = l.name + ' (index ' + l.index + ', p = ' + l.probability.toFixed(4) + ')';
    select.appendChild(o);
  });
  var base = null;
  function fmt(x) {
    var a = Math.abs(x), s = a === 0 ? '0' : (a >= 0.01 && a < 1000 ? a.toPrecision(3) : a.toExponential(2));
    return (x < 0 ? '\\u2212' : '+') + s;
  }
  function sign() { return document.querySelector('input[name=sign]:checked').value; }
  function chosen(l, k, mode) {
    var order = l.weights.map(function (w, s) { return s; });
    order = order.filter(function (s) { return mode === 'both' ? l.weights[s] !== 0 : mode === 'positive' ? l.weights[s] > 0 : l.weights[s] < 0; });
    order.sort(function (a, b) { return Math.abs(l.weights[b]) - Math.abs(l.weights[a]) || a - b; });
    var set = new Uint8Array(D.numSegments), rank = new Int32Array(D.numSegments).fill(-1);
    order.forEach(function (s, r) { rank[s] = r + 1; if (r < k) set[s] = 1; });
    return { set: set, rank: rank };
  }
  function draw() {
    if (!base) return;
    var l = D.labels[Number(select.value)], k = Number(slider.value), mode = sign();
    kval.textContent = String(k);
    var pick = chosen(l, k, mode).set;
    var max = 0;
    l.weights.forEach(function (w) { max = Math.max(max, Math.abs(w)); });
    var img = ctx.createImageData(D.width, D.height), px = img.data, src = base.data;
    for (var p = 0; p < ids.length; p++) {
      var s = ids[p], o = 4 * p, r = src[o], g = src[o + 1], b = src[o + 2];
      if (s < 0) { r *= 0.25; g *= 0.25; b *= 0.25; }
      else if (pick[s]) {
        var w = l.weights[s], a = 0.25 + 0.5 * (max > 0 ? Math.abs(w) / max : 0);
        var c = w >= 0 ? [26, 150, 65] : [215, 25, 28];
        r = r * (1 - a) + c[0] * a; g = g * (1 - a) + c[1] * a; b = b * (1 - a) + c[2] * a;
      } else { r = r * 0.45 + 40; g = g * 0.45 + 40; b = b * 0.45 + 40; }
      var edge = (p % D.width < D.width - 1 && ids[p + 1] !== s) || (p + D.width < ids.length && ids[p + D.width] !== s);
      if (edge && s >= 0 && pick[s]) { r = 255; g = 255; b = 0; }
      px[o] = r; px[o + 1] = g; px[o + 2] = b; px[o + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }
  function hover(ev) {
    var rect = canvas.getBoundingClientRect();
    var x = Math.floor((ev.clientX - rect.left) * D.width / rect.width), y = Math.floor((ev.clientY - rect.top) * D.height / rect.height);
    if (x < 0 || y < 0 || x >= D.width || y >= D.height) return;
    var s = ids[y * D.width + x], l = D.labels[Number(select.value)];
    if (s < 0) { info.textContent = 'outside the model\\'s view (cropped away)'; return; }
    var rank = chosen(l, 0, 'both').rank[s];
    info.textContent = 'segment #' + s + ': weight ' + fmt(l.weights[s]) + (l.std ? ' \\u00b1 ' + l.std[s].toPrecision(2) : '') + (rank > 0 ? ' (rank ' + rank + ' of ' + D.numSegments + ' by |weight|)' : '') + ' \\u00b7 ' + l.name;
    canvas.dataset.segment = String(s);
  }
  function ready() {
    var c = document.createElement('canvas');
    c.width = D.width; c.height = D.height;
    var cx = c.getContext('2d');
    cx.drawImage(photo, 0, 0, D.width, D.height);
    base = cx.getImageData(0, 0, D.width, D.height);
    draw();
    document.body.dataset.ready = 'true';
  }
  select.addEventListener('change', draw);
  slider.addEventListener('input', draw);
  document.querySelectorAll('input[name=sign]').forEach(function (r) { r.addEventListener('change', draw); });
  canvas.addEventListener('mousemove', hover);
  if (photo.complete && photo.naturalWidth) ready(); else photo.addEventListener('load', ready);
})();
</script>
</body>
</html>
`;
}
