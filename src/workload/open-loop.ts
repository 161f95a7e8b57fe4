/**
 * Open-loop arrival processes (constant, poisson, ramp, step, burst, diurnal): arrivals come
 * at their scheduled times whatever the system does with them, like `hey -q`, k6's
 * `constant-arrival-rate`/`ramping-arrival-rate` or invitro's loader.
 *
 * One pending engine event per workload: each arrival schedules the next one with the same
 * handler and the workload record as its argument, so no closure is made per request and the
 * memory is constant however long the window.
 *
 * Fidelity: arrivals are points in continuous virtual time (fractions of a ms allowed). Rates
 * are exact curves (see intensity.ts). A `regular` process puts arrival k where the expected
 * count Λ(t) reaches k + ½, so a window holding Λ = N expected arrivals gets N of them, each
 * centred in its share: `constant` at 10/s from 0 gives 50 ms, 150 ms, 250 ms, …
 */
import { drawExponential, type Engine, type EventHandle, type Rng } from '../engine/index.js';
import { PiecewiseLinearIntensity, SinusoidIntensity, type Intensity } from './intensity.js';
import type { ArrivalSink, RateStep, WorkloadHandle, WorkloadPattern } from './types.js';

type OpenPattern = Exclude<WorkloadPattern, { pattern: 'closed-loop' }>;
type OpenWorkloadSpec<T> = OpenPattern & { name: string; target: T; fromMs: number; toMs: number };

/** A batch of requests that arrive at one instant (a `{atMs, count}` spike). */
interface Batch {
  loop: OpenLoop<unknown>;
  count: number;
  handle: EventHandle | null;
}

export class OpenLoop<T> implements WorkloadHandle {
  readonly name: string;
  arrivalCount = 0;
  private readonly engine: Engine;
  private readonly sink: ArrivalSink<T>;
  private readonly target: T;
  private readonly toMs: number;
  private readonly intensity: Intensity;
  private readonly poisson: boolean;
  private readonly rng: Rng;
  private pending: EventHandle | null = null;
  private readonly batches: Batch[] = [];
  private stopped = false;

  constructor(engine: Engine, spec: OpenWorkloadSpec<T>, sink: ArrivalSink<T>) {
    this.name = spec.name;
    this.engine = engine;
    this.sink = sink;
    this.target = spec.target;
    this.toMs = spec.toMs;
    this.rng = engine.rng(`workload/${spec.name}`);
    this.intensity = makeIntensity(spec);
    this.poisson = spec.pattern === 'poisson' || (spec.pattern !== 'constant' && (spec.arrivals ?? 'poisson') === 'poisson');
    if (spec.pattern === 'burst') {
      for (const spike of spec.spikes) {
        if ('count' in spike && spike.atMs >= spec.fromMs && spike.atMs < spec.toMs && spike.atMs >= engine.nowMs && spike.count > 0) {
          const batch: Batch = { loop: this, count: spike.count, handle: null };
          batch.handle = engine.at(spike.atMs, fireBatch, batch);
          this.batches.push(batch);
        }
      }
    }
    // Started after its window opened: arrivals that would have come earlier are not replayed.
    this.intensity.skipTo(engine.nowMs);
    this.scheduleNext(this.poisson ? drawExponential(this.rng, 1) : 0.5);
  }

  get outstandingCount(): number {
    return 0;
  }

  stop(): void {
    this.stopped = true;
    this.engine.cancel(this.pending);
    this.pending = null;
    for (const batch of this.batches) this.engine.cancel(batch.handle);
    this.batches.length = 0;
  }

  /** Runs at each arrival: deliver it, then schedule the next one. */
  fire(): void {
    this.pending = null;
    this.arrivalCount++;
    this.sink.arrive(this.target, this.engine.nowMs, null);
    if (this.stopped) return;
    this.scheduleNext(this.poisson ? drawExponential(this.rng, 1) : 1);
  }

  fireBatch(batch: Batch): void {
    batch.handle = null;
    const nowMs = this.engine.nowMs;
    for (let i = 0; i < batch.count && !this.stopped; i++) {
      this.arrivalCount++;
      this.sink.arrive(this.target, nowMs, null);
    }
  }

  private scheduleNext(work: number): void {
    const atMs = this.intensity.advance(work);
    if (atMs < this.toMs) this.pending = this.engine.at(atMs, fireOpen, this);
  }
}

function fireOpen(loop: OpenLoop<unknown>): void {
  loop.fire();
}

function fireBatch(batch: Batch): void {
  batch.loop.fireBatch(batch);
}

/** The rate curve of an open pattern over [fromMs, toMs). */
function makeIntensity(spec: OpenWorkloadSpec<unknown>): Intensity {
  const { fromMs, toMs } = spec;
  switch (spec.pattern) {
    case 'constant':
    case 'poisson':
      return new PiecewiseLinearIntensity([{ startMs: fromMs, endMs: toMs, startRatePerSecond: spec.ratePerSecond, endRatePerSecond: spec.ratePerSecond }]);
    case 'ramp':
      return new PiecewiseLinearIntensity([
        { startMs: fromMs, endMs: toMs, startRatePerSecond: spec.startRatePerSecond, endRatePerSecond: spec.endRatePerSecond },
      ]);
    case 'step':
      return piecewiseConstant(fromMs, toMs, 0, spec.steps);
    case 'burst': {
      // Rate = base + every rate spike covering t: one breakpoint per spike edge.
      const edges: number[] = [];
      for (const spike of spec.spikes) if ('durationMs' in spike) edges.push(spike.atMs, spike.atMs + spike.durationMs);
      edges.sort((a, b) => a - b);
      const changes: { atMs: number; ratePerSecond: number }[] = [];
      for (const atMs of edges) {
        let rate = spec.baseRatePerSecond;
        for (const spike of spec.spikes) if ('durationMs' in spike && spike.atMs <= atMs && atMs < spike.atMs + spike.durationMs) rate += spike.ratePerSecond;
        changes.push({ atMs, ratePerSecond: rate });
      }
      return piecewiseConstant(fromMs, toMs, spec.baseRatePerSecond, changes);
    }
    case 'diurnal':
      return new SinusoidIntensity(fromMs, spec.meanRatePerSecond, spec.amplitudePerSecond, spec.periodMs, spec.phaseMs ?? 0);
  }
}

/**
 * A step curve over [fromMs, toMs): `initialRatePerSecond` until the first change, then each
 * change's rate until the next (changes sorted stably by time, so of two at one instant the later wins).
 */
function piecewiseConstant(fromMs: number, toMs: number, initialRatePerSecond: number, unsorted: readonly RateStep[]): PiecewiseLinearIntensity {
  const changes = unsorted.slice().sort((a, b) => a.atMs - b.atMs);
  // The rate in force at fromMs is the last change at or before it.
  let rate = initialRatePerSecond;
  const segments: { startMs: number; endMs: number; startRatePerSecond: number; endRatePerSecond: number }[] = [];
  let startMs = fromMs;
  for (const change of changes) {
    // Sorted, so the changes at or before fromMs come first; then the ones inside the window.
    if (change.atMs <= fromMs) {
      rate = change.ratePerSecond;
      continue;
    }
    if (!(change.atMs < toMs)) break;
    if (change.atMs > startMs) segments.push({ startMs, endMs: change.atMs, startRatePerSecond: rate, endRatePerSecond: rate });
    startMs = change.atMs;
    rate = change.ratePerSecond;
  }
  if (toMs > startMs) segments.push({ startMs, endMs: toMs, startRatePerSecond: rate, endRatePerSecond: rate });
  return new PiecewiseLinearIntensity(segments);
}

/** Expected arrivals of an open pattern over its window (Λ(to) − Λ(from) plus batch spikes). */
export function expectedOpenArrivals(spec: OpenWorkloadSpec<unknown>): number {
  const { fromMs, toMs } = spec;
  if (!(toMs > fromMs)) return 0;
  let total: number;
  if (spec.pattern === 'diurnal') {
    total = new SinusoidIntensity(fromMs, spec.meanRatePerSecond, spec.amplitudePerSecond, spec.periodMs, spec.phaseMs ?? 0).mass(fromMs, toMs);
  } else {
    total = (makeIntensity(spec) as PiecewiseLinearIntensity).totalMass();
  }
  if (spec.pattern === 'burst') {
    for (const spike of spec.spikes) if ('count' in spike && spike.atMs >= fromMs && spike.atMs < toMs) total += spike.count;
  }
  return total;
}
