/**
 * Preloaded by the bench into a CLI child (`node --import …/peak-rss-hook.js dist/cli/knsim.js …`):
 * when the process exits, it writes its peak resident memory (KiB) as the last line on stderr,
 * so the bench measures the CLI exactly as a user runs it. Wall-clock free; bench-only.
 *
 * On Linux the figure is the process's own high-water mark, `VmHWM` of /proc/self/status:
 * `getrusage`'s `ru_maxrss` (process.resourceUsage().maxRSS) carries over an exec the RSS the
 * process had when it was forked, so a child of a big parent (a test runner's worker of 160 MB)
 * would report at least its parent's size. Elsewhere it falls back to `ru_maxrss`.
 */
import { readFileSync, writeSync } from 'node:fs';

/** Peak resident memory in KiB: VmHWM where /proc has it, else ru_maxrss. */
function peakRssKb(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (hwm !== undefined) return Number(hwm);
  } catch {
    // No /proc (macOS, Windows): getrusage's figure.
  }
  return process.resourceUsage().maxRSS;
}

process.on('exit', () => {
  writeSync(2, `\nknsim-bench-peak-rss-kb ${peakRssKb()}\n`);
});
