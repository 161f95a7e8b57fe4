/**
 * What a sweep runs, from its flags: the grid (`--grid key=v1,v2,…`, repeatable: the cartesian
 * product, the first `--grid` varying slowest), the seeds (`--seeds 1..20`, `1,2,7`, `1..5,10`)
 * and the share of it this process runs (`--shard i/n`, or the Indexed Job's
 * `JOB_COMPLETION_INDEX` with `JOB_COMPLETIONS`): run k belongs to shard k mod n, so each shard
 * gets every n-th run, a fair share of cheap and costly points alike. Bad flags are usage
 * errors (one line, exit 2); a grid key is checked by the scenario loader as a `--set` is.
 */
import { UsageError } from './exit.js';
import type { SweepAxis, SweepShard } from './sweep-record.js';

/** Most runs one sweep may have: a typo (`1..20000000`) is refused rather than queued. */
export const MAX_SWEEP_RUNS = 1_000_000;

/** `--grid key=v1,v2,…` (repeatable) → the axes, each key once. */
export function parseGrid(texts: readonly string[], sets: readonly string[]): SweepAxis[] {
  const axes: SweepAxis[] = [];
  for (const text of texts) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new UsageError(`--grid ${text}: want key=value1,value2,… with a --set path as key, e.g. config.config-autoscaler.stable-window=30s,60s`);
    const key = text.slice(0, eq);
    const rest = text.slice(eq + 1);
    if (rest === '') throw new UsageError(`--grid ${text}: no values after "=": give one or more, separated by commas`);
    const values = rest.split(',');
    if (values.some((v) => v === '')) throw new UsageError(`--grid ${text}: an empty value between commas`);
    const dup = values.find((v, i) => values.indexOf(v) !== i);
    if (dup !== undefined) throw new UsageError(`--grid ${text}: the value ${dup} is given twice`);
    if (key === 'seed') throw new UsageError(`--grid ${text}: seeds are not a grid key: use --seeds ${rest}`);
    if (axes.some((a) => a.key === key)) throw new UsageError(`--grid ${key}: given twice; put every value in one --grid ${key}=a,b,c`);
    if (sets.some((s) => s.slice(0, s.indexOf('=')) === key))
      throw new UsageError(`--grid ${key}: also given with --set; a sweep sets it from the grid (drop one of the two)`);
    axes.push({ key, values });
  }
  return axes;
}

/** `1..20`, `7`, `1,2,7`, `1..5,10..12` → the seeds in the order given, each once. */
export function parseSeeds(text: string): number[] {
  const seeds: number[] = [];
  const bad = (why: string): never => {
    throw new UsageError(`--seeds ${text}: ${why}`);
  };
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:\.\.\s*(\d+)\s*)?$/.exec(part);
    if (m === null) bad(`want seeds as whole numbers and ranges, e.g. 1..20 or 1,2,7 or 1..5,10 (got "${part}")`);
    const from = Number(m?.[1]);
    const to = m?.[2] === undefined ? from : Number(m[2]);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) bad('a seed is too large');
    if (to < from) bad(`the range ${part.trim()} goes down: write it from..to with from ≤ to (${String(to)}..${String(from)})`);
    if (seeds.length + (to - from + 1) > MAX_SWEEP_RUNS) bad(`more than ${MAX_SWEEP_RUNS.toLocaleString('en-US')} seeds`);
    for (let s = from; s <= to; s++) seeds.push(s);
  }
  const dup = seeds.find((s, i) => seeds.indexOf(s) !== i);
  if (dup !== undefined) bad(`the seed ${String(dup)} is given twice`);
  return seeds;
}

/**
 * `--shard i/n` (i from 0, as the Indexed Job's completion index), else `JOB_COMPLETION_INDEX`
 * with `JOB_COMPLETIONS` from the environment, else undefined (the whole sweep here).
 */
export function parseShard(text: string | undefined, env: Readonly<Record<string, string | undefined>>): SweepShard | undefined {
  if (text !== undefined) return shardOf(text, `--shard ${text}`);
  const index = env.JOB_COMPLETION_INDEX;
  if (index === undefined || index === '') return undefined;
  const count = env.JOB_COMPLETIONS;
  if (count === undefined || count === '')
    throw new UsageError(
      `JOB_COMPLETION_INDEX=${index} is set but JOB_COMPLETIONS is not: set it to the Job's spec.completions (as deploy/sweep-job.yaml does), or give --shard i/n`,
    );
  return shardOf(`${index}/${count}`, `JOB_COMPLETION_INDEX=${index} JOB_COMPLETIONS=${count}`);
}

function shardOf(text: string, said: string): SweepShard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (m === null) throw new UsageError(`${said}: want i/n, the shard's index from 0 and the number of shards, e.g. 0/3, 1/3 and 2/3`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new UsageError(`${said}: the number of shards must be 1 or more`);
  if (index >= count)
    throw new UsageError(
      `${said}: the index counts from 0: ${count === 1 ? 'the only shard is 0/1' : `the ${String(count)} shards are 0/${String(count)} to ${String(count - 1)}/${String(count)}`}`,
    );
  return { index, count };
}

/** Every grid point as one value per axis: the cartesian product, the first axis varying slowest. */
export function gridPoints(axes: readonly SweepAxis[]): string[][] {
  const size = axes.reduce((n, a) => n * a.values.length, 1);
  if (size > MAX_SWEEP_RUNS)
    throw new UsageError(`--grid: ${size.toLocaleString('en-US')} grid points; a sweep runs at most ${MAX_SWEEP_RUNS.toLocaleString('en-US')}`);
  let points: string[][] = [[]];
  for (const axis of axes) points = points.flatMap((p) => axis.values.map((v) => [...p, v]));
  return points;
}

/** The runs of a sweep that a shard runs: run k is shard k mod n's. */
export function shardRuns(runs: number, shard: SweepShard | undefined): number[] {
  const out: number[] = [];
  for (let k = shard?.index ?? 0; k < runs; k += shard?.count ?? 1) out.push(k);
  return out;
}
