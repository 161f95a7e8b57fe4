/**
 * Preloaded by the bench into a CLI child (`node --import …/peak-rss-hook.js dist/cli/main.js …`):
 * when the process exits, it writes its peak resident memory (KiB) as the last line on stderr,
 * so the bench measures the CLI exactly as a user runs it. Wall-clock free; bench-only.
 */
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\nknsim-bench-peak-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
