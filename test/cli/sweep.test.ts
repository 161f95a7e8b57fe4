// Both cores and beyond one machine: `knsim run … --jobs N` prints what one-at-a-time prints;
// `knsim sweep` gives the same table on one thread, on two, and as three shards in three
// processes joined by `sweep merge`; every bad grid, seed list, shard or merge is refused in
// one line with exit 2, and failed expectations exit 1 naming the grid point and the replay.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLI, FIXTURES, knsim, ROOT, STACK_FRAME, type CliResult } from './helpers.js';
import { tempDir } from '../temp-dirs.js';

const SWEEP = `${FIXTURES}/sweep.yaml`;
const GRID = ['--grid', 'apps.rainbows.serviceTime=20ms,2s', '--grid', 'traffic[0].rate=1,4'];
const SWEEP_ARGS = ['sweep', SWEEP, ...GRID, '--seeds', '1..3'];
const dir = tempDir('knsim-sweep-');

/** Runs the built CLI without blocking, with extra environment variables. */
function knsimEnv(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve(ROOT, CLI), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

function refused(r: CliResult, message: RegExp): void {
  expect(r.code, r.stdout + r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(STACK_FRAME);
}

describe('knsim run --jobs', () => {
  const files = [`${FIXTURES}/failing.yaml`, SWEEP, `${FIXTURES}/kn-output.yaml`, 'scenarios/01-deploy.yaml'];

  it('prints, scenario by scenario in argument order, byte for byte what one at a time prints, with the same exit code', () => {
    const one = knsim(['run', ...files]);
    const two = knsim(['run', ...files, '--jobs', '2']);
    expect(one.code).toBe(1); // failing.yaml's expectation
    expect(two.code).toBe(one.code);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    expect(one.stdout.indexOf('failing')).toBeLessThan(one.stdout.indexOf('sweep-demo'));
  });

  it('gives the same --json document (every recording included) on two threads as on one', () => {
    const one = knsim(['run', ...files, '--json']);
    const three = knsim(['run', ...files, '--json', '--jobs', '3']);
    expect(three.code).toBe(one.code);
    expect(three.stdout).toBe(one.stdout);
    expect((JSON.parse(one.stdout) as unknown[]).length).toBe(files.length);
  });

  it('refuses a --jobs that is not a whole number from 1 (exit 2)', () => {
    refused(knsim(['run', SWEEP, '--jobs', '0']), /^error: --jobs 0: want a whole number of runs at once, 1 or more/m);
  });
});

describe('knsim sweep', () => {
  let single: CliResult;
  let singleJson: CliResult;

  it('prints one row per grid point, the figures as the mean over the seeds (lowest–highest), and exits 1 naming the failing points', () => {
    single = knsim([...SWEEP_ARGS, '--jobs', '1']);
    expect(single.code, single.stderr).toBe(1);
    const lines = single.stdout.split('\n');
    expect(lines[0]).toBe('Sweep of sweep-demo (test/fixtures/cli/sweep.yaml): 4 grid points × 3 seeds (1..3) = 12 runs');
    expect(lines[2]).toMatch(/^serviceTime\s+rate\s+REQUESTS\s+5XX\s+COLD STARTS\s+POD-SECONDS\s+P50\s+P99\s+EXPECTATIONS$/);
    const rows = lines.slice(3, 7).map((l) => l.split(/\s{3,}/));
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['20ms', '1'],
      ['20ms', '4'],
      ['2s', '1'],
      ['2s', '4'],
    ]);
    // The app's service time is the latency; the 1s bound holds for 20ms and fails for 2s at every seed.
    expect(rows.map((r) => r[7])).toEqual(['20.0ms', '20.0ms', '2.00s', '2.00s']);
    expect(rows.map((r) => r[8])).toEqual(['6/6', '6/6', '3/6', '3/6']);
    // Four times the rate, about four times the requests: the mean and its range over the seeds.
    const mean = (cell: string | undefined): number => Number(/^([\d.]+)/.exec(cell ?? '')?.[1]);
    expect(rows[1]?.[2]).toMatch(/^[\d.]+ \(\d+–\d+\)$/);
    expect(mean(rows[1]?.[2]) / mean(rows[0]?.[2])).toBeGreaterThan(3);
    expect(single.stdout).toContain('Expectations failed in 6 of 12 runs:');
    expect(single.stdout).toContain('  serviceTime=2s, rate=1: seeds 1..3');
    expect(single.stdout).toContain("    replay: knsim run test/fixtures/cli/sweep.yaml --seed 1 --set apps.rainbows.serviceTime=2s --set 'traffic[0].rate=1'");
    expect(single.stdout).not.toContain('serviceTime=20ms, rate=1: seed');
  });

  it('prints the same table on two worker threads as on one', () => {
    const two = knsim([...SWEEP_ARGS, '--jobs', '2']);
    expect(two.code).toBe(single.code);
    expect(two.stdout).toBe(single.stdout);
  });

  it('gives --json per point (mean, min, max) and every run with its fingerprint, the same on two threads', () => {
    singleJson = knsim([...SWEEP_ARGS, '--json', '--jobs', '1']);
    const two = knsim([...SWEEP_ARGS, '--json', '--jobs', '2']);
    expect(two.stdout).toBe(singleJson.stdout);
    const doc = JSON.parse(singleJson.stdout) as {
      runs: number;
      points: {
        values: Record<string, string>;
        requests: { mean: number; min: number; max: number };
        runs: { seed: number; fingerprint: string; replay?: string }[];
      }[];
    };
    expect(doc.runs).toBe(12);
    expect(doc.points.map((p) => p.values)).toEqual([
      { 'apps.rainbows.serviceTime': '20ms', 'traffic[0].rate': '1' },
      { 'apps.rainbows.serviceTime': '20ms', 'traffic[0].rate': '4' },
      { 'apps.rainbows.serviceTime': '2s', 'traffic[0].rate': '1' },
      { 'apps.rainbows.serviceTime': '2s', 'traffic[0].rate': '4' },
    ]);
    const [p0] = doc.points;
    expect(p0?.runs.map((r) => r.seed)).toEqual([1, 2, 3]);
    expect(p0?.requests.min).toBeLessThanOrEqual(p0?.requests.mean ?? NaN);
    // A run of the sweep is the run `knsim run` replays: the same fingerprint.
    const failedRun = doc.points[2]?.runs[1];
    const replay = knsim(['run', SWEEP, '--seed', '2', '--set', 'apps.rainbows.serviceTime=2s', '--set', 'traffic[0].rate=1', '--json']);
    expect((JSON.parse(replay.stdout) as { fingerprint: string }).fingerprint).toBe(failedRun?.fingerprint);
    expect(failedRun?.replay).toBe("knsim run test/fixtures/cli/sweep.yaml --seed 2 --set apps.rainbows.serviceTime=2s --set 'traffic[0].rate=1'");
  });

  it('runs as three shards in three processes (one told by JOB_COMPLETION_INDEX) whose merge is the one-process sweep, byte for byte', async () => {
    const out = (i: number): string => join(dir, `shard-${String(i)}.jsonl`);
    const shards = await Promise.all([
      knsimEnv([...SWEEP_ARGS, '--shard', '0/3', '--out', out(0), '--jobs', '1']),
      knsimEnv([...SWEEP_ARGS, '--out', out(1), '--jobs', '1'], { JOB_COMPLETION_INDEX: '1', JOB_COMPLETIONS: '3' }),
      knsimEnv([...SWEEP_ARGS, '--shard', '2/3', '--out', out(2), '--jobs', '1']),
    ]);
    for (const [i, s] of shards.entries()) {
      expect(s.code, s.stderr).toBe(1); // each shard holds runs of the failing points
      expect(s.stdout).toBe('');
      expect(s.stderr).toContain(`shard ${String(i)}/3: 4 of 12 runs written to ${out(i)}`);
    }
    // Every third run, in run order, after the header.
    const runsOf = (i: number): number[] =>
      readFileSync(out(i), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => (JSON.parse(l) as { run: number }).run);
    expect(runsOf(1)).toEqual([1, 4, 7, 10]);
    const merged = knsim(['sweep', 'merge', out(2), out(0), out(1)]);
    expect(merged.code).toBe(single.code);
    expect(merged.stdout).toBe(single.stdout);
    const mergedJson = knsim(['sweep', 'merge', out(0), out(1), out(2), '--json']);
    expect(mergedJson.stdout).toBe(singleJson.stdout);
  });

  it('writes a sharded sweep without --out to stdout as JSON lines, header first', () => {
    const r = knsim([...SWEEP_ARGS, '--shard', '1/2', '--jobs', '1']);
    const lines = r.stdout.trim().split('\n');
    expect((JSON.parse(lines[0] ?? '') as { knsimSweep: number; shard: unknown }).shard).toEqual({ index: 1, count: 2 });
    expect(lines.slice(1).map((l) => (JSON.parse(l) as { run: number }).run)).toEqual([1, 3, 5, 7, 9, 11]);
  });

  it('refuses a merge with a shard missing, a shard twice, a shard cut short or another sweep (exit 2)', () => {
    const out = (i: number): string => join(dir, `shard-${String(i)}.jsonl`);
    refused(knsim(['sweep', 'merge', out(0), out(2)]), /^error: sweep merge: 4 of 12 runs are missing: no file holds shard 1\/3$/m);
    refused(knsim(['sweep', 'merge', out(0), out(1), out(2), out(1)]), /^error: sweep merge: shard 1\/3 is given twice: /m);
    const lines = readFileSync(out(2), 'utf8').split('\n');
    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, `${lines.slice(0, 3).join('\n')}\n${(lines[3] ?? '').slice(0, 20)}`);
    refused(knsim(['sweep', 'merge', out(0), out(1), cut]), /cut\.jsonl:4: not a JSON line \(the file ends mid-line: was the shard cut short\?\)/);
    writeFileSync(cut, `${lines.slice(0, 3).join('\n')}\n`);
    refused(knsim(['sweep', 'merge', out(0), out(1), cut]), /2 of 12 runs are missing: .*cut\.jsonl \(shard 2\/3\) holds 2 of its 4 runs/);
    const other = join(dir, 'other.jsonl');
    writeFileSync(other, readFileSync(out(2), 'utf8').replace(/"scenarioSha256":"[0-9a-f]+"/, '"scenarioSha256":"0"'));
    refused(knsim(['sweep', 'merge', out(0), out(1), other]), /other\.jsonl is not of the same sweep as .*shard-0\.jsonl: its scenario file has other text$/m);
    writeFileSync(other, readFileSync(out(2), 'utf8').replace('"sets":[]', '"sets":["duration=2m"]'));
    refused(knsim(['sweep', 'merge', out(0), out(1), other]), /other\.jsonl is not of the same sweep as .*: its --set overrides differ$/m);
    refused(knsim(['sweep', 'merge', out(0), out(1), out(2), '--grid', 'x=1']), /^error: sweep merge: --grid is an option of sweep, not of merge$/m);
    writeFileSync(other, '{"knsimSweep":1}\n');
    refused(knsim(['sweep', 'merge', out(0), other]), /other\.jsonl:1: not the header of knsim sweep --out/);
    writeFileSync(other, readFileSync(out(2), 'utf8').replace('"requests":', '"requests":"many","was":'));
    refused(knsim(['sweep', 'merge', out(0), out(1), other]), /other\.jsonl:2: not a run of this sweep \(want a run number from 0 to 11 and its figures\)$/m);
  });

  it('says a bad grid key as a bad --set, with the did-you-mean, pointing into the --grid argument; nothing runs (exit 2)', () => {
    const key = knsim(['sweep', SWEEP, '--grid', 'apps.rainbows.serviceTme=20ms,2s']);
    refused(
      key,
      /^--grid apps\.rainbows\.serviceTme=20ms,2s:1:1: error: unknown path: "serviceTme" is not a key under apps\.rainbows \[SCENARIO_BAD_OVERRIDE\]\n {2}hint: did you mean "serviceTime"\?\n1 error\n$/,
    );
    expect(key.stdout).toBe('');
    // The column points at the bad value itself: "abc" starts at column 32 of the argument.
    const value = knsim(['sweep', SWEEP, '--grid', 'apps.rainbows.serviceTime=20ms,abc,1s']);
    refused(value, /^--grid apps\.rainbows\.serviceTime=20ms,abc,1s:1:32: error: apps\.rainbows\.serviceTime: invalid duration "abc"/);
    refused(knsim(['sweep', SWEEP, '--grid', 'seed=1,2']), /^error: --grid seed=1,2: seeds are not a grid key: use --seeds 1,2$/m);
  });

  it('refuses bad seeds, shards and environment in one line (exit 2)', async () => {
    refused(
      knsim(['sweep', SWEEP, '--seeds', '20..1']),
      /^error: --seeds 20\.\.1: the range 20\.\.1 goes down: write it from\.\.to with from ≤ to \(1\.\.20\)$/m,
    );
    refused(knsim(['sweep', SWEEP, '--seeds', '1', '--seed', '2']), /give --seeds or --seed, not both/);
    refused(
      knsim(['sweep', SWEEP, '--shard', '0/3', '--json']),
      /^error: --json prints the whole sweep's table: a shard \(0\/3\) writes JSON lines; join the shards with knsim sweep merge --json$/m,
    );
    refused(knsim(['sweep', SWEEP, '--shard', '3/3']), /^error: --shard 3\/3: the index counts from 0: the 3 shards are 0\/3 to 2\/3$/m);
    refused(
      await knsimEnv(['sweep', SWEEP], { JOB_COMPLETION_INDEX: '1' }),
      /JOB_COMPLETION_INDEX=1 is set but JOB_COMPLETIONS is not: set it to the Job's spec\.completions/,
    );
    refused(
      await knsimEnv(['sweep', SWEEP], { JOB_COMPLETION_INDEX: '3', JOB_COMPLETIONS: '3' }),
      /^error: JOB_COMPLETION_INDEX=3 JOB_COMPLETIONS=3: the index counts from 0/m,
    );
    refused(knsim(['sweep', 'nope.yaml']), /^nope\.yaml: error: cannot read the scenario: no such file$/m);
  });

  it('runs one point at the scenario seed when no grid or seeds are given, and exits 0 when every expectation holds', () => {
    const r = knsim(['sweep', SWEEP, '--jobs', '1']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Sweep of sweep-demo (test/fixtures/cli/sweep.yaml): 1 grid point × 1 seed (3) = 1 runs');
    expect(r.stdout).not.toContain('Expectations failed');
  });
});

describe('help', () => {
  it('knsim --help lists sweep; sweep --help names its flags and merge', () => {
    expect(knsim(['--help']).stdout).toMatch(/^ {2}sweep /m);
    const r = knsim(['sweep', '--help']);
    expect(r.code).toBe(0);
    for (const text of [
      '--grid <key=v1,v2,...>',
      '--seeds <list>',
      '--jobs <n>',
      '--shard <i/n>',
      '--out <file.jsonl>',
      '--json',
      '--set <key=value>',
      'merge',
    ])
      expect(r.stdout).toContain(text);
    expect(knsim(['run', '--help']).stdout).toContain('--jobs <n>');
  });
});

describe('deploy/sweep-job.yaml', () => {
  it('is an Indexed Job whose JOB_COMPLETIONS matches its completions and whose shards write one file each', () => {
    const docs = readFileSync(resolve(ROOT, 'deploy/sweep-job.yaml'), 'utf8')
      .split(/^---$/m)
      .map((d) => parse(d) as { kind?: string; spec?: Record<string, unknown> } | null)
      .filter((d) => d !== null);
    const job = docs.find((d) => d.kind === 'Job') as {
      spec: {
        completionMode: string;
        completions: number;
        parallelism: number;
        template: { spec: { containers: { args: string[]; env: { name: string; value: string }[] }[] } };
      };
    };
    expect(job.spec.completionMode).toBe('Indexed');
    const [container] = job.spec.template.spec.containers;
    expect(container?.env.find((e) => e.name === 'JOB_COMPLETIONS')?.value).toBe(String(job.spec.completions));
    const args = container?.args ?? [];
    expect(args[0]).toBe('sweep');
    expect(args[args.indexOf('--out') + 1]).toContain('$(JOB_COMPLETION_INDEX)');
  });
});
