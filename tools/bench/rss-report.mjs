// Preloaded into a benchmarked process (`node --import ./rss-report.mjs …`): when the process
// exits, appends one JSON line to the file named by LIMEKIT_BENCH_RSS_FILE with its peak RSS in
// bytes and its CPU seconds (user + system, all threads). Peak RSS only means something per
// process, and `limekit explain` has no reason to print its own; CPU seconds are less sensitive
// than wall time to other work on a shared machine.
import { appendFileSync } from 'node:fs';

const file = process.env.LIMEKIT_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    appendFileSync(file, JSON.stringify({ peakRssBytes: u.maxRSS * 1024, cpuS: (u.userCPUTime + u.systemCPUTime) / 1e6 }) + '\n');
  });
}
