/**
 * `knsim fuzz <scenario>`: runs variants of a scenario drawn from its `vary:`, checks its
 * `invariants:` on each, and on the first failure shrinks it (fast-check) and writes the minimal
 * failing scenario beside the original (or to `--out`), printing the `knsim run` line that
 * replays it and the `knsim fuzz --seed --path` line that replays the search.
 * Exit codes: 0 every variant kept every invariant, 1 one broke, 2 bad input.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatDiagnostic } from '../index.js';
import { fuzzScenario } from '../testing/index.js';
import { EXIT_BAD_INPUT, EXIT_EXPECTATION_FAILED, EXIT_OK, UsageError } from './exit.js';
import type { LoadFlags } from './load.js';
import { writeOutput } from './output.js';
import { plantedBugsFromEnv, shellQuote } from './simulate.js';

export type FuzzFlags = Pick<LoadFlags, 'set'> & { runs?: string; seed?: string; path?: string; out?: string };

export function fuzzCommand(file: string, opts: FuzzFlags): number {
  const runs = opts.runs === undefined ? 100 : Number(opts.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs: expected a whole number of variants ≥ 1, got "${opts.runs}"`);
  // fast-check seeds are 32-bit integers; without one, the wall clock picks it (and it is printed).
  const seed = opts.seed === undefined ? Math.floor(Date.now() % 2_147_483_647) : Number(opts.seed);
  if (!Number.isInteger(seed) || Math.abs(seed) > 2_147_483_647)
    throw new UsageError(`--seed: expected a whole number (a 32-bit fast-check seed), got "${opts.seed}"`);
  if (opts.path !== undefined && !/^\d+(:\d+)*$/.test(opts.path)) throw new UsageError(`--path: expected a fast-check path such as 0:1:3, got "${opts.path}"`);
  const plantedBugs = plantedBugsFromEnv();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(
      `${file}: error: cannot read the scenario: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}\n`,
    );
    return EXIT_BAD_INPUT;
  }
  const started = performance.now();
  const showProgress = process.stderr.isTTY === true;
  const report = fuzzScenario(text, {
    file,
    readFile: (path) => readFileSync(path, 'utf8'),
    sets: opts.set ?? [],
    runs,
    seed,
    ...(opts.path !== undefined ? { path: opts.path } : {}),
    plantedBugs,
    onRun: (n) => {
      if (showProgress && performance.now() - started > 1000) process.stderr.write(`\r${basename(file)}: ${n} variant${n === 1 ? '' : 's'} run   `);
    },
  });
  if (showProgress) process.stderr.write('\r\x1b[K');
  const env = plantedBugs.length > 0 ? `KNSIM_PLANT_BUG=${plantedBugs.join(',')} ` : '';
  const sets = (opts.set ?? []).map((s) => ` --set ${shellQuote(s)}`).join('');
  switch (report.outcome) {
    case 'bad-input':
      for (const d of report.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      return EXIT_BAD_INPUT;
    case 'passed':
      process.stdout.write(
        `${basename(file)}: every invariant held in ${report.runs} variant${report.runs === 1 ? '' : 's'} (fuzz seed ${report.seed}${report.skipped > 0 ? `, ${report.skipped} invalid variants skipped` : ''})\n`,
      );
      return EXIT_OK;
    case 'failed': {
      const out = opts.out ?? join(dirname(file), `${basename(file).replace(/\.[^.]+$/, '')}.fuzz.yaml`);
      writeOutput(out, report.text, 'minimal scenario');
      const lines = report.text.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '').length;
      process.stdout.write(
        [
          `FAIL  ${report.invariant} broke after ${report.runs} variant${report.runs === 1 ? '' : 's'}, shrunk in ${report.shrinks} step${report.shrinks === 1 ? '' : 's'}:`,
          ...report.message.split('\n').map((l) => `        ${l}`),
          `minimal variant: ${report.values.map((v) => `${v.path}=${v.value}`).join(', ')}${report.removed.length > 0 ? `; without ${report.removed.join(', ')}` : ''}`,
          `wrote ${out} (${lines} lines)${report.replayed ? '' : ' — note: running it again did not break the invariant'}`,
          'Replay the failure with:',
          `  ${env}knsim run ${shellQuote(out)}`,
          'Replay the search with:',
          `  ${env}knsim fuzz ${shellQuote(file)} --seed ${report.seed} --path ${report.path}${sets}`,
          '',
        ].join('\n'),
      );
      return EXIT_EXPECTATION_FAILED;
    }
  }
}
