import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cli, demo, tempDir } from '../test/helpers.js';

const CHROMIUM = process.env.LIMEKIT_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  // Printed, not silent: .ci/run installs Debian's chromium, so CI always runs this test.
  console.warn(`SKIPPED manifold report browser test: no Chromium at ${CHROMIUM} (apt-get install chromium, or set LIMEKIT_CHROMIUM).`);
}

describe.skipIf(!haveChromium)('manifold report.html in a real browser (Chromium via playwright-core)', () => {
  it('opens from disk with no console errors and no requests, and draws the AUC bars, the PCA pictures and the confidence chart', async () => {
    const out = join(await tempDir('limekit-manifold-report-'), 'out');
    const r = await cli([
      'manifold', '--model', demo('bias-lab/biased.onnx'), '--images', demo('bias-lab/images'),
      '--config', demo('bias-lab/manifold/identical.json'), '--config', demo('bias-lab/manifold/constant.json'),
      '--embedding', '/ReduceMean_output_0', '--samples-per-image', '10', '--folds', '3', '--out', out, '--quiet',
    ]);
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
      expect(requests).toEqual([]);
      expect(await page.locator('figure.chart svg').count()).toBe(3);
      expect(await page.locator('table.summary tbody tr').count()).toBe(2);
      expect(await page.locator('table.summary tr[data-config="identical"] td.auc').innerText()).toMatch(/^0\.500/);
      // The PCA facets draw one symbol per real image and per sample: 2 × (12 + 120) points.
      const symbols = await page.locator('figure.chart').nth(1).locator('svg path[aria-roledescription="point"], svg .mark-symbol path').count();
      expect(symbols).toBeGreaterThanOrEqual(2 * (12 + 120));
      const box = await page.locator('figure.chart').first().boundingBox();
      expect(box && box.width > 200 && box.height > 40).toBe(true);
      const shot = join(out, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect((await stat(shot)).size).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  }, 300_000);
});
