/**
 * A request in flight: one small record, reused through a free list, that travels
 * router → (activator) → queue-proxy → app as the argument of engine events. Queues are
 * intrusive doubly-linked lists through the record itself, so joining, leaving (on a
 * timeout) and taking the head are O(1) and allocate nothing.
 *
 * Fidelity: a request carries only what routing and measurement need: no headers or
 * bodies; the `Knative-Proxy: activator` header is the `viaActivator` flag.
 */
import type { EventHandle } from '../engine/index.js';
import type { RequestView } from './measurements.js';
import type { HostEntry } from './router.js';
import type { PodState, RevisionState } from './state.js';

/** Where a request is; the event handlers assert on it so that nothing ends twice. */
export const PHASE = { free: 0, routing: 1, activatorWait: 2, podQueued: 3, serving: 4 } as const;

export class Req implements RequestView {
  id = 0;
  phase: number = PHASE.free;
  host: HostEntry | null = null;
  fromCluster = false;
  rev: RevisionState | null = null;
  pod: PodState | null = null;
  viaActivator = false;
  coldStart = false;
  /** Set while the request holds one of the activator's per-pod slots. */
  holdsActivatorSlot = false;
  /** The status decided when service started (200 or 500; 504 when the deadline comes first). */
  outcome = 200;
  arrivalMs = 0;
  routedMs = NaN;
  podArrivalMs = NaN;
  serviceStartMs = NaN;
  endMs = NaN;
  /** Absolute time at which the activator or queue-proxy times the request out. */
  deadlineMs = Infinity;
  /** The pending queue-timeout or service-completion event. */
  timer: EventHandle | null = null;
  next: Req | null = null;
  prev: Req | null = null;
  // Filled at the end, for the RequestView.
  status = 0;
  revisionKey = '';
  podName = '';
  routerMs = 0;
  activatorWaitMs = 0;
  queueWaitMs = 0;
  serviceMs = 0;

  reset(id: number, nowMs: number): void {
    this.id = id;
    this.phase = PHASE.routing;
    this.host = null;
    this.fromCluster = false;
    this.rev = null;
    this.pod = null;
    this.viaActivator = false;
    this.coldStart = false;
    this.holdsActivatorSlot = false;
    this.outcome = 200;
    this.arrivalMs = nowMs;
    this.routedMs = NaN;
    this.podArrivalMs = NaN;
    this.serviceStartMs = NaN;
    this.endMs = NaN;
    this.deadlineMs = Infinity;
    this.timer = null;
    this.next = null;
    this.prev = null;
    this.status = 0;
  }
}

/** A FIFO of requests linked through their own `next`/`prev` fields. */
export class ReqQueue {
  head: Req | null = null;
  tail: Req | null = null;
  length = 0;

  push(req: Req): void {
    req.next = null;
    req.prev = this.tail;
    if (this.tail === null) this.head = req;
    else this.tail.next = req;
    this.tail = req;
    this.length++;
  }

  shift(): Req | null {
    const req = this.head;
    if (req !== null) this.remove(req);
    return req;
  }

  /** Removes a request that is in this queue. */
  remove(req: Req): void {
    if (req.prev === null) this.head = req.next;
    else req.prev.next = req.next;
    if (req.next === null) this.tail = req.prev;
    else req.next.prev = req.prev;
    req.next = null;
    req.prev = null;
    this.length--;
  }
}
