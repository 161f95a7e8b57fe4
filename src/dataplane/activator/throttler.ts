/**
 * The activator's throttler: per revision, a queue of requests waiting for capacity and
 * the per-pod slots that bound what it sends to each pod. A request proceeds at once
 * when nothing waits and a slot is free, waits otherwise (timing out with 504 at the
 * revision's timeout), or is refused with 503 when the queue is full. Whenever capacity
 * appears (a request ends, a pod becomes routable) the queue is pumped in FIFO order.
 *
 * Capacity: with containerConcurrency CC > 0 each routable pod has CC slots, so the
 * revision has Σ (CC − activator requests in flight to the pod) free slots; with CC = 0
 * the "infinite breaker" lets everything through once one pod is routable.
 *
 * Fidelity (what is simplified):
 * - One activator (numActivators is ignored): it owns every pod, capacity = CC × pods.
 * - The waiting queue holds at most 10,000 requests per revision (503 beyond). Upstream's
 *   revision breaker has 10,000 + MaxInt32 slots, i.e. in practice no bound; knsim bounds
 *   it so that memory stays bounded, as knative-spec.md §4 describes.
 * - A pick never races: a slot counted free is free, so the per-pod re-queue of upstream
 *   never happens.
 *
 * Upstream: knative/serving pkg/activator/net/throttler.go (revisionThrottler: Try,
 * handleUpdate, breakerQueueDepth), pkg/queue/breaker.go (the revision breaker).
 */
import type { Engine } from '../../engine/index.js';
import { STATUS } from '../measurements.js';
import type { DataplanePorts } from '../ports.js';
import type { QueueProxy } from '../queue-proxy/queue-proxy.js';
import { PHASE, takeFirst, type PodState, type Req, type RevisionState } from '../records.js';
import { FIRST_AVAILABLE_MAX_CC, firstAvailable, randomChoice2, roundRobin } from './lb-policy.js';

/** The activator's per-revision queue depth (pkg/activator/net/throttler.go breakerQueueDepth). */
export const ACTIVATOR_QUEUE_DEPTH = 10_000;

export class Throttler {
  /** Bound once: the wait timeout carries the request record, not a closure. */
  private readonly waitTimeoutFn = (req: Req): void => this.waitTimeout(req);

  constructor(
    private readonly engine: Engine,
    private readonly ports: DataplanePorts,
    private readonly queueProxy: QueueProxy,
    private readonly queueDepth: number,
  ) {}

  /** A request for the revision: proxied to a pod now, queued until capacity appears, or refused (503). */
  try(rev: RevisionState, req: Req, nowMs: number): void {
    if (rev.waiting.length === 0 && canDispatch(rev)) {
      this.dispatch(rev, req, nowMs);
      return;
    }
    if (rev.waiting.length >= this.queueDepth) {
      // The throttler's breaker refuses: "pending request queue full".
      this.ports.finish(req, STATUS.unavailable, nowMs);
      return;
    }
    req.phase = PHASE.activatorWait;
    rev.waiting.push(req);
    if (req.deadlineMs !== Infinity) req.timer = this.engine.at(req.deadlineMs, this.waitTimeoutFn, req);
  }

  /** A proxied request ended: its pod slot frees (if the pod is still routable) and waiting requests go. */
  release(rev: RevisionState, pod: PodState, nowMs: number): void {
    pod.activatorInFlight--;
    if (rev.cc > 0 && pod.routableIndex >= 0 && pod.activatorInFlight < rev.cc) rev.freeSlots++;
    if (rev.waiting.length > 0) this.pump(rev, nowMs);
  }

  /** The revision's routable pods changed: count the free slots again, then dispatch. */
  handleUpdate(rev: RevisionState, nowMs: number): void {
    const pods = rev.routable;
    let free = 0;
    if (rev.cc > 0) for (const pod of pods) free += Math.max(0, rev.cc - pod.activatorInFlight);
    rev.freeSlots = free;
    if (rev.waiting.length > 0) this.pump(rev, nowMs);
  }

  /** Ends every waiting request of the revision with `status` (the revision was deleted: 404). */
  failWaiting(rev: RevisionState, status: number, nowMs: number): void {
    for (let req = takeFirst(this.engine, rev.waiting); req !== null; req = takeFirst(this.engine, rev.waiting)) this.ports.finish(req, status, nowMs);
  }

  /** Hands a request to a pod chosen by the LB policy; the caller checked `canDispatch`. */
  private dispatch(rev: RevisionState, req: Req, nowMs: number): void {
    const pod = this.pick(rev);
    pod.activatorInFlight++;
    req.holdsActivatorSlot = true;
    if (rev.cc > 0) rev.freeSlots--;
    this.queueProxy.admit(pod, req, nowMs);
  }

  /** The LB policy of the revision's containerConcurrency (lb-policy.ts) over its routable pods. */
  private pick(rev: RevisionState): PodState {
    const pods = rev.routable;
    const cc = rev.cc;
    if (cc === 0) {
      // One pod: no draw, and no stream.
      const first = pods[0];
      if (pods.length === 1 && first !== undefined) return first;
      if (rev.lbRng === null) rev.lbRng = this.engine.rng(`activator/${rev.key}`);
      return randomChoice2(pods, rev.lbRng);
    }
    let i: number;
    if (cc <= FIRST_AVAILABLE_MAX_CC) {
      i = firstAvailable(pods, cc);
    } else {
      i = roundRobin(pods, cc, rev.rrIndex);
      if (i >= 0) rev.rrIndex = i + 1;
    }
    // -1 (no free slot) reads as undefined too.
    const pod = pods[i];
    if (pod === undefined) throw new Error(`dataplane: activator found no free slot for ${rev.key} although ${rev.freeSlots} were counted`);
    return pod;
  }

  /** Dispatches waiting requests while capacity allows (re-entrant calls fold into the running loop). */
  private pump(rev: RevisionState, nowMs: number): void {
    if (rev.pumping) return;
    rev.pumping = true;
    while (rev.waiting.length > 0 && canDispatch(rev)) this.dispatch(rev, takeFirst(this.engine, rev.waiting) as Req, nowMs);
    rev.pumping = false;
  }

  /** One of the activator's timers fires while the request waits in the throttler: 504. */
  private waitTimeout(req: Req): void {
    if (req.phase !== PHASE.activatorWait) throw new Error(`dataplane: activator timeout for request ${req.id} in phase ${req.phase}`);
    const nowMs = this.engine.nowMs;
    req.timer = null;
    (req.rev as RevisionState).waiting.remove(req);
    req.timeoutReason = req.deadlineReason;
    this.ports.finish(req, STATUS.timeout, nowMs);
  }
}

function canDispatch(rev: RevisionState): boolean {
  // CC = 0: the infinite breaker lets everything through once one backend exists.
  return rev.routable.length > 0 && (rev.cc === 0 || rev.freeSlots > 0);
}
