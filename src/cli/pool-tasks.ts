/**
 * What a worker of the pool (pool.ts) does: one simulation per task, quiet (no progress line:
 * several run at once). A `run` task returns the whole result for `knsim run` to print as it
 * prints any; a `sweep` task returns the run's line of the sweep's JSON lines (sweep-record.ts),
 * small enough that thousands of runs cost the main thread nothing.
 * The scenario arrives loaded and checked by the main thread (structured clone keeps it exactly);
 * a sweep task sets the seed, which the loader only stores.
 */
import type { RunResult, Scenario, SimulationOptions } from '../index.js';
import type { LoadFlags } from './load.js';
import { runLine, type SweepRunMeta } from './sweep-record.js';
import { simulate } from './simulate.js';

/** The scenario's file and the flags it was loaded with: the replay line of an internal error names them. */
interface TaskSource {
  file: string;
  flags: LoadFlags;
}

export interface RunTask extends TaskSource {
  kind: 'run';
  scenario: Scenario;
  record?: SimulationOptions['record'];
  maxEvents?: number;
}

export interface SweepTask extends TaskSource {
  kind: 'sweep';
  scenario: Scenario;
  meta: SweepRunMeta;
}

export type PoolTask = RunTask | SweepTask;
export type PoolResult<T extends PoolTask> = T extends RunTask ? RunResult : string;

export function runPoolTask<T extends PoolTask>(task: T): PoolResult<T>;
export function runPoolTask(task: PoolTask): RunResult | string {
  switch (task.kind) {
    case 'run':
      return simulate(task.scenario, {
        quiet: true,
        file: task.file,
        flags: task.flags,
        ...(task.record !== undefined ? { record: task.record } : {}),
        ...(task.maxEvents !== undefined ? { maxEvents: task.maxEvents } : {}),
      }).result;
    case 'sweep':
      return runLine(task.meta, simulate({ ...task.scenario, seed: task.meta.seed }, { quiet: true, file: task.file, flags: task.flags }).result);
  }
}
