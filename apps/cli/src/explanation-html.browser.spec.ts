import { existsSync } from 'node:fs';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cli, demo, tempDir } from '../test/helpers.js';

const CHROMIUM = process.env.LIMEKIT_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`SKIPPED explanation.html browser test: no Chromium at ${CHROMIUM} (apt-get install chromium, or set LIMEKIT_CHROMIUM).`);
}

// Class and file names an attacker could choose: the page must show them as text, never run them.
const HOSTILE_CLASS = '<script>window.__pwned = 1</script>';
const HOSTILE_FILE = '<img src=x onerror="window.__pwned=2">.png';

describe.skipIf(!haveChromium)('explanation.html in a real browser (Chromium via playwright-core)', () => {
  it('opens from disk without network or console errors, escapes hostile names, and its slider, sign and hover work', async () => {
    const dir = await tempDir('limekit-html-');
    const image = join(dir, HOSTILE_FILE);
    await copyFile(demo('images/circle-1.png'), image);
    const labels = join(dir, 'labels.json');
    await writeFile(labels, JSON.stringify([HOSTILE_CLASS, 'square "quoted" & <b>bold</b>', 'triangle', 'star']));
    const out = join(dir, 'out');
    const r = await cli(['explain', '--model', demo('model/shapes.onnx'), '--labels', labels, '--image', image, '--out', out, '--samples', '120', '--top-labels', '2', '--preset', 'baylime', '--html', '--quiet']);
    expect(r.stderr).not.toMatch(/^limekit:/m); // the flat-output warning may appear
    expect(r.code).toBe(0);
    const html = await readFile(join(out, 'explanation.html'), 'utf8');
    expect(html).not.toContain(HOSTILE_CLASS);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;.png');

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      const errors: string[] = [];
      const requests: string[] = [];
      const dialogs: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('request', (req) => !req.url().startsWith('file:') && !req.url().startsWith('data:') && requests.push(req.url()));
      await page.goto(pathToFileURL(join(out, 'explanation.html')).href, { waitUntil: 'load' });
      await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      expect(dialogs).toEqual([]);
      expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
      expect(await page.locator('h1').textContent()).toBe(HOSTILE_FILE);
      const options = await page.locator('#label option').allTextContents();
      expect(options).toHaveLength(2);
      expect(options.some((o) => o.startsWith(HOSTILE_CLASS))).toBe(true); // shown as text

      // A hash of the canvas pixels (evaluated in the page, whose DOM types this project does not compile against).
      const pixels = () => page.evaluate(`(() => {
        const c = document.getElementById('view');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let h = 0;
        for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) % 1000000007;
        return h;
      })()`);
      const setSlider = (v: number) => page.evaluate(`(() => {
        const el = document.getElementById('k');
        el.value = '${v}';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      })()`);
      await page.locator('input[name=sign][value=both]').check();
      await setSlider(1);
      const one = await pixels();
      expect(await page.locator('#kval').textContent()).toBe('1');
      await setSlider(4);
      const four = await pixels();
      expect(await page.locator('#kval').textContent()).toBe('4');
      expect(four).not.toBe(one); // more segments coloured
      await page.locator('input[name=sign][value=positive]').check();
      const positive = await pixels();
      await page.locator('input[name=sign][value=negative]').check();
      expect(await pixels()).not.toBe(positive); // disjoint sets of segments
      await page.locator('#label').selectOption({ index: 1 });
      const box = (await page.locator('#view').boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const info = await page.locator('#info').textContent();
      expect(info).toMatch(/^segment #\d+: weight [+\u2212]\d[\d.e+\u2212-]* \u00b1 \d/); // baylime gives a std
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
