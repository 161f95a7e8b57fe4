// Test helper: an ArrivalSink that records arrival times per target and checks the clock.
import type { Engine } from '../../src/engine/index.js';
import type { ArrivalSink, ClosedLoopUser } from '../../src/workload/index.js';

export class Recorder<T> implements ArrivalSink<T> {
  readonly times: number[] = [];
  readonly targets: T[] = [];
  readonly users: (ClosedLoopUser | null)[] = [];
  /** The service time each arrival carried (NaN when it carried none). */
  readonly serviceMs: number[] = [];
  /** Largest engine.pendingCount seen at an arrival (laziness checks). */
  maxPending = 0;

  constructor(private readonly engine: Engine) {}

  arrive(target: T, nowMs: number, user: ClosedLoopUser | null, serviceMs = NaN): void {
    if (nowMs !== this.engine.nowMs) throw new Error(`arrival reported at ${nowMs} while the clock is ${this.engine.nowMs}`);
    this.times.push(nowMs);
    this.targets.push(target);
    this.users.push(user);
    this.serviceMs.push(serviceMs);
    if (this.engine.pendingCount > this.maxPending) this.maxPending = this.engine.pendingCount;
  }

  /** Arrivals with time in [fromMs, toMs). */
  countBetween(fromMs: number, toMs: number): number {
    let n = 0;
    for (const t of this.times) if (t >= fromMs && t < toMs) n++;
    return n;
  }
}

/** Differences between consecutive times: [t1 − t0, t2 − t1, …] (empty for fewer than two). */
export function gaps(times: readonly number[]): number[] {
  const out: number[] = [];
  let previous: number | undefined;
  for (const t of times) {
    if (previous !== undefined) out.push(t - previous);
    previous = t;
  }
  return out;
}

/** |observed − expected| within k standard deviations of a Poisson count (sd = √expected). */
export function withinPoissonSd(observed: number, expected: number, k = 4): boolean {
  return Math.abs(observed - expected) <= k * Math.sqrt(Math.max(expected, 1));
}

/** ∫ rate(t) dt over [fromMs, toMs) by the midpoint rule with `steps` slices; rate per second, result in arrivals. */
export function integrateRate(rate: (tMs: number) => number, fromMs: number, toMs: number, steps = 20000): number {
  const h = (toMs - fromMs) / steps;
  let total = 0;
  for (let i = 0; i < steps; i++) total += rate(fromMs + (i + 0.5) * h);
  return (total * h) / 1000;
}
