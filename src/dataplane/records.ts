/**
 * The records the data plane's components share, in plain objects that point at each
 * other directly (no string lookups on the request path):
 * - Req: a request in flight, reused through the entry's free list, that travels
 *   router → (activator) → queue-proxy → app as the argument of engine events. It
 *   waits in intrusive queues (intrusive-queue.ts) through its own `next`/`prev`.
 * - PodState: one pod as the activators and its queue-proxy see it: routability, the
 *   activators' probe and their trackers of it, queue-proxy's breaker (containerConcurrency
 *   slots, a queue of 10 × CC), the request statistics it publishes and its drain.
 * - AppProcess: one run of a pod's user container, as its app model drives it: starting,
 *   listening, hung or gone, its readiness flaps and the requests it took.
 * - RevisionState: what the router and the activators know of a revision: its spec, its
 *   routable pods in address order and the activators that front it.
 * - ActivatorReplica: one activator pod of the fleet (its name and address).
 * - RevisionThrottler: one activator's throttler for one revision (its place among the
 *   revision's activators, the pods assigned to it, its breaker and waiting requests) and
 *   that activator's concurrency report for the revision.
 * - PodTrackerState: one activator's tracker of one pod (its requests in flight there).
 * - RouteHost: what a request's host resolves to; the router's HostEntry implements it,
 *   so this file needs nothing from the router.
 * The fields are grouped by the component that writes them; the behaviour lives in the
 * components (revision-backends.ts, activator/, queue-proxy/), not here.
 *
 * Fidelity: a request carries only what routing and measurement need: no headers or
 * bodies; the `Knative-Proxy: activator` header is the `viaActivator` flag.
 *
 * Upstream: the state of knative/serving pkg/activator/net/throttler.go (revisionThrottler,
 * podTracker), pkg/activator/net/revision_backends.go, pkg/activator/handler/
 * concurrency_reporter.go and pkg/queue/breaker.go, kept in one record per pod, revision,
 * activator, and activator × revision.
 */
import type { Engine, EventHandle, Rng } from '../engine/index.js';
import type { Probe } from '../apis/core.js';
import type { ActivatorStatHandle } from '../autoscaler/stats.js';
import type { AppModel } from './app-model.js';
import { IntrusiveQueue } from './intrusive-queue.js';
import type { RequestView, Tally } from './measurements.js';
import { RequestStats } from './queue-proxy/request-stats.js';
import { NO_TIMEOUT } from './timeouts.js';
import { PodUsage } from './resources/pod-usage.js';

/** What a request's host resolves to (the router's HostEntry): a visibility and weighted revisions. */
export interface RouteHost {
  /** null while no Ingress programs this host (→ 404). */
  readonly visibility: 'ExternalIP' | 'ClusterLocal' | null;
  /** Revisions with a positive percent. */
  readonly revisions: readonly RevisionState[];
  /** A DomainMapping's host: the host whose splits its requests take (RewriteHost), else null. */
  readonly rewrite: RouteHost | null;
  /** A revision for one request (a weighted draw when there are several). */
  pick(): RevisionState;
}

/** Where a request is; the event handlers assert on it so that nothing ends twice. */
export const PHASE = { free: 0, routing: 1, activatorWait: 2, podQueued: 3, serving: 4 } as const;

export class Req implements RequestView {
  id = 0;
  phase: number = PHASE.free;
  host: RouteHost | null = null;
  fromCluster = false;
  rev: RevisionState | null = null;
  pod: PodState | null = null;
  viaActivator = false;
  coldStart = false;
  /** The activator's throttler that took the request (null unless it went through an activator). */
  throttler: RevisionThrottler | null = null;
  /** Set while the request holds a slot of that activator's tracker of its pod. */
  tracker: PodTrackerState | null = null;
  /** The status decided when service started (200 or 500; 504 when a timer fires before the first byte). */
  outcome = 200;
  /** A timer that ends the request (timeouts.ts reason index), or NO_TIMEOUT. */
  timeoutReason = NO_TIMEOUT;
  /** When the activator took the request (its timers count from here), NaN if it did not. */
  activatorStartMs = NaN;
  arrivalMs = 0;
  routedMs = NaN;
  podArrivalMs = NaN;
  serviceStartMs = NaN;
  endMs = NaN;
  /** The request's own service time (ms), carried from its workload (a trace function's durations); NaN: its app model draws it. */
  ownServiceMs = NaN;
  /** Absolute time at which the activator or queue-proxy times the request out while nothing has been written. */
  deadlineMs = Infinity;
  /** The reason (timeouts.ts) of the timer behind deadlineMs. */
  deadlineReason = NO_TIMEOUT;
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
    this.throttler = null;
    this.tracker = null;
    this.outcome = 200;
    this.timeoutReason = NO_TIMEOUT;
    this.activatorStartMs = NaN;
    this.arrivalMs = nowMs;
    this.routedMs = NaN;
    this.podArrivalMs = NaN;
    this.serviceStartMs = NaN;
    this.endMs = NaN;
    this.ownServiceMs = NaN;
    this.deadlineMs = Infinity;
    this.deadlineReason = NO_TIMEOUT;
    this.timer = null;
    this.next = null;
    this.prev = null;
    this.status = 0;
  }
}

/** A FIFO of requests, linked through their own `next`/`prev`. */
type ReqQueue = IntrusiveQueue<Req>;

/** Takes the first request of a queue and cancels its timeout, or returns null when the queue is empty. */
export function takeFirst(engine: Engine, queue: ReqQueue): Req | null {
  const req = queue.shift();
  if (req !== null) {
    engine.cancel(req.timer);
    req.timer = null;
  }
  return req;
}

/** Revision timeoutSeconds default (config-defaults revision-timeout-seconds: 300). */
export const DEFAULT_TIMEOUT_MS = 300_000;

/** One pod as the data plane sees it. */
export class PodState {
  readonly key: string;

  // Revision backends (from the Pod watch).
  uid = '';
  ip = '';
  /** The Pod's Ready condition is True. */
  ready = false;
  /** The pod was deleted or replaced: nothing may use it any more. */
  gone = false;
  /** Position in the revision's routable list, -1 when not routable. */
  routableIndex = -1;

  // Activators: prober and throttlers.
  /** When the activators learned of the pod; their probes run every ACTIVATOR_PROBE_PERIOD_MS from then. */
  seenAtMs = 0;
  /** The activators' probe through queue-proxy passed: they may send here before Kubernetes marks the pod Ready. */
  probed = false;
  probeTimer: EventHandle | null = null;
  /** Each activator's tracker of this pod, by the activator's ordinal; created when the pod first becomes routable to it. */
  readonly trackers: (PodTrackerState | undefined)[] = [];

  // queue-proxy: settings, breaker, stats, drain.
  /** queue-proxy is up (pod Running): it serves stats. */
  running = false;
  /** containerConcurrency enforced by this queue-proxy (0 = no breaker). */
  cc = 0;
  /** Queue depth of the breaker: 10 × cc. */
  queueDepth = 0;
  /** queue-proxy's timers (timeouts.ts): the request, response-start and idle timeouts, Infinity when unset. */
  timeoutMs = DEFAULT_TIMEOUT_MS;
  responseStartMs = Infinity;
  idleMs = Infinity;
  /** Requests in the user container. */
  active = 0;
  /** Requests waiting in the breaker queue. */
  readonly queue = new IntrusiveQueue<Req>();
  /** Requests being served (kept to fail them if the pod disappears). */
  readonly serving = new IntrusiveQueue<Req>();
  /** What queue-proxy publishes for the autoscaler. */
  readonly stats = new RequestStats();
  /** The user container's CPU and memory counters (metrics-server reads them). */
  readonly usage = new PodUsage();
  /** The pre-stop hook ran: the pod drains and takes no new requests. */
  draining = false;
  /** The pre-stop hook's callback while a drain runs. */
  drainDone: (() => void) | null = null;
  quietUntilMs = 0;
  drainTimer: EventHandle | null = null;

  // The user container (app-process.ts), as queue-proxy reaches it.
  /** The user container's current process; null when the data plane models none (the app then always answers). */
  user: AppProcess | null = null;
  /** The user's readiness probe as queue-proxy runs it (SERVING_READINESS_PROBE); null: queue-proxy answers probes itself. */
  userProbe: Probe | null = null;

  constructor(
    readonly namespace: string,
    readonly name: string,
    readonly rev: RevisionState,
  ) {
    this.key = `${namespace}/${name}`;
  }
}

function noop(): void {}

/** What an AppProcess is doing. */
export const PROCESS = { starting: 0, listening: 1, hung: 2, gone: 3 } as const;

/** One run of a pod's user container (behaviour: app-process.ts). */
export class AppProcess {
  state: number = PROCESS.starting;
  /** When it begins to listen (scheduled), or began. */
  listensAtMs = Infinity;
  /** When its start-up fails instead (a start-up failure of the app model), else Infinity. */
  failsAtMs = Infinity;
  /** When it crashes (scheduled), else Infinity. */
  crashAtMs = Infinity;
  /** When it stops answering (scheduled), else Infinity. */
  hangAtMs = Infinity;
  /** It crashes as it takes this many requests (Infinity: never). */
  crashAfterRequests = Infinity;
  /** Makes it crash now (queue-proxy calls it at the request that ends it). */
  crash: () => void = noop;
  /** Its readiness endpoint fails until this time (a readiness flap); -Infinity while it passes. */
  unreadyUntilMs = -Infinity;
  /** Requests it has taken. */
  requests = 0;
  // Scheduled transitions: listen (or fail its start-up), crash, hang, the next readiness flip.
  startTimer: EventHandle | null = null;
  crashTimer: EventHandle | null = null;
  hangTimer: EventHandle | null = null;
  flapTimer: EventHandle | null = null;

  constructor(
    readonly pod: PodState,
    /** The model of the user container's image when it started. */
    readonly app: AppModel,
    readonly startedAtMs: number,
    /** Earlier runs of the container in its pod. */
    readonly restartCount: number,
    /** Tells the kubelet the process exited on its own. */
    readonly exit: (exitCode: number, message: string) => void,
  ) {}
}

/** One revision as the router and the activator see it. */
export class RevisionState {
  readonly key: string;

  // Revision backends (from the Revision, SKS and Pod watches).
  /** Knative's containerConcurrency for the revision (0 = unlimited). */
  cc = 0;
  /** The activator's timers for the revision (timeouts.ts), from its spec; Infinity when unset. */
  timeoutMs = DEFAULT_TIMEOUT_MS;
  responseStartMs = Infinity;
  idleMs = Infinity;
  /** A Revision object was seen: its spec wins over the pods'. */
  hasRevisionObject = false;
  image: string | undefined = undefined;
  /** SKS in Proxy mode: the activator is in the path. */
  proxyMode = false;
  /** The Revision object was deleted: requests still routed here get 404. */
  deleted = false;
  /** Every known pod of the revision, in arrival order. */
  pods: PodState[] = [];
  /** Pods the activator sends to (running, Ready or passing the activator's own probe, not draining), sorted by IP. */
  routable: PodState[] = [];
  /** The Kubernetes endpoints of Serve mode: routable pods whose Ready condition is True. */
  endpoints: PodState[] = [];

  // Router: Serve mode's random choice of pod.
  directRng: Rng | null = null;

  // App processes: the failure model's draws (app-process.ts), made on first use.
  failureRng: Rng | null = null;

  // Activators.
  /** Each activator's throttler for this revision, by the activator's ordinal (created when it first fronts the revision). */
  readonly throttlers: (RevisionThrottler | undefined)[] = [];
  /** The throttlers of the activators that front the revision (its public endpoints in Proxy mode), by address. */
  activators: RevisionThrottler[] = [];
  /** The `numActivators` those activators were chosen for (0: all of them, before an SKS asks). */
  numActivators = 0;
  /** The router's choice among several activators. */
  activatorRng: Rng | null = null;

  constructor(
    readonly namespace: string,
    readonly name: string,
    /** Its measurements. */
    readonly tally: Tally,
    /** The user container's model (queue-proxy serves with it); replaced when the image or the model changes. */
    public app: AppModel,
    readonly appRng: Rng,
  ) {
    this.key = `${namespace}/${name}`;
  }
}

/** One activator replica (a pod of the knative-serving `activator` Deployment). */
export class ActivatorReplica {
  constructor(
    /** Its position in the fleet, 0-based: indexes the per-activator arrays of pods and revisions. */
    readonly ordinal: number,
    readonly name: string,
    /** Its pod address; the SKS chooses activators by address and each one infers its index from them. */
    readonly ip: string,
  ) {}
}

/** One activator's tracker of one pod: the LB policies' weight, its requests in flight there. */
export class PodTrackerState {
  /** This activator's requests in flight to the pod. */
  activatorInFlight = 0;
  /** The pod is among the ones assigned to this activator (its slots count as free capacity). */
  assigned = false;

  constructor(readonly pod: PodState) {}
}

/** One activator's throttler for one revision (revisionThrottler), and its concurrency report for it. */
export class RevisionThrottler {
  // Its place among the revision's activators (from the revision's public endpoints).
  /** Its index among the activators fronting the revision, -1 while unknown (then it takes every pod). */
  activatorIndex = -1;
  /** How many activators front the revision, 0 while unknown. */
  numActivators = 0;

  // The throttler.
  /** Requests waiting for capacity, in arrival order. */
  readonly waiting = new IntrusiveQueue<Req>();
  /** Its trackers of the pods assigned to it (all routable pods when CC = 0), in address order. */
  assigned: readonly PodTrackerState[] = [];
  /** The revision breaker's capacity (calculateCapacity): CC × assigned pods; MaxInt32 for CC = 0 with a backend. */
  capacity = 0;
  /** Requests proxied to a pod and not yet answered: they hold the revision breaker's slots. */
  inFlight = 0;
  /** CC > 0: Σ over assigned trackers of their free slots (cc − in flight). */
  freeSlots = 0;
  /** Round robin: where the next search starts. */
  rrIndex = 0;
  pumping = false;
  lbRng: Rng | null = null;

  // The activator's concurrency reporter, for this revision.
  statActive = false;
  /** Requests inside this activator for the revision: waiting in the throttler or proxied and not yet answered. */
  activatorConcurrency = 0;
  statStartMs = 0;
  statLastChangeMs = 0;
  statAreaMs = 0;
  statCount = 0;
  /** 1 until the report after the poke, which subtracts it. */
  statFirst = 0;
  /** Where this revision's stats go (ActivatorStatSink.open), as opened at the sink's version `statSinkVersion` (NaN: never). */
  statSink: ActivatorStatHandle | undefined = undefined;
  statSinkVersion = NaN;

  constructor(
    readonly activator: ActivatorReplica,
    readonly rev: RevisionState,
  ) {}
}
