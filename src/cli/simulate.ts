/**
 * Running a loaded scenario for a command: a progress line on stderr when it is a terminal
 * and the run takes a while (the wall clock only paces that line), the one command line
 * that replays a run exactly; it tells exit.ts what it is doing (running which scenario, at
 * which seed, in which simulation) for the one-line report of an internal error.
 */
import { performance } from 'node:perf_hooks';
import {
  formatDuration,
  parsePlantedBugs,
  PLANTED_BUGS,
  Simulation,
  type PlantedBug,
  type RecordedResult,
  type RunResult,
  type Scenario,
  type SimulationOptions,
  type TraceEntry,
} from '../index.js';
import { setActivity, shellQuote, UsageError } from './exit.js';
import type { LoadFlags } from './load.js';
import { HeapKeeper } from './heap-keeper.js';

/**
 * The test seam's bugs from the environment: `KNSIM_PLANT_BUG=scale-to-zero-one-tick-late` (names
 * comma-separated, src/engine/planted-bugs.ts). Unset in every real run; an unknown name is bad input.
 */
export function plantedBugsFromEnv(): PlantedBug[] {
  const raw = process.env.KNSIM_PLANT_BUG;
  if (raw === undefined || raw.trim() === '') return [];
  const parsed = parsePlantedBugs(raw.split(','));
  if (!parsed.ok) throw new UsageError(`KNSIM_PLANT_BUG: unknown bug "${parsed.unknown}" (known: ${PLANTED_BUGS.join(', ')})`);
  return parsed.bugs;
}

interface SimulateOptions {
  /** No progress line. */
  quiet: boolean;
  /** The scenario file and the flags it was loaded with: the replay command of an internal error. */
  file: string;
  flags: LoadFlags;
  onTrace?: (entry: TraceEntry) => void;
  record?: SimulationOptions['record'];
  /** Virtual time to stop at (default the scenario's end). */
  untilMs?: number;
  /** The engine's event budget (`--max-events`): the run stops there with `stopReason: event-limit`. */
  maxEvents?: number;
}

/** Runs a scenario with a progress line on stderr when it is a terminal and the run takes a while. */
export function simulate(scenario: Scenario, options: SimulateOptions): { sim: Simulation; result: RunResult } {
  return simulateThen(scenario, options, (sim) => sim.result());
}

/** As `simulate`, the result's recordings left in their logs (`Simulation.recordedResult()`): nothing copied. */
export function simulateRecorded(scenario: Scenario, options: SimulateOptions): { sim: Simulation; result: RecordedResult } {
  return simulateThen(scenario, options, (sim) => sim.recordedResult());
}

function simulateThen<R>(scenario: Scenario, options: SimulateOptions, assemble: (sim: Simulation) => R): { sim: Simulation; result: R } {
  const started = performance.now();
  const showProgress = !options.quiet && process.stderr.isTTY === true;
  let lastDraw = 0;
  setActivity({ doing: `building the world of ${options.file}`, replay: replayCommand(options.file, scenario.seed, options.flags), seed: scenario.seed });
  const plantedBugs = plantedBugsFromEnv();
  const heap = new HeapKeeper();
  const sim = new Simulation(scenario, {
    ...(options.record !== undefined ? { record: options.record } : {}),
    ...(plantedBugs.length > 0 ? { plantedBugs } : {}),
    ...(options.maxEvents !== undefined ? { maxEvents: options.maxEvents } : {}),
    onProgress: (nowMs, totalMs) => {
      heap.check();
      const elapsed = performance.now() - started;
      if (!showProgress || elapsed < 1000 || elapsed - lastDraw < 200) return;
      lastDraw = elapsed;
      const pct = Math.min(100, Math.floor((nowMs / totalMs) * 100));
      process.stderr.write(`\r${scenario.name}: ${formatDuration(nowMs)} of ${formatDuration(totalMs)} simulated (${pct}%)   `);
    },
  });
  setActivity({ doing: `running ${options.file}`, replay: replayCommand(options.file, scenario.seed, options.flags), seed: scenario.seed, sim });
  if (options.onTrace !== undefined) sim.world.engine.onTrace(options.onTrace);
  try {
    sim.runTo(options.untilMs ?? scenario.durationMs);
  } finally {
    if (showProgress && lastDraw > 0) process.stderr.write('\r\x1b[K');
  }
  setActivity({
    doing: `assembling the result of ${options.file}`,
    replay: replayCommand(options.file, scenario.seed, options.flags),
    seed: scenario.seed,
    sim,
  });
  const result = assemble(sim);
  setActivity(undefined);
  return { sim, result };
}

/** The one command that replays a run exactly: the file, the seed and every override given. */
export function replayCommand(file: string, seed: string | number, flags: LoadFlags): string {
  const bugs = plantedBugsFromEnv();
  const parts = [...(bugs.length > 0 ? [`KNSIM_PLANT_BUG=${bugs.join(',')}`] : []), 'knsim', 'run', shellQuote(file), '--seed', shellQuote(String(seed))];
  if (flags.duration !== undefined) parts.push('--duration', shellQuote(flags.duration));
  if (flags.maxDuration !== undefined) parts.push('--max-duration', shellQuote(flags.maxDuration));
  for (const set of flags.set ?? []) parts.push('--set', shellQuote(set));
  return parts.join(' ');
}
