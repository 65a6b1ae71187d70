import { existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CENTRE_LABELS, CENTRE_MODEL, cli, demo, tempDir, writeSquareImages } from '../test/helpers.js';

const CHROMIUM = process.env.LIMEKIT_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  // Printed, not silent: .ci/run installs Debian's chromium, so CI always runs this test.
  console.warn(`SKIPPED report browser test: no Chromium at ${CHROMIUM} (apt-get install chromium, or set LIMEKIT_CHROMIUM).`);
}

describe.skipIf(!haveChromium)('report.html in a real browser (Chromium via playwright-core)', () => {
  it('opens from disk with no console errors and shows the charts and the image grid', async () => {
    const dir = await tempDir('limekit-report-');
    await writeSquareImages(dir, 2);
    const plan = {
      models: [{ name: 'centre', path: CENTRE_MODEL, preprocess: 'unit', labels: CENTRE_LABELS }],
      images: [{ name: 'squares', dir: 'images', masks: 'masks' }],
      configs: [
        { name: 'grid', preset: 'lime', segmenter: { use: 'grid', options: { nRows: 4, nCols: 4 } } },
        { name: 'slic', preset: 'lime', segmenter: { use: 'slic', options: { nSegments: 16 } } },
      ],
      seeds: [0, 1],
      numSamples: 80,
    };
    await writeFile(join(dir, 'plan.json'), JSON.stringify(plan));
    const out = join(dir, 'out');
    const r = await cli(['evaluate', '--plan', join(dir, 'plan.json'), '--out', out, '--quiet']);
    expect(r.code).toBe(0);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (req) => !req.url().startsWith('file:') && !req.url().startsWith('data:') && requests.push(req.url()));
      await page.goto(pathToFileURL(join(out, 'report.html')).href, { waitUntil: 'load' });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]); // nothing from the network
      const charts = await page.locator('figure.chart svg').count();
      expect(charts).toBeGreaterThanOrEqual(3); // distributions, deletion, insertion (+ quality vs time)
      const marks = await page.locator('figure.chart svg path, figure.chart svg line, figure.chart svg rect').count();
      expect(marks).toBeGreaterThan(20); // the charts are drawn, not empty frames
      const thumbs = page.locator('table.grid img.thumb');
      expect(await thumbs.count()).toBe(2 * 2);
      const loaded = await thumbs.evaluateAll((imgs) => imgs.every((i) => (i as unknown as { complete: boolean; naturalWidth: number }).complete && (i as unknown as { naturalWidth: number }).naturalWidth > 0));
      expect(loaded).toBe(true);
      expect(await page.locator('table.summary td.best').count()).toBeGreaterThan(0);
      // New parts: the random control row, the significance matrices (one per metric, row ×
      // column over the three configurations) and their hover text, no ★ with two images.
      expect(await page.locator('table.summary tr.control th').innerText()).toMatch(/^random/);
      const matrices = page.locator('#significance table.significance');
      expect(await matrices.count()).toBeGreaterThan(3);
      const del = page.locator('table.significance[data-metric="deletion"]');
      expect(await del.locator('tbody tr').count()).toBe(3);
      expect(await del.locator('td.diag').count()).toBe(3);
      expect(await del.locator('td[title*="Holm p ="]').count()).toBe(6);
      expect(await page.locator('table.summary td.significant').count()).toBe(0);
      const box = await del.boundingBox();
      expect(box && box.width > 100 && box.height > 40).toBe(true); // laid out, not collapsed
      const shot = join(out, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect((await stat(shot)).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('sanity.html opens from disk with the cascade overlays and the chart', async () => {
    const out = join(await tempDir('limekit-sanity-page-'), 'out');
    const r = await cli(['sanity', '--model', demo('model/shapes.onnx'), '--labels', demo('model/labels.json'), '--image', demo('images/circle-1.png'), '--samples', '60', '--max-layers', '1', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('request', (req) => !req.url().startsWith('file:') && !req.url().startsWith('data:') && requests.push(req.url()));
      await page.goto(pathToFileURL(join(out, 'sanity.html')).href, { waitUntil: 'load' });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      const imgs = page.locator('#cascade img');
      expect(await imgs.count()).toBe(2); // original + 1 layer randomised
      expect(await imgs.evaluateAll((xs) => xs.every((i) => (i as unknown as { naturalWidth: number }).naturalWidth > 0))).toBe(true);
      expect(await page.locator('figure.chart svg path').count()).toBeGreaterThan(3);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
