import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeNpyFloat32, decodeNpyInt32 } from '@limekit/lime';
import { describe, expect, it } from 'vitest';
import { cli, demo, tempDir } from '../test/helpers.js';

const MODEL = demo('model/shapes.onnx');
const LABELS = demo('model/labels.json');
const CIRCLE = demo('images/circle-1.png'); // 320×240
const STAR = demo('images/star-1.png');
const base = (image: string, out: string, ...more: string[]) => ['explain', '--model', MODEL, '--labels', LABELS, '--image', image, '--out', out, '--samples', '40', '--quiet', ...more];

describe('limekit explain: what it writes', () => {
  it('replaces an earlier explanation in --out (no stale overlays) and says which files it replaced', async () => {
    const out = join(await tempDir(), 'out');
    expect((await cli(base(CIRCLE, out, '--top-labels', '2', '--html'))).code).toBe(0);
    const first = (await readdir(out)).sort();
    expect(first).toContain('label-1-square.overlay.png');
    expect(first).toContain('explanation.html');
    const second = await cli([...base(STAR, out, '--top-labels', '1', '--label', 'star')].filter((a) => a !== '--quiet'));
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/note: .*out held an earlier explanation; replaced its \d+ files \(.*label-1-square\.overlay\.png.*\)/);
    const files = (await readdir(out)).sort();
    expect(files).toEqual(['attribution-3.npy', 'explanation.json', 'label-3-star.heatmap.png', 'label-3-star.hide-rest.png', 'label-3-star.overlay.png', 'segments.npy']);
  });

  it('refuses a --out that holds files it did not write, naming them, and leaves them alone', async () => {
    const out = join(await tempDir(), 'mine');
    await mkdir(out);
    await writeFile(join(out, 'thesis.tex'), 'precious');
    const r = await cli(base(CIRCLE, out));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--out .*mine is not empty and holds files limekit explain did not write \(thesis\.tex\)\. Choose an empty or new folder/);
    expect(await readdir(out)).toEqual(['thesis.tex']);
  });

  it('records the resize and crop settings and the crop box on the original image', async () => {
    const out = join(await tempDir(), 'out');
    expect((await cli(base(CIRCLE, out, '--top-labels', '1', '--resize-to', '160'))).code).toBe(0);
    const json = JSON.parse(await readFile(join(out, 'explanation.json'), 'utf8'));
    // 320×240 → shorter side 160: 213×160 (torchvision int(160·320/240)); centre 128×128 crop at (42, 16).
    expect(json.view).toEqual({ width: 128, height: 128 });
    expect(json.viewFromImage).toMatchObject({ resize: 'center-crop', resizeTo: 160, interpolation: 'bilinear', resized: { width: 213, height: 160 } });
    const box = json.viewFromImage.cropBox;
    expect(Math.abs(box.x - (42 * 320) / 213)).toBeLessThan(1e-3);
    expect(Math.abs(box.y - (16 * 240) / 160)).toBeLessThan(1e-3);
    expect(Math.abs(box.width - (128 * 320) / 213)).toBeLessThan(1e-3);
    expect(Math.abs(box.height - (128 * 240) / 160)).toBeLessThan(1e-3);
    const out2 = join(await tempDir(), 'out');
    expect((await cli(base(CIRCLE, out2, '--top-labels', '1', '--resize', 'stretch'))).code).toBe(0);
    const stretch = JSON.parse(await readFile(join(out2, 'explanation.json'), 'utf8')).viewFromImage;
    expect(stretch.cropBox).toEqual({ x: 0, y: 0, width: 320, height: 240 });
  });

  it('writes attribution-<index>.npy per label: float32 H×W at the view, each pixel its segment weight', async () => {
    const out = join(await tempDir(), 'out');
    expect((await cli(base(CIRCLE, out, '--top-labels', '2'))).code).toBe(0);
    const json = JSON.parse(await readFile(join(out, 'explanation.json'), 'utf8'));
    const seg = decodeNpyInt32(await readFile(join(out, 'segments.npy')));
    for (const label of json.labels as { index: number; weights: number[] }[]) {
      expect(json.files.attributions[String(label.index)]).toBe(`attribution-${label.index}.npy`);
      const raw = await readFile(join(out, `attribution-${label.index}.npy`));
      expect(raw.subarray(0, 80).toString('latin1')).toContain("'descr': '<f4'");
      const map = decodeNpyFloat32(raw);
      expect(map.shape).toEqual([128, 128]);
      expect(map.shape).toEqual(seg.shape);
      let worst = 0;
      for (let p = 0; p < map.data.length; p++) worst = Math.max(worst, Math.abs(map.data[p] - Math.fround(label.weights[seg.data[p]])));
      expect(worst).toBe(0);
    }
  });

  it('warns when the model output barely varies across the samples (the README example)', async () => {
    const out = join(await tempDir(), 'out');
    const r = await cli(['explain', '--model', MODEL, '--labels', LABELS, '--image', STAR, '--out', out, '--samples', '200', '--seed', '7', '--label', 'star']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: the model's output barely varies across the 200 samples \(range < 0\.001\) for star \(3\)/);
  });
});
