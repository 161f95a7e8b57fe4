/**
 * Replays Azure Functions 2019 invocation counts as arrivals: each selected function's count for
 * a minute becomes exactly that many arrivals inside that minute, spread by a seeded rule.
 *
 * Spreads within a minute of n invocations (positions as fractions of the minute):
 * - `equidistant`: i/n for i = 0…n−1 (the first at the minute's start), like invitro's equidistant IATs.
 * - `uniform`: n independent uniform positions, sorted.
 * - `poisson`: n exponential gaps scaled to sum to the minute, arrivals at the start of each gap,
 *   the whole pattern rotated by a uniform offset so no arrival is pinned to the minute's start
 *   (invitro's exponential IATs with `shiftIAT`, vhive-serverless/invitro pkg/generator/specification.go).
 *   Conditioned on its count, a Poisson process's points are uniform order statistics, so
 *   `poisson` and `uniform` have the same distribution; they use the stream differently and so
 *   give different times for one seed. Both differ from `equidistant`, which has no randomness.
 *
 * Laziness: a function's arrivals are generated one minute at a time, when the previous minute's
 * arrivals are spent, and one engine event is pending per function. Memory is one minute of
 * positions per function (a Float64Array grown to the largest minute), never the whole day.
 *
 * Service times: with `serviceTimes` (a function's execution-time percentiles from the trace's
 * durations file, as an empirical distribution), each arrival carries its own service time, drawn
 * when it arrives from the function's own stream `workload/<name>/<HashFunction>/service-time`, so
 * the arrivals, the app models and every other stream draw what they drew without it. A function
 * with no distribution (null) leaves its requests to its target's app model (NaN is passed).
 *
 * Fidelity: the trace records counts per minute only; placement inside a minute is modelled.
 * Random positions are floored to whole µs so an arrival can never round into the next minute.
 * `timeScale` stretches trace time (0.1 plays a day in 2 h 24 min, ten times the rates); it does
 * not scale service times, which are execution times.
 */
import {
  compileDistribution,
  validateDistribution,
  type Distribution,
  type Engine,
  type EventHandle,
  type Rng,
  type Sampler,
  MS_PER_MINUTE,
} from '../engine/index.js';
import type { AzureFunctionTrace } from './azure-trace.js';
import type { ArrivalSink, WorkloadHandle } from './types.js';

export type MinuteSpread = 'uniform' | 'poisson' | 'equidistant';

export interface AzureReplaySpec<T> {
  /** Names the random streams: `workload/<name>/<HashFunction>`. */
  name: string;
  /** The functions to replay (see `selectAzureFunctions`). */
  functions: readonly AzureFunctionTrace[];
  /** The target of each function, aligned with `functions`. */
  targets: readonly T[];
  spread: MinuteSpread;
  /** First trace minute replayed, 1-based as the file's columns (default 1). */
  minuteFrom?: number;
  /** Last trace minute replayed, inclusive (default the file's last). */
  minuteTo?: number;
  /** Virtual time at which `minuteFrom` begins (default 0). */
  fromMs?: number;
  /** No arrivals at or after this time (default the end of `minuteTo`). */
  toMs?: number;
  /** Virtual ms per trace ms (default 1). */
  timeScale?: number;
  /**
   * Each function's service time (aligned with `functions`; null: its target's app model draws it).
   * Absent: every request's service time comes from its target's app model.
   */
  serviceTimes?: readonly (Distribution | null)[];
}

/** Problems with a replay spec, each `field: what is wrong`; empty when it can run. */
export function checkAzureReplaySpec(spec: AzureReplaySpec<unknown>): string[] {
  const problems: string[] = [];
  const minutes = spec.functions[0]?.perMinute.length ?? 0;
  if (typeof spec.name !== 'string' || spec.name === '') problems.push('name: must be a non-empty string');
  if (spec.targets.length !== spec.functions.length) problems.push(`targets: ${spec.targets.length} targets for ${spec.functions.length} functions`);
  if (spec.spread !== 'uniform' && spec.spread !== 'poisson' && spec.spread !== 'equidistant')
    problems.push(`spread: want uniform, poisson or equidistant, got ${String(spec.spread)}`);
  for (const fn of spec.functions) {
    if (fn.perMinute.length !== minutes) problems.push(`functions: ${fn.hashFunction} has ${fn.perMinute.length} minutes, the first has ${minutes}`);
  }
  const from = spec.minuteFrom ?? 1;
  const to = spec.minuteTo ?? minutes;
  if (!Number.isInteger(from) || from < 1 || from > minutes) problems.push(`minuteFrom: want a minute in 1..${minutes}, got ${from}`);
  if (!Number.isInteger(to) || to < from || to > minutes) problems.push(`minuteTo: want a minute in ${from}..${minutes}, got ${to}`);
  if (spec.fromMs !== undefined && !(Number.isFinite(spec.fromMs) && spec.fromMs >= 0)) problems.push(`fromMs: want a time ≥ 0, got ${spec.fromMs}`);
  if (spec.toMs !== undefined && !(spec.toMs >= (spec.fromMs ?? 0))) problems.push(`toMs: want a time ≥ fromMs, got ${spec.toMs}`);
  if (spec.timeScale !== undefined && !(Number.isFinite(spec.timeScale) && spec.timeScale > 0))
    problems.push(`timeScale: want a number > 0, got ${spec.timeScale}`);
  if (spec.serviceTimes !== undefined) {
    if (spec.serviceTimes.length !== spec.functions.length)
      problems.push(`serviceTimes: ${spec.serviceTimes.length} service times for ${spec.functions.length} functions`);
    spec.serviceTimes.forEach((d, i) => {
      if (d !== null) problems.push(...validateDistribution(d, `serviceTimes[${i}]`));
    });
  }
  return problems;
}

/** Invocations the replay will deliver if run to its end (counts in the minute range; minutes cut by `toMs` counted whole). */
export function expectedAzureArrivals(spec: AzureReplaySpec<unknown>): number {
  const minutes = spec.functions[0]?.perMinute.length ?? 0;
  const from = spec.minuteFrom ?? 1;
  let to = spec.minuteTo ?? minutes;
  if (spec.toMs !== undefined) {
    const minuteMs = MS_PER_MINUTE * (spec.timeScale ?? 1);
    to = Math.min(to, from - 1 + Math.ceil((spec.toMs - (spec.fromMs ?? 0)) / minuteMs));
  }
  let total = 0;
  for (const fn of spec.functions) {
    for (let m = from - 1; m < to; m++) {
      // A minute outside the file (a spec checkAzureReplaySpec rejects) holds nothing.
      const count = fn.perMinute[m];
      if (count !== undefined) total += count;
    }
  }
  return total;
}

// Positions below a minute's count are always drawn before they are read. A constant, so that the
// checks on the arrival path build nothing while they pass.
const POSITION_MISSING = 'knsim bug: an arrival position below the minute count was not drawn';

/** Replay state of one function; the argument of its engine events. */
class FunctionReplay {
  readonly replay: AzureReplay<unknown>;
  readonly target: unknown;
  readonly perMinute: Int32Array;
  readonly rng: Rng;
  /** The function's service time and its own stream, or null when its target's app model draws it. */
  readonly serviceTime: Sampler | null;
  readonly serviceTimeRng: Rng | null;
  /** 0-based trace minute being played; −1 before the first. */
  minute: number;
  minuteStartMs = 0;
  count = 0;
  next = 0;
  /** Sorted positions (uniform) or gap prefix sums (poisson) as fractions of the minute. */
  positions: Float64Array = new Float64Array(0);
  /** Poisson rotation: positions[k] + shift wraps past 1 for k ≥ wrapIndex. */
  shift = 0;
  wrapIndex = 0;
  pending: EventHandle | null = null;

  constructor(
    replay: AzureReplay<unknown>,
    fn: AzureFunctionTrace,
    target: unknown,
    rng: Rng,
    firstMinute: number,
    serviceTime: Sampler | null,
    serviceTimeRng: Rng | null,
  ) {
    this.replay = replay;
    this.target = target;
    this.perMinute = fn.perMinute;
    this.rng = rng;
    this.minute = firstMinute - 1;
    this.serviceTime = serviceTime;
    this.serviceTimeRng = serviceTimeRng;
  }
}

class AzureReplay<T> implements WorkloadHandle {
  readonly name: string;
  arrivalCount = 0;
  private readonly engine: Engine;
  private readonly sink: ArrivalSink<T>;
  private readonly spread: MinuteSpread;
  private readonly lastMinute: number;
  private readonly firstMinute: number;
  private readonly fromMs: number;
  private readonly toMs: number;
  private readonly minuteMs: number;
  private readonly minuteUs: number;
  private readonly replays: FunctionReplay[] = [];
  private stopped = false;

  constructor(engine: Engine, spec: AzureReplaySpec<T>, sink: ArrivalSink<T>) {
    this.name = spec.name;
    this.engine = engine;
    this.sink = sink;
    this.spread = spec.spread;
    const minutes = spec.functions[0]?.perMinute.length ?? 0;
    this.firstMinute = (spec.minuteFrom ?? 1) - 1;
    this.lastMinute = (spec.minuteTo ?? minutes) - 1;
    this.minuteMs = MS_PER_MINUTE * (spec.timeScale ?? 1);
    this.minuteUs = this.minuteMs * 1000;
    this.fromMs = spec.fromMs ?? 0;
    this.toMs = Math.min(spec.toMs ?? Infinity, this.fromMs + (this.lastMinute - this.firstMinute + 1) * this.minuteMs);
    const streamNames = new Set<string>();
    spec.functions.forEach((fn, i) => {
      // One stream per function, so selecting another function never moves this one's arrivals.
      let stream = `workload/${spec.name}/${fn.hashFunction}`;
      if (streamNames.has(stream)) stream = `${stream}#${fn.line}`;
      streamNames.add(stream);
      const d = spec.serviceTimes?.[i] ?? null;
      // Its own stream, opened only when it has a service time: a replay without durations opens none.
      const serviceTime = d === null ? null : compileDistribution(d);
      const serviceTimeRng = d === null ? null : engine.rng(`${stream}/service-time`);
      const state = new FunctionReplay(this, fn, spec.targets[i], engine.rng(stream), this.firstMinute, serviceTime, serviceTimeRng);
      this.replays.push(state);
      this.loadNextMinute(state);
    });
  }

  get outstandingCount(): number {
    return 0;
  }

  stop(): void {
    this.stopped = true;
    for (const state of this.replays) {
      this.engine.cancel(state.pending);
      state.pending = null;
    }
  }

  fire(state: FunctionReplay): void {
    state.pending = null;
    this.arrivalCount++;
    const serviceTime = state.serviceTime;
    const serviceMs = serviceTime === null ? NaN : serviceTime.sample(state.serviceTimeRng as Rng);
    this.sink.arrive(state.target as T, this.engine.nowMs, null, serviceMs);
    if (this.stopped) return;
    state.next++;
    this.scheduleNext(state);
  }

  /** Schedules the state's next arrival in its current minute, or moves on to the next busy minute. */
  private scheduleNext(state: FunctionReplay): void {
    const nowMs = this.engine.nowMs;
    while (state.next < state.count) {
      const atMs = state.minuteStartMs + this.offsetMs(state, state.next);
      if (atMs >= this.toMs) return;
      // Started late: arrivals before now are skipped rather than bunched at now.
      if (atMs >= nowMs) {
        state.pending = this.engine.at(atMs, fireFunction, state);
        return;
      }
      state.next++;
    }
    this.loadNextMinute(state);
  }

  private loadNextMinute(state: FunctionReplay): void {
    const perMinute = state.perMinute;
    let m = state.minute + 1;
    let count = perMinute[m];
    while (m <= this.lastMinute && count === 0) count = perMinute[++m];
    // Past the last minute (lastMinute is inside the file for a checked spec): the replay of this function is over.
    if (m > this.lastMinute || count === undefined) return;
    const startMs = this.fromMs + (m - this.firstMinute) * this.minuteMs;
    if (startMs >= this.toMs) return;
    state.minute = m;
    state.minuteStartMs = startMs;
    state.count = count;
    state.next = 0;
    if (this.spread !== 'equidistant') this.drawPositions(state);
    this.scheduleNext(state);
  }

  /** Fills the state's positions for a minute of `state.count` arrivals. */
  private drawPositions(state: FunctionReplay): void {
    const n = state.count;
    if (state.positions.length < n) state.positions = new Float64Array(Math.max(n, 2 * state.positions.length));
    const positions = state.positions;
    const rng = state.rng;
    if (this.spread === 'uniform') {
      for (let k = 0; k < n; k++) positions[k] = rng();
      positions.subarray(0, n).sort();
      state.shift = 0;
      state.wrapIndex = n;
      return;
    }
    // poisson: prefix sums of n Exp(1) gaps, normalised by their total, start at 0: positions[0] = 0 and
    // positions[k] = (E₁+…+E_k)/S. Example n = 2, gaps 1 and 3: positions 0 and 0.25, then a shift of
    // 0.9 puts them at 0.15 (0.25 + 0.9 − 1, first) and 0.9.
    let sum = 0;
    for (let k = 0; k < n; k++) {
      positions[k] = sum;
      sum += -Math.log(1 - rng());
    }
    if (sum > 0) {
      for (let k = 0; k < n; k++) {
        const position = positions[k];
        if (position === undefined) throw new Error(POSITION_MISSING);
        positions[k] = position / sum;
      }
    }
    const shift = rng();
    let wrap = n;
    for (let k = 0; k < n; k++) {
      const position = positions[k];
      if (position === undefined) throw new Error(POSITION_MISSING);
      if (position + shift >= 1) {
        wrap = k;
        break;
      }
    }
    state.shift = shift;
    state.wrapIndex = wrap;
  }

  /** Offset in ms of arrival i (0-based, in time order) within the state's minute. */
  private offsetMs(state: FunctionReplay, i: number): number {
    const n = state.count;
    if (this.spread === 'equidistant') return (i * this.minuteMs) / n;
    // Sorted order after rotation: first the wrapped points k ≥ wrapIndex, then k < wrapIndex.
    const k = state.wrapIndex + i;
    const wrapped = k < n;
    const position = state.positions[wrapped ? k : k - n];
    if (position === undefined) throw new Error(POSITION_MISSING);
    const fraction = wrapped ? position + state.shift - 1 : position + state.shift;
    return Math.floor(fraction * this.minuteUs) / 1000;
  }
}

function fireFunction(state: FunctionReplay): void {
  state.replay.fire(state);
}

/** Starts a replay; arrivals reach `sink` with the function's target. Throws when the spec is invalid (see `checkAzureReplaySpec`). */
export function startAzureReplay<T>(engine: Engine, spec: AzureReplaySpec<T>, sink: ArrivalSink<T>): WorkloadHandle {
  const problems = checkAzureReplaySpec(spec);
  if (problems.length > 0) throw new Error(`trace replay ${spec.name}: ${problems.join('; ')}`);
  return new AzureReplay(engine, spec, sink);
}
