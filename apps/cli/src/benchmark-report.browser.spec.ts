import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cli, demo, tempDir } from '../test/helpers.js';

const CHROMIUM = process.env.LIMEKIT_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  // Printed, not silent: .ci/run installs Debian's chromium, so CI always runs this test.
  console.warn(`SKIPPED benchmark report browser test: no Chromium at ${CHROMIUM} (apt-get install chromium, or set LIMEKIT_CHROMIUM).`);
}

describe.skipIf(!haveChromium)('benchmark report.html in a real browser (Chromium via playwright-core)', () => {
  it('opens from disk with no console errors and draws the curves with bands on a log axis', async () => {
    const dir = await tempDir('limekit-bench-report-');
    const plan = {
      games: [
        { name: 'additive', kind: 'additive', M: 8, image: demo('images/star-1.png'), size: [32, 24] },
        { name: 'and', kind: 'and', M: 8, image: demo('images/star-1.png'), size: [32, 24] },
      ],
      configs: [{ name: 'lime', preset: 'lime' }, { name: 'kernelshap', preset: 'kernelshap' }, { name: 'baylime', preset: 'baylime' }],
      budgets: [32, 64, 128],
      seeds: [0, 1],
    };
    await writeFile(join(dir, 'plan.json'), JSON.stringify(plan));
    const out = join(dir, 'out');
    const r = await cli(['benchmark', '--plan', join(dir, 'plan.json'), '--out', out, '--quiet']);
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
      // relative L2, top-k, Spearman, coverage (BayLIME reports standard errors).
      expect(await page.locator('figure.chart svg').count()).toBe(4);
      const specs = await page.locator('script.vega-lite-spec').evaluateAll((els) => els.map((e) => JSON.parse(e.textContent ?? '{}') as { spec: { layer: { mark: { type: string }; encoding: { x?: { scale?: { type?: string } } } }[] } }));
      for (const s of specs) {
        expect(s.spec.layer[0].mark.type).toBe('area'); // the interval band
        expect(s.spec.layer[1].encoding.x!.scale!.type).toBe('log');
      }
      // Drawn, not empty frames: the band areas and the curves' lines are paths in every panel.
      const first = page.locator('figure.chart').first();
      expect(await first.locator('svg path').count()).toBeGreaterThan(2 * 3 * 2);
      const box = await first.locator('svg').boundingBox();
      expect(box && box.width > 400 && box.height > 150).toBe(true);
      expect(await page.locator('table.numbers').count()).toBe(3); // two games and "all"
      expect(await page.locator('table.numbers[data-game="all"] small.coverage').count()).toBe(3); // baylime × 3 budgets
      expect(await page.locator('table.targets tbody tr').count()).toBe(3);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
