/**
 * An activator's throttler: per revision (a RevisionThrottler record per activator), the
 * requests waiting for capacity, the revision breaker that bounds what this activator sends
 * to the revision, and its per-pod trackers that bound what it sends to each pod. A request
 * proceeds at once when nothing waits and capacity is free, waits otherwise (timing out with
 * 504 at the revision's timeout), and is refused with 503 only beyond the revision breaker's
 * admission limit. Whenever capacity appears (a request ends, a pod becomes routable, the
 * activator's share changes) the queue is pumped in FIFO order.
 *
 * Capacity: the activator's trackers of the revision's routable pods, sorted by address, are
 * sliced among the activators that front the revision (capacity.ts `assignSlice`, CC > 0
 * only); with containerConcurrency CC > 0 the breaker's capacity is CC × assigned pods and
 * each assigned pod has CC − (this activator's requests in flight to it) free slots; with
 * CC = 0 the "infinite breaker" lets everything through once one pod is routable.
 *
 * Queue limits, as Knative builds them: the revision breaker is `QueueDepth 10,000,
 * MaxConcurrency MaxInt32`, and admits QueueDepth + MaxConcurrency requests (waiting plus
 * proxied) before answering 503 "pending request queue full": in practice never, so requests
 * wait until their timeout. The per-pod trackers are only ever reserved without waiting (the
 * LB policy skips a full pod), so their queues never refuse either. CC = 0 has no limit.
 *
 * Fidelity (what is simplified):
 * - A pick never races: a slot counted free is free, so the re-queue of upstream's `try`
 *   never happens. A pod keeps its tracker while it leaves and rejoins the routable pods.
 * - The waiting requests are live state, as requests in service are: they are bounded by the
 *   arrivals within the revision's timeout (and a run's requests by the scenario's
 *   `maxExpectedRequests`), not by a queue length.
 *
 * Upstream: knative/serving pkg/activator/net/throttler.go (revisionThrottler: try,
 * updateCapacity, handleUpdate; infiniteBreaker), pkg/queue/breaker.go (Breaker: Maybe,
 * Reserve, totalSlots).
 */
import type { Engine } from '../../engine/index.js';
import { STATUS } from '../measurements.js';
import type { DataplanePorts } from '../ports.js';
import type { QueueProxy } from '../queue-proxy/queue-proxy.js';
import { PHASE, PodTrackerState, takeFirst, type Req, type RevisionThrottler } from '../records.js';
import { assignSlice, calculateCapacity } from './capacity.js';
import { FIRST_AVAILABLE_MAX_CC, firstAvailable, randomChoice2, roundRobin } from './lb-policy.js';

export class Throttler {
  /** Bound once: the wait timeout carries the request record, not a closure. */
  private readonly waitTimeoutFn = (req: Req): void => this.waitTimeout(req);

  constructor(
    private readonly engine: Engine,
    private readonly ports: DataplanePorts,
    private readonly queueProxy: QueueProxy,
    /** Requests a revision breaker admits (waiting plus proxied) before it refuses; REVISION_BREAKER_SLOTS as Knative builds it. */
    private readonly breakerSlots: number,
  ) {}

  /** A request for the revision at this activator: proxied to a pod now, queued until capacity appears, or refused (503). */
  try(t: RevisionThrottler, req: Req, nowMs: number): void {
    req.throttler = t;
    if (t.waiting.length === 0 && canDispatch(t)) {
      this.dispatch(t, req, nowMs);
      return;
    }
    if (t.rev.cc > 0 && t.waiting.length + t.inFlight >= this.breakerSlots) {
      // The revision breaker refuses: "pending request queue full" (the infinite breaker of CC = 0 never does).
      this.ports.finish(req, STATUS.unavailable, nowMs);
      return;
    }
    req.phase = PHASE.activatorWait;
    t.waiting.push(req);
    if (req.deadlineMs !== Infinity) req.timer = this.engine.at(req.deadlineMs, this.waitTimeoutFn, req);
  }

  /** A proxied request ended: its breaker slot and its tracker's slot free, and waiting requests go. */
  release(t: RevisionThrottler, tracker: PodTrackerState, nowMs: number): void {
    tracker.activatorInFlight--;
    t.inFlight--;
    const cc = t.rev.cc;
    if (cc > 0 && tracker.assigned && tracker.activatorInFlight < cc) t.freeSlots++;
    if (t.waiting.length > 0) this.pump(t, nowMs);
  }

  /**
   * The revision's routable pods, or this activator's place among the revision's activators,
   * changed: assign pods again, recompute the capacity and free slots, then dispatch.
   */
  handleUpdate(t: RevisionThrottler, nowMs: number): void {
    const rev = t.rev;
    const ordinal = t.activator.ordinal;
    for (const tracker of t.assigned) tracker.assigned = false;
    const trackers: PodTrackerState[] = [];
    for (const pod of rev.routable) {
      let tracker = pod.trackers[ordinal];
      if (tracker === undefined) {
        tracker = new PodTrackerState(pod);
        pod.trackers[ordinal] = tracker;
      }
      trackers.push(tracker);
    }
    const cc = rev.cc;
    const assigned = cc > 0 ? assignSlice(trackers, t.activatorIndex, t.numActivators) : trackers;
    let free = 0;
    for (const tracker of assigned) {
      tracker.assigned = true;
      if (cc > 0) free += Math.max(0, cc - tracker.activatorInFlight);
    }
    t.assigned = assigned;
    t.freeSlots = free;
    t.capacity = calculateCapacity(cc, trackers.length, assigned.length, t.numActivators);
    if (t.waiting.length > 0) this.pump(t, nowMs);
  }

  /** Ends every waiting request of this activator for the revision with `status` (the revision was deleted: 404). */
  failWaiting(t: RevisionThrottler, status: number, nowMs: number): void {
    for (let req = takeFirst(this.engine, t.waiting); req !== null; req = takeFirst(this.engine, t.waiting)) this.ports.finish(req, status, nowMs);
  }

  /** Hands a request to a pod chosen by the LB policy; the caller checked `canDispatch`. */
  private dispatch(t: RevisionThrottler, req: Req, nowMs: number): void {
    const tracker = this.pick(t);
    tracker.activatorInFlight++;
    t.inFlight++;
    req.tracker = tracker;
    if (t.rev.cc > 0) t.freeSlots--;
    this.queueProxy.admit(tracker.pod, req, nowMs);
  }

  /** The LB policy of the revision's containerConcurrency (lb-policy.ts) over the activator's assigned pods. */
  private pick(t: RevisionThrottler): PodTrackerState {
    const trackers = t.assigned;
    const cc = t.rev.cc;
    if (cc === 0) {
      // One pod: no draw, and no stream.
      const first = trackers[0];
      if (trackers.length === 1 && first !== undefined) return first;
      if (t.lbRng === null) t.lbRng = this.engine.rng(lbStreamName(t));
      return randomChoice2(trackers, t.lbRng);
    }
    let i: number;
    if (cc <= FIRST_AVAILABLE_MAX_CC) {
      i = firstAvailable(trackers, cc);
    } else {
      i = roundRobin(trackers, cc, t.rrIndex);
      if (i >= 0) t.rrIndex = i + 1;
    }
    // -1 (no free slot) reads as undefined too.
    const tracker = trackers[i];
    if (tracker === undefined) throw new Error(`dataplane: ${t.activator.name} found no free slot for ${t.rev.key} although ${t.freeSlots} were counted`);
    return tracker;
  }

  /** Dispatches waiting requests while capacity allows (re-entrant calls fold into the running loop). */
  private pump(t: RevisionThrottler, nowMs: number): void {
    if (t.pumping) return;
    t.pumping = true;
    while (t.waiting.length > 0 && canDispatch(t)) this.dispatch(t, takeFirst(this.engine, t.waiting) as Req, nowMs);
    t.pumping = false;
  }

  /** One of the activator's timers fires while the request waits in the throttler: 504. */
  private waitTimeout(req: Req): void {
    if (req.phase !== PHASE.activatorWait) throw new Error(`dataplane: activator timeout for request ${req.id} in phase ${req.phase}`);
    const nowMs = this.engine.nowMs;
    req.timer = null;
    (req.throttler as RevisionThrottler).waiting.remove(req);
    req.timeoutReason = req.deadlineReason;
    this.ports.finish(req, STATUS.timeout, nowMs);
  }
}

/**
 * Whether the activator may send one more request: a pod is assigned to it and, for CC > 0,
 * the revision breaker has room (requests it has in flight, even to pods no longer assigned,
 * hold its slots) and an assigned pod has a free slot.
 */
function canDispatch(t: RevisionThrottler): boolean {
  return t.assigned.length > 0 && (t.rev.cc === 0 || (t.freeSlots > 0 && t.inFlight < t.capacity));
}

/**
 * The LB policy's stream: `activator/<namespace>/<revision>` for the first replica (the
 * stream a single activator has always used), `activator/<namespace>/<revision>/<replica>`
 * for the others, so that every activator draws on its own.
 */
function lbStreamName(t: RevisionThrottler): string {
  return t.activator.ordinal === 0 ? `activator/${t.rev.key}` : `activator/${t.rev.key}/${t.activator.name}`;
}
