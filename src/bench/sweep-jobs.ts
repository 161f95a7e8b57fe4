/**
 * `sweep-jobs`: the same sweep through the built CLI on one worker and on two, in turn
 * (one, two, one, two, …), the median wall time of each and their ratio, with the machine's
 * load average before and after: on a shared machine the ratio says little unless the load
 * was below the number of cores. It also checks that both printed the same table.
 * Beside them, the machine's own ceiling: the same runs as two independent one-job processes
 * (half the seeds each) at once. On this 2-core machine that is itself only about 1.2–1.3× a
 * single process for this memory-bound work (the two cores share caches and memory bandwidth),
 * so the pool's speed-up is read against it (`poolOverCeiling`), not against 2.
 * Wall-clock use is allowed here (and in src/cli) only.
 */
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Runs the CLI with `args` as a child process; resolves when it exits (rejects on a failure). */
function runChild(args: readonly string[]): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [resolve(root, 'dist/cli/knsim.js'), ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolveRun() : reject(new Error(`knsim ${args.join(' ')} exited ${String(code)}:\n${stderr}`))));
  });
}

/** Runs the sweep `pairs` times with --jobs 1, --jobs 2 and as two processes at once, in turn; the figures as one bench line. */
export async function benchSweepJobs(clock: () => number, pairs = 3): Promise<Record<string, unknown>> {
  const scenario = 'scenarios/04-rollback.yaml';
  // About 8 s of runs on one core: each worker's first runs are slower (its own JIT warms up,
  // about 0.9 s of CPU for this scenario), so a short sweep cannot show the gain of a second core.
  const seeds = '1..48';
  const run = (jobs: number): { seconds: number; stdout: string } => {
    const started = clock();
    const r = spawnSync(process.execPath, [resolve(root, 'dist/cli/knsim.js'), 'sweep', scenario, '--seeds', seeds, '--jobs', String(jobs)], {
      cwd: root,
      encoding: 'utf8',
    });
    const seconds = (clock() - started) / 1000;
    if (r.status !== 0) throw new Error(`sweep --jobs ${String(jobs)} exited ${String(r.status)}:\n${r.stderr}`);
    return { seconds, stdout: r.stdout };
  };
  const twoProcesses = async (): Promise<number> => {
    const started = clock();
    await Promise.all(['1..24', '25..48'].map((half) => runChild(['sweep', scenario, '--seeds', half, '--jobs', '1'])));
    return (clock() - started) / 1000;
  };
  const loadBefore = loadavg()[0] ?? 0;
  const one: number[] = [];
  const two: number[] = [];
  const processes: number[] = [];
  let identical = true;
  for (let i = 0; i < pairs; i++) {
    const a = run(1);
    const b = run(2);
    one.push(a.seconds);
    two.push(b.seconds);
    processes.push(await twoProcesses());
    identical &&= a.stdout === b.stdout;
  }
  const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;
  return {
    name: 'sweep-jobs',
    sweep: `${scenario} --seeds ${seeds}`,
    runs: 48,
    cores: availableParallelism(),
    jobs1MedianSeconds: round(median(one), 3),
    jobs2MedianSeconds: round(median(two), 3),
    speedup: round(median(one) / median(two), 3),
    twoProcessesMedianSeconds: round(median(processes), 3),
    machineCeiling: round(median(one) / median(processes), 3),
    poolOverCeiling: round(median(processes) / median(two), 3),
    identical,
    loadAverage1mBefore: round(loadBefore, 2),
    loadAverage1mAfter: round(loadavg()[0] ?? 0, 2),
  };
}
