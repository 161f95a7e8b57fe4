/**
 * `knsim sweep <scenario> --grid key=v1,v2,… --seeds 1..20`: one scenario run at every point of
 * a grid of `--set` values × every seed, on a pool of worker threads (pool.ts), summed up one
 * row per point (sweep-table.ts). `--shard i/n` runs a deterministic share of the runs (for a
 * Kubernetes Indexed Job, deploy/sweep-job.yaml) and writes them as JSON lines
 * (sweep-record.ts); `knsim sweep merge` joins the shards' files into the table a one-process
 * sweep prints, refusing a file of another sweep, a run twice or a run missing.
 * Every point is loaded and checked before anything runs: a bad grid key or value is reported
 * as a bad `--set` is, pointing at the `--grid` argument, and nothing runs (exit 2).
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatDiagnostic, loadScenarioText, type Diagnostic, type Scenario } from '../index.js';
import { EXIT_BAD_INPUT, EXIT_EXPECTATION_FAILED, EXIT_OK, UsageError } from './exit.js';
import { flagLabel, overrideSets, readReferencedFile, readScenarioFile, type LoadFlags } from './load.js';
import { coreCount, parseJobs, runAll } from './pool.js';
import type { SweepTask } from './pool-tasks.js';
import { knsimVersion, readSweepFile, shardText, type SweepAxis, type SweepHeader, type SweepRunLine } from './sweep-record.js';
import { gridPoints, MAX_SWEEP_RUNS, parseGrid, parseSeeds, parseShard, shardRuns } from './sweep-spec.js';
import { anyFailed, renderFailures, renderSweep, sweepJson } from './sweep-table.js';

export type SweepFlags = LoadFlags & { grid?: string[]; seeds?: string; jobs?: string; shard?: string; out?: string; json?: boolean };

export async function sweepCommand(file: string, opts: SweepFlags): Promise<number> {
  if (opts.seed !== undefined && opts.seeds !== undefined) throw new UsageError('sweep: give --seeds or --seed, not both (--seeds 7 runs one seed)');
  const sets = overrideSets(opts);
  const grid = parseGrid(opts.grid ?? [], opts.set ?? []);
  const seedList = opts.seeds === undefined ? undefined : parseSeeds(opts.seeds);
  const shard = parseShard(opts.shard, process.env);
  if (shard !== undefined && opts.json === true)
    throw new UsageError(
      `--json prints the whole sweep's table: a shard (${shardText(shard)}) writes JSON lines; join the shards with knsim sweep merge --json`,
    );
  const jobs = parseJobs(opts.jobs, coreCount());
  const points = gridPoints(grid);
  const text = readScenarioFile(file, sets);
  if (text === undefined) return EXIT_BAD_INPUT;
  const scenarios = loadPoints(file, text, sets, grid, points, opts);
  if (scenarios === undefined) return EXIT_BAD_INPUT;
  const [first] = scenarios;
  if (first === undefined) throw new Error('knsim bug: a grid has at least one point');
  const seeds = seedList ?? [first.seed];
  const runs = points.length * seeds.length;
  if (runs > MAX_SWEEP_RUNS)
    throw new UsageError(`sweep: ${runs.toLocaleString('en-US')} runs (grid points × seeds); a sweep runs at most ${MAX_SWEEP_RUNS.toLocaleString('en-US')}`);
  const header: SweepHeader = {
    knsimSweep: 1,
    version: knsimVersion(),
    scenario: first.name,
    file,
    scenarioSha256: createHash('sha256').update(text).digest('hex'),
    sets,
    grid,
    seeds,
    runs,
    shard: shard ?? { index: 0, count: 1 },
  };
  const mine = shardRuns(runs, shard);
  const tasks: SweepTask[] = mine.map((run) => {
    const point = Math.floor(run / seeds.length);
    const values: Record<string, string> = {};
    grid.forEach((a, i) => (values[a.key] = points[point]?.[i] ?? ''));
    const scenario = scenarios[point];
    if (scenario === undefined) throw new Error(`knsim bug: no scenario for grid point ${String(point)}`);
    const seed = seeds[run % seeds.length] ?? 1;
    // The replay line of a run: the sweep's --sets and this point's values.
    const flags = { set: [...sets, ...Object.entries(values).map(([k, v]) => `${k}=${v}`)] };
    return { kind: 'sweep', scenario, file, flags, meta: { run, point, seed, values } };
  });
  const out = opts.out === undefined ? undefined : openOut(opts.out);
  // Sharded without --out: the JSON lines go to stdout, for whoever gathers them.
  const emit = (line: string): void => {
    if (out !== undefined) writeSync(out, `${line}\n`);
    else if (shard !== undefined) process.stdout.write(`${line}\n`);
  };
  const lines: SweepRunLine[] = [];
  try {
    emit(JSON.stringify(header));
    for (const next of runAll(tasks, jobs)) {
      const line = await next();
      emit(line);
      // Parsed back from its text, as merge reads it: the table is made from the same numbers either way.
      lines.push(JSON.parse(line) as SweepRunLine);
    }
  } finally {
    if (out !== undefined) closeSync(out);
  }
  if (shard !== undefined) {
    process.stderr.write(
      `shard ${shardText(shard)}: ${String(lines.length)} of ${String(runs)} runs${opts.out === undefined ? '' : ` written to ${opts.out}`}; join the shards with knsim sweep merge\n`,
    );
    const failures = renderFailures(header, lines);
    if (failures !== '') process.stderr.write(failures);
  } else process.stdout.write(opts.json === true ? sweepJson(header, lines) : renderSweep(header, lines));
  return anyFailed(lines) ? EXIT_EXPECTATION_FAILED : EXIT_OK;
}

/** Loads the scenario at every grid point; prints each diagnostic once, located in the `--grid` argument it came from. */
function loadPoints(
  file: string,
  text: string,
  sets: readonly string[],
  grid: readonly SweepAxis[],
  points: readonly string[][],
  flags: LoadFlags,
): Scenario[] | undefined {
  const printed = new Set<string>();
  let errors = 0;
  const scenarios: Scenario[] = [];
  // The files a scenario reads (traces, manifests) are read once for all points.
  const files = new Map<string, string>();
  const readFile = (path: string, limit: { maxBytes: number }): string => {
    const known = files.get(path);
    if (known !== undefined) return known;
    const read = readReferencedFile(path, limit);
    files.set(path, read);
    return read;
  };
  for (const point of points) {
    const pointSets = grid.map((a, i) => `${a.key}=${point[i] ?? ''}`);
    const { scenario, diagnostics } = loadScenarioText(text, { file, sets: [...sets, ...pointSets], readFile });
    for (const d of diagnostics) {
      const line = formatDiagnostic(relabel(d, grid, pointSets, flags));
      if (printed.has(line)) continue;
      printed.add(line);
      process.stderr.write(`${line}\n`);
      if (d.severity === 'error') errors++;
    }
    if (scenario !== undefined) scenarios.push(scenario);
  }
  if (errors > 0 || scenarios.length !== points.length) {
    process.stderr.write(`${String(errors)} error${errors === 1 ? '' : 's'}\n`);
    return undefined;
  }
  return scenarios;
}

/** A diagnostic of a grid value's `--set key=v`, said of the `--grid key=v1,v2,…` argument (its column moved to v). */
function relabel(d: Diagnostic, grid: readonly SweepAxis[], pointSets: readonly string[], flags: LoadFlags): Diagnostic {
  const i = pointSets.findIndex((s) => d.file === `--set ${s}`);
  const axis = grid[i];
  const set = pointSets[i];
  if (axis === undefined || set === undefined) return { ...d, file: flagLabel(d.file, flags) };
  const value = set.slice(axis.key.length + 1);
  const whole = `${axis.key}=${axis.values.join(',')}`;
  const valueAt = axis.key.length + 1 + axis.values.slice(0, axis.values.indexOf(value)).reduce((n, v) => n + v.length + 1, 0);
  const column = d.column <= axis.key.length + 1 ? d.column : d.column + valueAt - (axis.key.length + 1);
  return { ...d, file: `--grid ${whole}`, column };
}

function openOut(path: string): number {
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    return openSync(path, 'w');
  } catch (err) {
    throw new UsageError(`cannot write the sweep's results ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** `knsim sweep merge a.jsonl b.jsonl …`: the shards of one sweep, joined into its table. */
export function mergeCommand(files: readonly string[], opts: { json?: boolean }): number {
  const read = files.map((f) => ({ file: f, ...readSweepFile(f) }));
  const [base] = read;
  if (base === undefined) throw new UsageError('sweep merge: give the JSON lines files of every shard');
  const same = (h: SweepHeader): string =>
    JSON.stringify({ ...h, file: undefined, shard: { count: h.shard.count } }, (_k, v: unknown) => (v === undefined ? null : v));
  for (const r of read.slice(1)) {
    if (same(r.header) === same(base.header)) continue;
    const field = (['scenarioSha256', 'version', 'sets', 'grid', 'seeds', 'scenario'] as const).find(
      (k) => JSON.stringify(r.header[k]) !== JSON.stringify(base.header[k]),
    );
    const differs: Record<NonNullable<typeof field>, string> = {
      scenarioSha256: 'its scenario file has other text',
      version: 'it was written by another knsim version',
      sets: 'its --set overrides differ',
      grid: 'its grid differs',
      seeds: 'its seeds differ',
      scenario: 'its scenario name differs',
    };
    const what =
      field === undefined ? `it is split into ${String(r.header.shard.count)} shards, ${base.file} into ${String(base.header.shard.count)}` : differs[field];
    throw new UsageError(`sweep merge: ${r.file} is not of the same sweep as ${base.file}: ${what}`);
  }
  for (const [i, r] of read.entries()) {
    const twin = read.slice(0, i).find((o) => o.header.shard.index === r.header.shard.index);
    if (twin !== undefined) throw new UsageError(`sweep merge: shard ${shardText(r.header.shard)} is given twice: ${twin.file} and ${r.file}`);
  }
  const header: SweepHeader = { ...base.header, shard: { index: 0, count: 1 } };
  const seen = new Map<number, string>();
  const lines: SweepRunLine[] = [];
  for (const r of read)
    for (const { line, at } of r.runs) {
      const before = seen.get(line.run);
      if (before !== undefined)
        throw new UsageError(
          `sweep merge: run ${String(line.run)} (seed ${String(line.seed)}) is in ${before} and in ${at}: is a shard given twice? (${r.file} is shard ${shardText(r.header.shard)})`,
        );
      seen.set(line.run, at);
      lines.push(line);
    }
  if (lines.length < header.runs) {
    const count = base.header.shard.count;
    const given = new Set(read.map((r) => r.header.shard.index));
    const absent = Array.from({ length: count }, (_, i) => i).filter((i) => !given.has(i));
    const short = read.filter((r) => r.runs.length < shardRuns(header.runs, r.header.shard).length);
    const why = [
      ...(absent.length > 0 ? [`no file holds shard${absent.length === 1 ? '' : 's'} ${absent.map((i) => `${String(i)}/${String(count)}`).join(', ')}`] : []),
      ...short.map(
        (r) =>
          `${r.file} (shard ${shardText(r.header.shard)}) holds ${String(r.runs.length)} of its ${String(shardRuns(header.runs, r.header.shard).length)} runs (was it cut short?)`,
      ),
    ];
    throw new UsageError(`sweep merge: ${String(header.runs - lines.length)} of ${String(header.runs)} runs are missing: ${why.join('; ')}`);
  }
  process.stdout.write(opts.json === true ? sweepJson(header, lines) : renderSweep(header, lines));
  return anyFailed(lines) ? EXIT_EXPECTATION_FAILED : EXIT_OK;
}
