/**
 * Closed-loop users, as `hey -c N` or k6's `constant-vus` run them: each user sends one request,
 * waits for its response, thinks, and sends the next. The offered load therefore falls when the
 * system slows down, which is what makes a closed loop hide latency that an open loop exposes.
 *
 * Fidelity: one request per user at a time, think time drawn after each response from the
 * workload's own stream. `hey` has no think time (use constant 0) and starts all workers at once
 * (the default here); `rampUpMs` spreads the starts evenly, as k6's ramping executors do.
 * A user whose next send would fall at or after `toMs` stops. A user sends again whatever
 * the status of its response (hey counts errors and goes on). A real round trip is never zero:
 * a user sends at most once per millisecond (MIN_CYCLE_MS), so a response that comes back at
 * the instant it was sent (a 404 with no route, a 503 from a full queue) with no think time
 * still moves virtual time forward. Mirrors the worker loop of rakyll/hey
 * `requester/requester.go` (runWorker) in behaviour, not in code.
 */
import { compileDistribution, type Distribution, type Engine, type EventHandle, type Rng, type Sampler } from '../engine/index.js';
import type { ArrivalSink, ClosedLoopUser, WorkloadHandle } from './types.js';

interface ClosedLoopSpec<T> {
  name: string;
  target: T;
  fromMs: number;
  toMs: number;
  users: number;
  thinkTime: Distribution;
  rampUpMs?: number;
}

/** Shortest time between two sends of one user (see the module comment). */
export const MIN_CYCLE_MS = 1;

class User implements ClosedLoopUser {
  readonly workloadName: string;
  readonly index: number;
  outstanding = false;
  /** When the outstanding (or last) request was sent. */
  sentAtMs = 0;
  pending: EventHandle | null = null;
  readonly loop: ClosedLoop<unknown>;

  constructor(loop: ClosedLoop<unknown>, index: number) {
    this.loop = loop;
    this.workloadName = loop.name;
    this.index = index;
  }

  complete(): void {
    this.loop.onComplete(this);
  }
}

export class ClosedLoop<T> implements WorkloadHandle {
  readonly name: string;
  arrivalCount = 0;
  outstandingCount = 0;
  private readonly engine: Engine;
  private readonly sink: ArrivalSink<T>;
  private readonly target: T;
  private readonly toMs: number;
  private readonly thinkTime: Sampler;
  private readonly rng: Rng;
  private readonly users: User[] = [];
  private stopped = false;

  constructor(engine: Engine, spec: ClosedLoopSpec<T>, sink: ArrivalSink<T>) {
    this.name = spec.name;
    this.engine = engine;
    this.sink = sink;
    this.target = spec.target;
    this.toMs = spec.toMs;
    this.thinkTime = compileDistribution(spec.thinkTime);
    this.rng = engine.rng(`workload/${spec.name}`);
    const rampUpMs = spec.rampUpMs ?? 0;
    const startMs = Math.max(spec.fromMs, engine.nowMs);
    for (let i = 0; i < spec.users; i++) {
      const user = new User(this, i);
      this.users.push(user);
      // User i starts at from + i·rampUp/N: with 4 users over 1 s, at 0, 250, 500 and 750 ms.
      const atMs = startMs + (i * rampUpMs) / spec.users;
      if (atMs < this.toMs) user.pending = engine.at(atMs, sendFromUser, user);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const user of this.users) {
      this.engine.cancel(user.pending);
      user.pending = null;
    }
  }

  send(user: User): void {
    user.pending = null;
    if (this.stopped) return;
    user.outstanding = true;
    user.sentAtMs = this.engine.nowMs;
    this.outstandingCount++;
    this.arrivalCount++;
    this.sink.arrive(this.target, this.engine.nowMs, user);
  }

  onComplete(user: User): void {
    if (!user.outstanding) {
      throw new Error(`workload ${this.name}: user ${user.index} completed at ${this.engine.nowMs}ms without a request outstanding`);
    }
    user.outstanding = false;
    this.outstandingCount--;
    if (this.stopped) return;
    const thought = this.engine.nowMs + this.thinkTime.sample(this.rng);
    const atMs = thought > user.sentAtMs + MIN_CYCLE_MS ? thought : user.sentAtMs + MIN_CYCLE_MS;
    if (atMs < this.toMs) user.pending = this.engine.at(atMs, sendFromUser, user);
  }
}

function sendFromUser(user: User): void {
  user.loop.send(user);
}
