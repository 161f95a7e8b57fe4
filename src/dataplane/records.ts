/**
 * The records the data plane's components share, in plain objects that point at each
 * other directly (no string lookups on the request path):
 * - Req: a request in flight, reused through the entry's free list, that travels
 *   router → (activator) → queue-proxy → app as the argument of engine events. It
 *   waits in intrusive queues (intrusive-queue.ts) through its own `next`/`prev`.
 * - PodState: one pod as the activator and its queue-proxy see it: routability, the
 *   activator's probe and in-flight count, queue-proxy's breaker (containerConcurrency
 *   slots, a queue of 10 × CC), the request statistics it publishes and its drain.
 * - AppProcess: one run of a pod's user container, as its app model drives it: starting,
 *   listening, hung or gone, its readiness flaps and the requests it took.
 * - RevisionState: what the router and the activator know of a revision: its spec, its
 *   routable pods in address order, its activator throttler and the activator's
 *   concurrency report for it.
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
 * concurrency_reporter.go and pkg/queue/breaker.go, kept in one record per pod and revision.
 */
import type { Engine, EventHandle, Rng } from '../engine/index.js';
import type { Probe } from '../apis/core.js';
import type { AppModel } from './app-model.js';
import { IntrusiveQueue } from './intrusive-queue.js';
import type { RequestView, Tally } from './measurements.js';
import { RequestStats } from './queue-proxy/request-stats.js';

/** What a request's host resolves to (the router's HostEntry): a visibility and weighted revisions. */
export interface RouteHost {
  /** null while no Ingress programs this host (→ 404). */
  readonly visibility: 'ExternalIP' | 'ClusterLocal' | null;
  /** Revisions with a positive percent. */
  readonly revisions: readonly RevisionState[];
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

  // Activator: prober and throttler.
  /** When the activator learned of the pod; its probes run every ACTIVATOR_PROBE_PERIOD_MS from then. */
  seenAtMs = 0;
  /** The activator's probe through queue-proxy passed: it may send here before Kubernetes marks the pod Ready. */
  probed = false;
  probeTimer: EventHandle | null = null;
  /** The activator's in-flight requests to this pod (its podTracker weight). */
  activatorInFlight = 0;

  // queue-proxy: settings, breaker, stats, drain.
  /** queue-proxy is up (pod Running): it serves stats. */
  running = false;
  /** containerConcurrency enforced by this queue-proxy (0 = no breaker). */
  cc = 0;
  /** Queue depth of the breaker: 10 × cc. */
  queueDepth = 0;
  timeoutMs = DEFAULT_TIMEOUT_MS;
  /** Requests in the user container. */
  active = 0;
  /** Requests waiting in the breaker queue. */
  readonly queue = new IntrusiveQueue<Req>();
  /** Requests being served (kept to fail them if the pod disappears). */
  readonly serving = new IntrusiveQueue<Req>();
  /** What queue-proxy publishes for the autoscaler. */
  readonly stats = new RequestStats();
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
  timeoutMs = DEFAULT_TIMEOUT_MS;
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

  // Activator throttler.
  readonly waiting = new IntrusiveQueue<Req>();
  /** CC > 0: Σ over routable pods of free per-pod slots (cc − activator in-flight). */
  freeSlots = 0;
  /** Round robin: where the next search starts. */
  rrIndex = 0;
  pumping = false;
  lbRng: Rng | null = null;

  // Activator concurrency reporter.
  statActive = false;
  /** Requests inside the activator for this revision: waiting in the throttler or proxied and not yet answered. */
  activatorConcurrency = 0;
  statStartMs = 0;
  statLastChangeMs = 0;
  statAreaMs = 0;
  statCount = 0;
  /** 1 until the report after the poke, which subtracts it. */
  statFirst = 0;

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
