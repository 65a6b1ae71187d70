// Screenshots of the evaluation report for docs/evaluation.md, from a real run of the demo plan:
//   npx limekit evaluate --plan demo/plan.json --out out/eval        (about 15 min on 2 busy cores)
//   node --conditions=@limekit/source --import tsx tools/docs/evaluation-report.ts out/eval [out/sanity]
// With a second folder (from `limekit sanity --model demo/model/shapes.onnx --labels
// demo/model/labels.json --image demo/images/circle-1.png --samples 300 --out out/sanity`) it
// also writes docs/img/sanity-demo.png.
// Opens out/eval/report.html from disk in headless Chromium (/usr/bin/chromium, or
// LIMEKIT_CHROMIUM) through playwright-core and writes docs/img/evaluation-report.png (summary
// table) and docs/img/evaluation-significance.png (the significance matrices).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = resolve(process.argv[2] ?? join(root, 'out/eval'));
const report = join(dir, 'report.html');
const executablePath = process.env.LIMEKIT_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(report)) throw new Error(`evaluation-report: ${report} does not exist. Run limekit evaluate --plan demo/plan.json --out ${dir} first.`);
if (!existsSync(executablePath)) throw new Error(`evaluation-report: no Chromium at ${executablePath}. apt-get install chromium, or set LIMEKIT_CHROMIUM.`);

const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
  await page.locator('table.summary').screenshot({ path: join(root, 'docs/img/evaluation-report.png') });
  // The first two rows of matrices (deletion, insertion, faithfulness, fidelity-r2): the rest look alike.
  const top = await page.locator('#significance').boundingBox();
  const last = await page.locator('table.significance[data-metric="fidelity-r2"]').boundingBox();
  if (!top || !last) throw new Error('evaluation-report: the report has no significance matrices; is it from this version of limekit?');
  await page.screenshot({ path: join(root, 'docs/img/evaluation-significance.png'), fullPage: true, clip: { x: top.x, y: top.y, width: top.width, height: last.y + last.height - top.y + 4 } });
  console.log('wrote docs/img/evaluation-report.png and docs/img/evaluation-significance.png');
  if (process.argv[3]) {
    await page.goto(pathToFileURL(join(resolve(process.argv[3]), 'sanity.html')).href, { waitUntil: 'load' });
    await page.screenshot({ path: join(root, 'docs/img/sanity-demo.png'), fullPage: true });
    console.log('wrote docs/img/sanity-demo.png');
  }
} finally {
  await browser.close();
}
