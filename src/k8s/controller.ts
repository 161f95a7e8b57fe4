/**
 * The controller harness, after knative.dev/pkg `controller` and client-go's work queue:
 * keys (`namespace/name`) are queued, duplicates collapse, and each key is reconciled
 * level-triggered in its own engine event. A reconcile may ask to be requeued after a
 * delay; an API conflict or other ApiError is retried with exponential backoff.
 * A limit on consecutive retries per key keeps a broken reconciler from spinning forever.
 */
import type { Engine, EventHandle } from '../engine/index.js';
import { objectKey, semanticallyEqualStatus, type KObject } from '../apis/meta.js';
import { isApiError, type ApiServer, type WatchEvent } from './api-server.js';

/**
 * What a reconcile returns: nothing (done), a request to look again after a delay, or
 * `requeueRateLimited` to look again after the key's exponential back-off (client-go's
 * `AddRateLimited`). A delay of 0 or less is treated as rate-limited, so a reconciler can
 * never spin at one instant of virtual time.
 */
export type ReconcileResult = void | { requeueAfterMs: number } | { requeueRateLimited: true };

interface ControllerOptions {
  /** Delay between a key being queued and its reconcile (the informer resync/processing delay). Default 0. */
  processingDelayMs?: number;
  /** First retry delay after an error; doubles per retry up to maxBackoffMs. Default 5ms (client-go's default). */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Consecutive failures after which a key is dropped with a trace entry. Default 15. */
  maxRetries?: number;
}

export class Controller {
  private readonly pending = new Set<string>();
  private readonly delayed = new Map<string, EventHandle>();
  private readonly failures = new Map<string, number>();
  private readonly processingDelayMs: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxRetries: number;
  private readonly processFn = (key: string): void => this.process(key);
  private readonly delayedFn = (key: string): void => {
    this.delayed.delete(key);
    this.enqueue(key);
  };

  constructor(
    readonly name: string,
    private readonly engine: Engine,
    private readonly reconcile: (key: string) => ReconcileResult,
    options: ControllerOptions = {},
  ) {
    this.processingDelayMs = options.processingDelayMs ?? 0;
    this.baseBackoffMs = options.baseBackoffMs ?? 5;
    this.maxBackoffMs = options.maxBackoffMs ?? 1000;
    this.maxRetries = options.maxRetries ?? 15;
  }

  /** Queues a key; a key already queued is not queued twice. */
  enqueue(key: string): void {
    if (this.pending.has(key)) return;
    this.pending.add(key);
    this.engine.after(this.processingDelayMs, this.processFn, key);
  }

  /** Queues a key after a delay; an earlier pending delayed enqueue wins. */
  enqueueAfter(key: string, delayMs: number): void {
    const existing = this.delayed.get(key);
    const at = this.engine.nowMs + delayMs;
    if (existing !== undefined) {
      if (existing.timeMs <= at) return;
      this.engine.cancel(existing);
    }
    this.delayed.set(key, this.engine.at(at, this.delayedFn, key));
  }

  /** Queues the object's own key on every watch event of a type. */
  watchOwn(api: ApiServer, type: string): void {
    api.watch(type, (e) => this.enqueue(objectKey(e.object)));
  }

  /** Queues the controlling owner's key (of `ownerKind`) on every watch event of a child type. */
  watchControlled(api: ApiServer, type: string, ownerKind: string): void {
    api.watch(type, (e: WatchEvent) => {
      const owner = e.object.metadata.ownerReferences?.find((o) => o.controller === true && o.kind === ownerKind);
      if (owner !== undefined) this.enqueue(`${e.object.metadata.namespace ?? ''}/${owner.name}`);
    });
  }

  private process(key: string): void {
    this.pending.delete(key);
    let result: ReconcileResult;
    try {
      result = this.reconcile(key);
    } catch (err) {
      if (!isApiError(err)) throw err;
      if ((this.failures.get(key) ?? 0) + 1 > this.maxRetries) {
        this.failures.delete(key);
        this.engine.trace(this.name, key, `dropping key after ${this.maxRetries} retries: ${err.message}`);
        return;
      }
      this.requeueWithBackoff(key);
      return;
    }
    // A delay too small to move the clock (0, negative, or a float residue such as 3e-11 ms
    // after `window − activeFor`) would spin at one instant: back off instead.
    if (result && ('requeueRateLimited' in result || !(this.engine.nowMs + result.requeueAfterMs > this.engine.nowMs))) {
      this.requeueWithBackoff(key);
      return;
    }
    this.failures.delete(key);
    if (result) this.enqueueAfter(key, result.requeueAfterMs);
  }

  /** client-go's ItemExponentialFailureRateLimiter: base × 2^(n−1), capped. */
  private requeueWithBackoff(key: string): void {
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    this.enqueueAfter(key, Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** (failures - 1)));
  }
}

/** Writes `status` only if it differs, setting observedGeneration to the object's generation. */
export function writeStatus<T extends KObject<unknown, S>, S extends { observedGeneration?: number }>(api: ApiServer, obj: T, status: S): T {
  const next = { ...status, observedGeneration: obj.metadata.generation };
  return api.updateStatus({ ...obj, status: next });
}

/**
 * Writes `status` (with observedGeneration) as knative.dev/pkg's generated reconcilers
 * do: only when it differs from the stored status other than in condition timestamps.
 * `status` is the caller's own copy, handed over: observedGeneration is set on it (where a
 * spread would copy it once more on every reconcile), and it becomes the stored status.
 * Returns the stored object and whether it was written.
 */
export function writeKnativeStatus<T extends KObject<unknown, S>, S extends { observedGeneration?: number }>(
  api: ApiServer,
  obj: T,
  status: S,
): { object: T; written: boolean } {
  status.observedGeneration = obj.metadata.generation;
  if (semanticallyEqualStatus(status, obj.status)) return { object: obj, written: false };
  return { object: api.updateStatus({ ...obj, status }), written: true };
}
