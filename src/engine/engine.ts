/**
 * The discrete-event engine: one virtual clock, one event queue, named random
 * streams and a trace with a running fingerprint. Nothing here reads the wall clock.
 *
 * Handlers are plain functions with one argument, so a hot path can pass a record
 * instead of allocating a closure per event.
 */
import { EventQueue, type EventRecord } from './event-queue.js';
import { Fingerprint } from './fingerprint.js';
import { createRng, type Rng } from './rng.js';

/** A handle to a scheduled event, accepted by `cancel`. */
export type EventHandle = EventRecord;

/** One traced fact: the narrated log and the fingerprint are built from these. */
export interface TraceEntry {
  /** Virtual time in ms. */
  t: number;
  /** Which controller or component acted, e.g. `autoscaler`, `kubelet`, `deployment-controller`. */
  component: string;
  /** The object it acted on, e.g. `sunshine-00001` or `pod/sunshine-00001-deployment-abc12`. */
  object: string;
  /** What happened, in the words of `kubectl describe`. */
  message: string;
  /** Optional structured detail (numbers behind the message) for teaching views. */
  data?: Record<string, unknown>;
}

type TraceListener = (entry: TraceEntry) => void;

/** Why a run stopped. */
export type StopReason = 'until' | 'drained' | 'event-limit';

export interface RunOutcome {
  reason: StopReason;
  /** Events executed by this call. */
  events: number;
  /** Virtual time when the run stopped. */
  nowMs: number;
}

interface RunOptions {
  /** Stop once the next event is later than this time; the clock is then set to it. */
  untilMs?: number;
  /** Stop after this many events with reason `event-limit` instead of running forever. */
  maxEvents?: number;
}

/** The event that threw out of `run`: when it was due, its number and what it was doing. */
export interface FailedEvent {
  /** Virtual time in ms the event was due at (the clock then). */
  timeMs: number;
  /** 1-based number of the event since the engine was created. */
  index: number;
  /** The handler's name and its argument's class, e.g. `fireOpen(OpenLoop)`, for a one-line report. */
  handler: string;
}

/** A repeating timer created by `every`. */
export interface Ticker {
  cancel(): void;
}

interface EngineOptions {
  /** Root seed of every random stream. */
  seed: string | number;
}

export class Engine {
  /** Current virtual time in ms since the start of the scenario. */
  nowMs = 0;
  readonly seed: string | number;
  private readonly queue = new EventQueue();
  private readonly fingerprint = new Fingerprint();
  private readonly listeners: TraceListener[] = [];
  private readonly streams = new Map<string, Rng>();
  private executed = 0;
  private failed: FailedEvent | undefined;

  constructor(options: EngineOptions) {
    this.seed = options.seed;
  }

  /** Total events executed since the engine was created. */
  get eventCount(): number {
    return this.executed;
  }

  /** The event whose handler threw out of `run`, if one did (for the CLI's one-line internal-error report). */
  get failedEvent(): FailedEvent | undefined {
    return this.failed;
  }

  /** Events still pending. */
  get pendingCount(): number {
    return this.queue.size;
  }

  /** Schedules `fn(arg)` at absolute time `atMs` (never earlier than now). */
  at<A>(atMs: number, fn: (arg: A) => void, arg?: A): EventHandle {
    if (!(atMs >= this.nowMs)) {
      if (Number.isNaN(atMs)) throw new Error(`engine: cannot schedule at NaN (now ${this.nowMs}ms)`);
      atMs = this.nowMs;
    }
    return this.queue.push(atMs, fn, arg as A);
  }

  /** Schedules `fn(arg)` after `delayMs` (negative delays run now, after already scheduled events). */
  after<A>(delayMs: number, fn: (arg: A) => void, arg?: A): EventHandle {
    return this.at(this.nowMs + (delayMs > 0 ? delayMs : 0), fn, arg);
  }

  /** Cancels a pending event; returns false if it already ran or was cancelled. */
  cancel(handle: EventHandle | null | undefined): boolean {
    return handle != null && this.queue.remove(handle);
  }

  /**
   * Runs `fn(nowMs)` every `periodMs`, first at `firstAtMs` (default: one period from now).
   * Tickers are ordinary events, so they interleave with others in scheduling order.
   */
  every(periodMs: number, fn: (nowMs: number) => void, firstAtMs?: number): Ticker {
    if (!(periodMs > 0)) throw new Error(`engine: ticker period must be > 0, got ${periodMs}`);
    let handle: EventHandle | null = null;
    let stopped = false;
    const tick = (): void => {
      if (stopped) return;
      handle = this.after(periodMs, tick);
      fn(this.nowMs);
    };
    handle = this.at(firstAtMs ?? this.nowMs + periodMs, tick);
    return {
      cancel: () => {
        stopped = true;
        this.cancel(handle);
      },
    };
  }

  /**
   * Runs events in (time, sequence) order until none are left, the next one is past
   * `untilMs`, or `maxEvents` have run. Never hangs: the limit ends it with a named reason.
   */
  run(options: RunOptions = {}): RunOutcome {
    const untilMs = options.untilMs ?? Infinity;
    const maxEvents = options.maxEvents ?? Infinity;
    const queue = this.queue;
    const fingerprint = this.fingerprint;
    let events = 0;
    let next: EventRecord | undefined;
    // One try around the whole loop (not one per event): a throw records which event it was.
    try {
      for (;;) {
        next = queue.peek();
        if (next === undefined) {
          if (untilMs !== Infinity) this.nowMs = Math.max(this.nowMs, untilMs);
          return { reason: 'drained', events, nowMs: this.nowMs };
        }
        if (next.timeMs > untilMs) {
          this.nowMs = Math.max(this.nowMs, untilMs);
          return { reason: 'until', events, nowMs: this.nowMs };
        }
        if (events >= maxEvents) return { reason: 'event-limit', events, nowMs: this.nowMs };
        queue.pop();
        this.nowMs = next.timeMs;
        fingerprint.mixNumber(next.timeMs);
        events++;
        this.executed++;
        next.fn(next.arg);
      }
    } catch (err) {
      if (next !== undefined) this.failed = { timeMs: next.timeMs, index: this.executed, handler: describeHandler(next.fn, next.arg) };
      throw err;
    }
  }

  /** The stream named `name`, created on first use and seeded from `<seed>/<name>`. */
  rng(name: string): Rng {
    let stream = this.streams.get(name);
    if (stream === undefined) {
      stream = createRng(this.seed, name);
      this.streams.set(name, stream);
    }
    return stream;
  }

  /** Records a notable fact: it enters the fingerprint and reaches every trace listener. */
  trace(component: string, object: string, message: string, data?: Record<string, unknown>): void {
    this.fingerprint.mixString(component);
    this.fingerprint.mixString(object);
    this.fingerprint.mixString(message);
    if (this.listeners.length === 0) return;
    const entry: TraceEntry = data === undefined ? { t: this.nowMs, component, object, message } : { t: this.nowMs, component, object, message, data };
    for (const listener of this.listeners) listener(entry);
  }

  /** Subscribes to traced facts; returns the unsubscribe function. */
  onTrace(listener: TraceListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Mixes a value that must be equal between replays (e.g. a summary) into the fingerprint. */
  mixIntoFingerprint(text: string): void {
    this.fingerprint.mixString(text);
  }

  /**
   * The running fingerprint with `text` mixed in (e.g. a run's summary), leaving the running one
   * as it is: asked twice at the same point, it gives the same value.
   */
  fingerprintWith(text: string): string {
    const f = this.fingerprint.copy();
    f.mixString(text);
    return f.digest();
  }

  /** The running fingerprint: 16 hex digits. */
  get fingerprintHex(): string {
    return this.fingerprint.digest();
  }
}

/** `name(ArgClass)`: what an event was doing, from its handler and argument (no closure is inspected). */
function describeHandler(fn: (arg: unknown) => void, arg: unknown): string {
  const name = fn.name === '' ? 'an anonymous handler' : fn.name;
  const argClass = arg !== null && typeof arg === 'object' ? (arg as { constructor?: { name?: string } }).constructor?.name : undefined;
  return argClass === undefined || argClass === '' || argClass === 'Object' ? name : `${name}(${argClass})`;
}
