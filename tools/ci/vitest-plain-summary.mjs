// Prints one plain closing line, "Tests: N passed, N failed[, N skipped]", after Vitest's own
// summary, so that CI logs can be read by tools that do not parse Vitest's output.
export default class PlainSummaryReporter {
  onTestRunEnd(testModules) {
    let passed = 0, failed = 0, skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
    }
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
