/**
 * Independent runs on every core: a pool of worker threads (tinypool) that runs the tasks of
 * pool-tasks.ts, each in a worker of its own (pool-worker.ts), and hands the results back in
 * the order the tasks were given, whatever order they finish in. With one job (or one task)
 * nothing is started: the tasks run here, one after the other, through the same function, so
 * `--jobs 1` and `--jobs N` differ only in where a run happens, never in what it computes
 * (a simulation depends on its scenario and seed alone; the results cross the thread boundary
 * by structured clone, which keeps every number exactly).
 * Why tinypool: a maintained pool (the one Vitest grew up on), no dependencies, Node 20
 * supported; piscina pulls in a native optional dependency for thread priorities we do not use.
 */
import { availableParallelism } from 'node:os';
import Tinypool from 'tinypool';
import { UsageError } from './exit.js';
import { runPoolTask, type PoolResult, type PoolTask } from './pool-tasks.js';

/** Pools still open, closed by main() when the command ends (also after an error). */
const open = new Set<Tinypool>();

/** `--jobs N`: a whole number from 1 up; undefined gives `fallback`. */
export function parseJobs(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new UsageError(`--jobs ${text}: want a whole number of runs at once, 1 or more (this machine has ${String(availableParallelism())} cores)`);
  return Number(text);
}

/** The number of cores this process may use: the default of `sweep --jobs`. */
export function coreCount(): number {
  return availableParallelism();
}

/**
 * Starts every task and returns one promise per task, in task order. With `jobs` 1 (or a single
 * task) each runs here when its promise is first awaited in order, as a plain loop would.
 */
export function runAll<T extends PoolTask>(tasks: readonly T[], jobs: number): (() => Promise<PoolResult<T>>)[] {
  if (jobs <= 1 || tasks.length <= 1) return tasks.map((task) => () => Promise.resolve(runPoolTask(task)));
  const threads = Math.min(jobs, tasks.length);
  const pool = new Tinypool({
    filename: new URL('./pool-worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    // A worker keeps its loaded modules between tasks; a run leaves no state behind (tested).
    isolateWorkers: false,
  });
  open.add(pool);
  const pending = tasks.map((task) => pool.run(task) as Promise<PoolResult<T>>);
  // Close the pool once every task has ended, so the process can exit; a failure is seen by the caller.
  void Promise.allSettled(pending).then(() => closePool(pool));
  return pending.map((p) => () => p);
}

async function closePool(pool: Tinypool): Promise<void> {
  if (!open.delete(pool)) return;
  await pool.destroy();
}

/** Ends every pool still open (the command returned early, or failed): their workers stop. */
export async function closePools(): Promise<void> {
  await Promise.all([...open].map(closePool));
}
