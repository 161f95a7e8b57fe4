/**
 * Running a loaded scenario for a command: a progress line on stderr when it is a terminal
 * and the run takes a while (the wall clock only paces that line), and the one command line
 * that replays a run exactly.
 */
import { performance } from 'node:perf_hooks';
import {
  formatDuration,
  parsePlantedBugs,
  PLANTED_BUGS,
  Simulation,
  type PlantedBug,
  type RunResult,
  type Scenario,
  type SimulationOptions,
  type TraceEntry,
} from '../index.js';
import { UsageError } from './exit.js';
import type { LoadFlags } from './load.js';

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

/** Runs a scenario with a progress line on stderr when it is a terminal and the run takes a while. */
export function simulate(
  scenario: Scenario,
  quiet: boolean,
  onTrace?: (entry: TraceEntry) => void,
  record?: SimulationOptions['record'],
): { sim: Simulation; result: RunResult } {
  const started = performance.now();
  const showProgress = !quiet && process.stderr.isTTY === true;
  let lastDraw = 0;
  const plantedBugs = plantedBugsFromEnv();
  const sim = new Simulation(scenario, {
    record,
    ...(plantedBugs.length > 0 ? { plantedBugs } : {}),
    onProgress: (nowMs, totalMs) => {
      const elapsed = performance.now() - started;
      if (!showProgress || elapsed < 1000 || elapsed - lastDraw < 200) return;
      lastDraw = elapsed;
      const pct = Math.min(100, Math.floor((nowMs / totalMs) * 100));
      process.stderr.write(`\r${scenario.name}: ${formatDuration(nowMs)} of ${formatDuration(totalMs)} simulated (${pct}%)   `);
    },
  });
  if (onTrace !== undefined) sim.world.engine.onTrace(onTrace);
  sim.runTo(scenario.durationMs);
  if (showProgress && lastDraw > 0) process.stderr.write('\r\x1b[K');
  return { sim, result: sim.result() };
}

/** The one command that replays a run exactly: the file, the seed and every override given. */
export function replayCommand(file: string, seed: string | number, flags: LoadFlags): string {
  const bugs = plantedBugsFromEnv();
  const parts = [...(bugs.length > 0 ? [`KNSIM_PLANT_BUG=${bugs.join(',')}`] : []), 'knsim', 'run', shellQuote(file), '--seed', shellQuote(String(seed))];
  if (flags.duration !== undefined) parts.push('--duration', shellQuote(flags.duration));
  for (const set of flags.set ?? []) parts.push('--set', shellQuote(set));
  return parts.join(' ');
}

/** A word as a POSIX shell reads it back: bare when safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
