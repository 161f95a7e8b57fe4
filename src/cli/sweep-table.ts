/**
 * What a sweep prints: one row per grid point with the figures a tuner compares (requests, 5xx,
 * cold starts, pod-seconds, latency p50 and p99, expectations passed), each the mean over the
 * seeds with the lowest and highest in brackets, then the runs whose expectations failed with
 * the command that replays each. `--json` gives the same per point (mean, min, max) and every
 * run's figures. Built from the runs' JSON lines alone (sweep-record.ts), sorted by run number,
 * so a one-process sweep and `sweep merge` of its shards print the same bytes.
 */
import { formatLatency, table } from '../report/text.js';
import { replayCommand } from './simulate.js';
import { axisLabel, pointText, type SweepHeader, type SweepRunLine } from './sweep-record.js';

interface Spread {
  mean: number;
  min: number;
  max: number;
}

interface PointFigures {
  values: Record<string, string>;
  requests: Spread;
  fiveXx: Spread;
  coldStarts: Spread;
  podStarts: Spread;
  podSeconds: Spread;
  /** Over the runs where a request ended; null when none did. */
  p50: Spread | null;
  p99: Spread | null;
  expectations: { passed: number; total: number };
  runsFailed: number;
}

/** Mean, min and max, summed in run order (the same order in every process). */
function spread(xs: readonly number[]): Spread | null {
  if (xs.length === 0) return null;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of xs) {
    sum += x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  return { mean: sum / xs.length, min, max };
}

function must(s: Spread | null): Spread {
  return s ?? { mean: 0, min: 0, max: 0 };
}

/** The runs of each grid point (in run order, so in seed order), their figures gathered. */
function byPoint(header: SweepHeader, runs: readonly SweepRunLine[]): { figures: PointFigures; runs: SweepRunLine[] }[] {
  const points: SweepRunLine[][] = [];
  for (const r of [...runs].sort((a, b) => a.run - b.run)) (points[r.point] ??= []).push(r);
  const out: { figures: PointFigures; runs: SweepRunLine[] }[] = [];
  for (let p = 0; p < header.runs / header.seeds.length; p++) {
    const rs = points[p] ?? [];
    const first = rs[0];
    if (first === undefined) continue;
    const latencies = (pick: (r: SweepRunLine) => number | null): Spread | null => spread(rs.map(pick).filter((x): x is number => x !== null));
    out.push({
      runs: rs,
      figures: {
        values: first.values,
        requests: must(spread(rs.map((r) => r.requests))),
        fiveXx: must(spread(rs.map((r) => r.fiveXx))),
        coldStarts: must(spread(rs.map((r) => r.coldStarts))),
        podStarts: must(spread(rs.map((r) => r.podStarts))),
        podSeconds: must(spread(rs.map((r) => r.podSeconds))),
        p50: latencies((r) => r.p50),
        p99: latencies((r) => r.p99),
        expectations: {
          passed: rs.reduce((n, r) => n + r.expectations.passed, 0),
          total: rs.reduce((n, r) => n + r.expectations.total, 0),
        },
        runsFailed: rs.filter((r) => r.failed.length > 0).length,
      },
    });
  }
  return out;
}

function count(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

function cell(s: Spread | null, n: number, format: (x: number) => string): string {
  if (s === null) return '';
  return n === 1 || s.min === s.max ? format(s.mean) : `${format(s.mean)} (${format(s.min)}–${format(s.max)})`;
}

/** `1..20`, `1..3, 7`, `7`: the seeds as ranges where they run on. */
export function seedsText(seeds: readonly (string | number)[]): string {
  const parts: string[] = [];
  for (let i = 0; i < seeds.length;) {
    const s = seeds[i];
    let j = i;
    while (typeof s === 'number' && typeof seeds[j + 1] === 'number' && seeds[j + 1] === (seeds[j] as number) + 1) j++;
    parts.push(j > i + 1 ? `${String(s)}..${String(seeds[j])}` : j === i + 1 ? `${String(s)}, ${String(seeds[j])}` : String(s));
    i = j + 1;
  }
  return parts.join(', ');
}

/** The command that replays one run of the sweep. */
export function runReplay(header: SweepHeader, run: SweepRunLine): string {
  return replayCommand(header.file, run.seed, { set: [...header.sets, ...header.grid.map((a) => `${a.key}=${run.values[a.key] ?? ''}`)] });
}

/**
 * The grid points whose runs had failed expectations: for each, the seeds that failed, each
 * expectation that failed (as its first failing seed saw it) and the command that replays that
 * run; at most `limit` points.
 */
export function renderFailures(header: SweepHeader, runs: readonly SweepRunLine[], limit = 20): string {
  const failed = [...runs].sort((a, b) => a.run - b.run).filter((r) => r.failed.length > 0);
  if (failed.length === 0) return '';
  const byPointFailed = new Map<number, SweepRunLine[]>();
  for (const r of failed) byPointFailed.set(r.point, [...(byPointFailed.get(r.point) ?? []), r]);
  const lines = [`Expectations failed in ${String(failed.length)} of ${String(runs.length)} runs:`];
  for (const rs of [...byPointFailed.values()].slice(0, limit)) {
    const [first] = rs;
    if (first === undefined) continue;
    lines.push(`  ${pointText(first.values, header.grid)}: seed${rs.length === 1 ? '' : 's'} ${seedsText(rs.map((r) => r.seed))}`);
    const shown = new Set<string>();
    for (const r of rs)
      for (const f of r.failed) {
        const key = `${f.at ?? ''}\n${f.description}`;
        if (shown.has(key)) continue;
        shown.add(key);
        lines.push(`    ${f.at === undefined ? '' : `${f.at}: `}${f.description}: expected ${f.expected}, got ${f.actual} (seed ${String(r.seed)})`);
      }
    lines.push(`    replay: ${runReplay(header, first)}`);
  }
  if (byPointFailed.size > limit) lines.push(`  … ${String(byPointFailed.size - limit)} more grid points (see --json)`);
  return `${lines.join('\n')}\n`;
}

/** The table a sweep prints, with its heading, legend and failures. */
export function renderSweep(header: SweepHeader, runs: readonly SweepRunLine[]): string {
  const points = byPoint(header, runs);
  const n = header.seeds.length;
  const rows = points.map(({ figures: f }) => [
    ...header.grid.map((a) => f.values[a.key] ?? ''),
    cell(f.requests, n, count),
    cell(f.fiveXx, n, count),
    cell(f.coldStarts, n, count),
    cell(f.podSeconds, n, (x) => x.toFixed(1)),
    cell(f.p50, n, formatLatency),
    cell(f.p99, n, formatLatency),
    `${String(f.expectations.passed)}/${String(f.expectations.total)}`,
  ]);
  const heading = `Sweep of ${header.scenario} (${header.file}): ${String(points.length)} grid point${points.length === 1 ? '' : 's'} × ${String(n)} seed${n === 1 ? '' : 's'} (${seedsText(header.seeds)}) = ${String(header.runs)} runs`;
  const columns = [...header.grid.map((a) => axisLabel(a.key, header.grid)), 'REQUESTS', '5XX', 'COLD STARTS', 'POD-SECONDS', 'P50', 'P99', 'EXPECTATIONS'];
  const notes: string[] = [];
  if (n > 1) notes.push(`each figure: the mean over the ${String(n)} seeds (lowest–highest)`);
  for (const a of header.grid) if (axisLabel(a.key, header.grid) !== a.key) notes.push(`${axisLabel(a.key, header.grid)}: ${a.key}`);
  if (header.sets.length > 0) notes.push(`every run: ${header.sets.map((s) => `--set ${s}`).join(' ')}`);
  const failures = renderFailures(header, runs);
  return `${heading}\n\n${table(columns, rows).join('\n')}\n${notes.length > 0 ? `\n${notes.join('\n')}\n` : ''}${failures === '' ? '' : `\n${failures}`}`;
}

/** `--json`: the sweep, each point's figures (mean, min, max over the seeds) and its runs. */
export function sweepJson(header: SweepHeader, runs: readonly SweepRunLine[]): string {
  const points = byPoint(header, runs).map(({ figures, runs: rs }) => ({
    ...figures,
    runs: rs.map((r) => ({
      seed: r.seed,
      requests: r.requests,
      fiveXx: r.fiveXx,
      coldStarts: r.coldStarts,
      podStarts: r.podStarts,
      podSeconds: r.podSeconds,
      p50: r.p50,
      p99: r.p99,
      expectations: r.expectations,
      failed: r.failed,
      fingerprint: r.fingerprint,
      ...(r.failed.length > 0 ? { replay: runReplay(header, r) } : {}),
    })),
  }));
  const { scenario, file, scenarioSha256, version, sets, grid, seeds } = header;
  return `${JSON.stringify({ scenario, file, scenarioSha256, knsimVersion: version, sets, grid, seeds, runs: header.runs, points }, null, 2)}\n`;
}

/** Whether any run of the sweep had a failed expectation. */
export function anyFailed(runs: readonly SweepRunLine[]): boolean {
  return runs.some((r) => r.failed.length > 0);
}
