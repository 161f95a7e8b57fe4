// The memory figure of the work estimate (src/scenario/estimate-memory.ts): printed before a long
// run for the output asked for, and within 2× of the peak RSS `knsim run` reaches, measured in a
// child process, for a small run (02-scale-to-zero, about 80 MB) and one about 2.5 times as big
// (50 services for 20 minutes at 200 requests/s, written with --json).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimatePeakMemory, formatDiagnostic, type MemoryOutput, type Scenario } from '../../src/scenario/index.js';
import { loadScenarioText } from '../../src/sim/index.js';
import { CLI, knsim, ROOT } from './helpers.js';
import { tempDir } from '../temp-dirs.js';

const HOOK = resolve(ROOT, 'dist/bench/peak-rss-hook.js');
const dir = tempDir('knsim-memory-estimate-');

function load(file: string, sets: string[] = []): Scenario {
  const loaded = loadScenarioText(readFileSync(file, 'utf8'), { file, sets, readFile: (p) => readFileSync(resolve(ROOT, p), 'utf8') });
  if (loaded.scenario === undefined) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return loaded.scenario;
}

/** Peak RSS (bytes) of `knsim run <args>` in a child process, from the bench's exit hook. */
function peakRss(args: readonly string[]): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', HOOK, resolve(ROOT, CLI), 'run', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => {
      const kb = /knsim-bench-peak-rss-kb (\d+)\s*$/.exec(stderr)?.[1];
      if (code !== 0 || kb === undefined) fail(new Error(`knsim run ${args.join(' ')} exited ${String(code)}:\n${stderr.slice(-2000)}`));
      else done(Number(kb) * 1024);
    });
  });
}

const TEXT: MemoryOutput = { series: { stepMs: 1000, changesOnly: true }, report: false, json: false, csv: false };
// `knsim run --json` of one scenario spools its recordings to disk.
const JSON_OUT: MemoryOutput = { ...TEXT, report: true, json: true, spooled: true };

/** 50 services sharing 200 requests/s (Poisson) for 20 minutes, as the bench's services-N-hour cases. */
function fiftyServices(): string {
  const file = join(dir, 'fifty.yaml');
  const creates = Array.from({ length: 50 }, (_, i) => `  - {at: 0s, kn: kn service create svc-${i} --image=svc}`).join('\n');
  const traffic = Array.from({ length: 50 }, (_, i) => `  - {name: load-${i}, target: svc-${i}, pattern: poisson, rate: 4, from: 30s}`).join('\n');
  writeFileSync(
    file,
    `name: fifty\nseed: 1\nduration: 20m\ntimeline:\n${creates}\napps:\n  svc: {serviceTime: {distribution: lognormal, median: 20ms, p99: 200ms}}\ntraffic:\n${traffic}\n`,
  );
  return file;
}

describe('the memory estimate', () => {
  it('is within 2× of the peak RSS of a small run, of one over 1.5 times as big, and of the big one with --json spooled', async () => {
    const small = 'scenarios/02-scale-to-zero.yaml';
    const big = fiftyServices();
    const [smallRss, bigRss, bigJsonRss] = await Promise.all([peakRss([small]), peakRss([big]), peakRss([big, '--json'])]);
    const smallEstimate = estimatePeakMemory(load(resolve(ROOT, small)).budget, TEXT).peakBytes;
    const bigEstimate = estimatePeakMemory(load(big).budget, TEXT).peakBytes;
    const bigJsonEstimate = estimatePeakMemory(load(big).budget, JSON_OUT).peakBytes;
    const mb = (b: number): number => Math.round(b / 1e6);
    const summary = `02: ${mb(smallEstimate)} MB estimated, ${mb(smallRss)} MB measured; 50 services: ${mb(bigEstimate)}/${mb(bigRss)}; with --json: ${mb(bigJsonEstimate)}/${mb(bigJsonRss)}`;
    expect(bigRss, summary).toBeGreaterThan(1.5 * smallRss);
    for (const [estimate, measured] of [
      [smallEstimate, smallRss],
      [bigEstimate, bigRss],
      [bigJsonEstimate, bigJsonRss],
    ] as const) {
      expect(estimate / measured, summary).toBeGreaterThan(0.5);
      expect(estimate / measured, summary).toBeLessThan(2);
    }
  }, 120_000);

  it('is printed with the work before a long run, for the output asked for', () => {
    const file = join(dir, 'long.yaml');
    writeFileSync(
      file,
      `name: long\nseed: 1\nduration: 1h\napps:\n  app: {serviceTime: {distribution: exponential, mean: 20ms}}\ntimeline:\n  - {at: 0s, kn: kn service create s --image=app}\ntraffic:\n  - {name: t, target: s, pattern: poisson, rate: 5000, from: 10s}\n`,
    );
    const budget = load(file).budget;
    const said = (args: string[]): string => {
      const r = knsim(['run', file, '--max-events', '2000', ...args]);
      expect(r.code, r.stderr).toBe(3);
      const m = /a long run: .* and a peak of about (\d+) MB of memory on knsim's benchmark machine; --duration shortens it$/m.exec(r.stderr);
      expect(m, r.stderr).not.toBeNull();
      return m?.[1] ?? '';
    };
    expect(said([])).toBe(String(Math.round(estimatePeakMemory(budget, TEXT).peakBytes / 1e6)));
    // Without the series the run holds less; with --json the series and events go to disk, and
    // what stays is the report's columns and the garbage of writing through small buffers.
    const noSeries = estimatePeakMemory(budget, { ...TEXT, series: false }).peakBytes;
    const json = estimatePeakMemory(budget, JSON_OUT).peakBytes;
    expect(said(['--no-series'])).toBe(String(Math.round(noSeries / 1e6)));
    expect(said(['--json'])).toBe(String(Math.round(json / 1e6)));
    expect(noSeries).toBeLessThan(estimatePeakMemory(budget, TEXT).peakBytes);
    expect(json).toBeLessThan(estimatePeakMemory(budget, TEXT).peakBytes);
    expect(json).toBeLessThan(estimatePeakMemory(budget, { ...JSON_OUT, spooled: false }).peakBytes);
  });
});
