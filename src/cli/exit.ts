/**
 * How a knsim command ends: its exit code (0 success, 1 a failed expectation, invariant or
 * timeline step, 2 bad input: scenario, flags, files; 3 a run stopped before its end; 70 an
 * internal error, sysexits' EX_SOFTWARE), the usage error a
 * command throws for bad flags or files, which main.ts prints in one line with exit 2, and
 * the one line that reports an internal error: what knsim was doing (the virtual time, the
 * engine event, the seed) and the command that replays it, the stack only with `--debug`.
 */
import { formatClock, type FailedEvent, type Simulation } from '../index.js';

export const EXIT_OK = 0;
export const EXIT_EXPECTATION_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
/** The run stopped before the scenario's end (`stopReason`, e.g. the event limit): its figures cover only part of it. */
export const EXIT_STOPPED_EARLY = 3;
/** A bug in knsim (sysexits.h EX_SOFTWARE): never a user's mistake. */
export const EXIT_INTERNAL = 70;

/** Bad flags or files, said in one line (exit 2, no stack trace). */
export class UsageError extends Error {}

/** What the command was doing when an internal error escaped: set while a scenario loads or runs. */
export interface ActivityContext {
  /** `loading scenarios/x.yaml`, `running scenarios/x.yaml`. */
  doing: string;
  /** The run's seed, once a scenario is loaded. */
  seed?: string | number;
  /** Virtual time of the simulation in ms, when one exists. */
  nowMs?: number;
  /** The engine event whose handler threw, if the error came out of one. */
  event?: FailedEvent;
  /** The command that replays this exactly (`--debug` is added). */
  replay: string;
}

/** What the command does now: set by load.ts and simulate.ts, read by main.ts when knsim fails inside. */
interface Activity {
  doing: string;
  replay: string;
  seed?: string | number;
  sim?: Simulation;
}

let activity: Activity | undefined;

/** Says what the command does from now on (loading, running); undefined once done. */
export function setActivity(next: Activity | undefined): void {
  activity = next;
}

/** What the command was doing, with the simulation's virtual time and the engine event that threw. */
export function currentActivity(): ActivityContext | undefined {
  if (activity === undefined) return undefined;
  const engine = activity.sim?.world.engine;
  const context: ActivityContext = { doing: activity.doing, replay: activity.replay };
  if (activity.seed !== undefined) context.seed = activity.seed;
  if (engine !== undefined) {
    context.nowMs = engine.nowMs;
    if (engine.failedEvent !== undefined) context.event = engine.failedEvent;
  }
  return context;
}

/** A word as a POSIX shell reads it back: bare when safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The one line an internal error prints, e.g.
 * `knsim: internal error while running x.yaml at 00:01:23.456 (seed 1, event 1234: fireOpen(OpenLoop)): boom; replay: knsim run x.yaml --seed 1 --debug`.
 */
export function internalErrorLine(err: unknown, context: ActivityContext | undefined): string {
  const what = err instanceof Error ? err.message : String(err);
  const message = what.split('\n')[0] ?? what;
  if (context === undefined) return `knsim: internal error: ${message}`;
  const facts: string[] = [];
  if (context.seed !== undefined) facts.push(`seed ${String(context.seed)}`);
  if (context.event !== undefined) facts.push(`event ${context.event.index}: ${context.event.handler}`);
  const at = context.event?.timeMs ?? context.nowMs;
  const when = at === undefined ? '' : ` at ${formatClock(at)} virtual time`;
  return `knsim: internal error while ${context.doing}${when}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}: ${message}; replay: ${context.replay} --debug`;
}
