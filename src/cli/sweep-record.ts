/**
 * A sweep's results as JSON lines (`knsim sweep --out file.jsonl`): a header line that says
 * which sweep it is (the scenario and its text's sha256, the overrides, the grid, the seeds, the
 * knsim version) and which share of it (`shard`), then one line per run in run order with the
 * figures a tuner compares. A run is a grid point × a seed, numbered point × seeds + seed index,
 * so every shard, on any machine, numbers the runs alike and `sweep merge` can check that the
 * files it is given make up one sweep exactly.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../index.js';
import { UsageError } from './exit.js';

/** One `--grid key=v1,v2,…`: a `--set` path and the values it takes, in the order given. */
export interface SweepAxis {
  key: string;
  values: string[];
}

export interface SweepShard {
  /** From 0. */
  index: number;
  count: number;
}

export interface SweepHeader {
  knsimSweep: 1;
  version: string;
  scenario: string;
  file: string;
  scenarioSha256: string;
  /** The `--set`s every run has (`--duration` as `duration=…`), before the grid's. */
  sets: string[];
  grid: SweepAxis[];
  seeds: (string | number)[];
  /** Grid points × seeds: the runs of the whole sweep. */
  runs: number;
  shard: SweepShard;
}

/** Which run a line is: its number, its grid point, its seed and the grid's values at that point. */
export interface SweepRunMeta {
  run: number;
  point: number;
  seed: string | number;
  values: Record<string, string>;
}

export interface FailedExpectation {
  description: string;
  expected: string;
  actual: string;
  at?: string;
}

export interface SweepRunLine extends SweepRunMeta {
  requests: number;
  fiveXx: number;
  coldStarts: number;
  podStarts: number;
  podSeconds: number;
  /** Latency of ended requests (ms); null when none ended. */
  p50: number | null;
  p99: number | null;
  expectations: { passed: number; total: number };
  failed: FailedExpectation[];
  fingerprint: string;
}

/** The JSON line of one run: what it is and its deciding figures. */
export function runLine(meta: SweepRunMeta, result: RunResult): string {
  const s = result.summary;
  let fiveXx = 0;
  for (const [code, n] of Object.entries(s.requests.byStatus)) if (code.startsWith('5')) fiveXx += n;
  const ended = s.requests.succeeded + s.requests.failed > 0;
  const line: SweepRunLine = {
    run: meta.run,
    point: meta.point,
    seed: meta.seed,
    values: meta.values,
    requests: s.requests.total,
    fiveXx,
    coldStarts: s.coldStarts,
    podStarts: result.revisions.reduce((n, r) => n + r.podStarts, 0),
    podSeconds: s.podSeconds,
    p50: ended ? s.latencyMs.p50 : null,
    p99: ended ? s.latencyMs.p99 : null,
    expectations: { passed: result.expectations.filter((e) => e.passed).length, total: result.expectations.length },
    failed: result.expectations
      .filter((e) => !e.passed)
      .map((e) => ({ description: e.description, expected: e.expected, actual: e.actual, ...(e.at === undefined ? {} : { at: e.at }) })),
    fingerprint: result.fingerprint,
  };
  return JSON.stringify(line);
}

/** knsim's version, recorded in the header: shards of different versions may not agree. */
export function knsimVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../package.json'), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

/** A file of `sweep --out`, read and checked line by line; a problem is bad input (exit 2). */
export function readSweepFile(path: string): { header: SweepHeader; runs: { line: SweepRunLine; at: string }[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${path}: cannot read it: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const parse = (i: number): unknown => {
    try {
      return JSON.parse(lines[i] ?? '');
    } catch {
      throw new UsageError(
        `${path}:${String(i + 1)}: not a JSON line${i === lines.length - 1 && !text.endsWith('\n') ? ' (the file ends mid-line: was the shard cut short?)' : ''}`,
      );
    }
  };
  if (lines.length === 0) throw new UsageError(`${path}: empty: not the output of knsim sweep --out`);
  // The JSON boundary: each line is taken as what sweep wrote, then checked for every field merge reads.
  const header = parse(0) as SweepHeader;
  if (!isHeader(header)) throw new UsageError(`${path}:1: not the header of knsim sweep --out (a line with "knsimSweep": 1, the grid, seeds, runs and shard)`);
  const runs: { line: SweepRunLine; at: string }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = parse(i) as SweepRunLine;
    const at = `${path}:${String(i + 1)}`;
    if (!isRunLine(line) || line.run >= header.runs)
      throw new UsageError(`${at}: not a run of this sweep (want a run number from 0 to ${String(header.runs - 1)} and its figures)`);
    const seedIndex = line.run % header.seeds.length;
    if (line.point !== Math.floor(line.run / header.seeds.length) || line.seed !== header.seeds[seedIndex])
      throw new UsageError(
        `${at}: run ${String(line.run)} does not match the header's grid and seeds (point ${String(line.point)}, seed ${String(line.seed)})`,
      );
    if (line.run % header.shard.count !== header.shard.index)
      throw new UsageError(`${at}: run ${String(line.run)} is not in shard ${shardText(header.shard)} the header names`);
    runs.push({ line, at });
  }
  return { header, runs };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isHeader(h: unknown): h is SweepHeader {
  if (!isObject(h) || h.knsimSweep !== 1 || !Array.isArray(h.grid) || !Array.isArray(h.seeds) || !Array.isArray(h.sets)) return false;
  const { runs, shard, seeds, grid } = h as unknown as SweepHeader;
  return (
    typeof h.file === 'string' &&
    typeof h.scenario === 'string' &&
    seeds.length > 0 &&
    Number.isInteger(runs) &&
    runs > 0 &&
    grid.every((a) => isObject(a) && typeof a.key === 'string' && Array.isArray(a.values)) &&
    isObject(shard) &&
    Number.isInteger(shard.index) &&
    Number.isInteger(shard.count) &&
    shard.index >= 0 &&
    shard.index < shard.count
  );
}

const FIGURES = ['run', 'point', 'requests', 'fiveXx', 'coldStarts', 'podStarts', 'podSeconds'] as const;

function isRunLine(r: unknown): r is SweepRunLine {
  if (!isObject(r) || !isObject(r.values) || !isObject(r.expectations) || !Array.isArray(r.failed)) return false;
  const line = r as unknown as SweepRunLine;
  return (
    FIGURES.every((k) => typeof line[k] === 'number') &&
    Number.isInteger(line.run) &&
    line.run >= 0 &&
    (line.p50 === null || typeof line.p50 === 'number') &&
    (line.p99 === null || typeof line.p99 === 'number') &&
    typeof line.expectations.passed === 'number' &&
    typeof line.expectations.total === 'number'
  );
}

export function shardText(shard: SweepShard): string {
  return `${String(shard.index)}/${String(shard.count)}`;
}

/** `window=20s, delay=3m` (or `(no grid)`): a grid point as the user wrote its values. */
export function pointText(values: Record<string, string>, grid: readonly SweepAxis[]): string {
  return grid.length === 0 ? '(no grid)' : grid.map((a) => `${axisLabel(a.key, grid)}=${values[a.key] ?? ''}`).join(', ');
}

/**
 * A short name for a grid key: its last path segment without quotes (`…annotations."autoscaling.knative.dev/window"`
 * → `autoscaling.knative.dev/window`), or the whole key when two keys would share it.
 */
export function axisLabel(key: string, grid: readonly SweepAxis[]): string {
  const short = (k: string): string => {
    const m = /(?:"([^"]*)"|([^.[\]"]+))(?:\[\d+\])*$/.exec(k);
    return m?.[1] ?? m?.[2] ?? k;
  };
  const label = short(key);
  return grid.some((a) => a.key !== key && short(a.key) === label) ? key : label;
}
