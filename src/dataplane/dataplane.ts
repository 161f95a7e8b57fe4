/**
 * The request path of Knative Serving: ingress router → activator (when in the path) →
 * queue-proxy → user container, with every request simulated individually. This file is
 * the entry: it takes requests (`send`), routes them (`route`), ends them (`finish`),
 * keeps the pool of request records and wires the components:
 * - router.ts: the gateway's host table and weighted revision choice;
 * - revision-backends.ts: the watches, revisions and pods, the routable pod lists;
 * - activator/: the fleet of activators and the ones that front each revision, handler,
 *   throttler, pod assignment and capacity, load-balancing policy, concurrency reporter, prober;
 * - queue-proxy/: breaker, serving and timeouts, request stats, pre-stop drain;
 * - app-process.ts: what runs in a revision's containers for the kubelet (the user
 *   container's process as its app model drives it, queue-proxy's answers to probes);
 * - records.ts: the request, pod and revision records they share; ports.ts: the calls
 *   the components make back up to this file (end a request, refresh routing).
 *
 * One request is one pooled record; each hop is an engine event with the record as
 * its argument: the router hop (only when `routerLatencyMs` > 0), the end of service,
 * and a timeout only while the request waits in a queue. A request served at once
 * therefore costs one event.
 *
 * Fidelity (what is simplified; each component notes its own):
 * - Serve mode sends each request to a uniformly random Ready pod (kube-proxy's iptables
 *   choice over the public Service's endpoints), drawn from `router/pods/<revision>`; in
 *   Proxy mode the public endpoints are the revision's activators, and a request goes to a
 *   uniformly random one of them, drawn from `router/activators/<revision>` (no draw when
 *   one activator fronts the revision).
 * - A route that still names a deleted revision (propagation lag) is answered 404 at once.
 * - Responses travel back instantly: a request ends when its pod answers or fails.
 *
 * Upstream: knative/serving pkg/activator, pkg/queue (see each component), knative/networking
 * (the Ingress as a gateway programs it).
 */
import { formatDuration, must, type Engine } from '../engine/index.js';
import type { ApiServer } from '../k8s/api-server.js';
import type { ActivatorStatSink, PodStatSource } from '../autoscaler/stats.js';
import type { AppModelSpec } from './app-model.js';
import { ActivatorHandler } from './activator/handler.js';
import { ConcurrencyReporter } from './activator/concurrency-reporter.js';
import { Prober } from './activator/prober.js';
import { REVISION_BREAKER_SLOTS } from './activator/capacity.js';
import { ActivatorFleet, DEFAULT_ACTIVATOR_REPLICAS } from './activator/fleet.js';
import { Throttler } from './activator/throttler.js';
import { AppCatalog } from './app-catalog.js';
import { Measurements, STATUS, type RequestView, type Tally } from './measurements.js';
import type { DataplanePorts } from './ports.js';
import type { ContainerExit, PodUsageSource, PreStopHook, ProcessFactory } from '../k8s/index.js';
import { AppProcesses } from './app-process.js';
import { DRAIN_QUIET_MS, Drainer } from './queue-proxy/drain.js';
import { QueueProxy } from './queue-proxy/queue-proxy.js';
import { PHASE, Req, type PodState, type RevisionState, type RevisionThrottler, type RouteHost } from './records.js';
import { describeReason, TIMEOUT_REASON_KEYS } from './timeouts.js';
import { RevisionBackends } from './revision-backends.js';
import { DEFAULT_ROUTE_PROPAGATION_MS, type HostEntry } from './router.js';

// Constants, so that the checks on the request path build nothing while they pass.
const ENDPOINT_MISSING = 'knsim bug: a picked endpoint index is outside the endpoints';
const ACTIVATOR_MISSING = 'knsim bug: a picked activator index is outside the revision’s activators';

/** One activator's view of a revision, for tests and views. */
export interface ActivatorView {
  /** The activator replica, e.g. `activator-3`. */
  activator: string;
  /** Its index among the activators fronting the revision (-1 while unknown) and their number (0 while unknown). */
  activatorIndex: number;
  numActivators: number;
  /** The revision breaker's capacity at this activator (MaxInt32 for containerConcurrency 0 with a backend). */
  capacity: number;
  /** The pods assigned to this activator, in address order. */
  assignedPods: string[];
  /** Requests waiting in this activator's throttler, and proxied by it and not yet answered. */
  waiting: number;
  inFlight: number;
}

export interface DataplaneOptions {
  /** Time a request spends in the ingress gateway before routing. Default 0. */
  routerLatencyMs?: number;
  /** Delay between an Ingress write and the router using it. Default DEFAULT_ROUTE_PROPAGATION_MS. */
  routePropagationMs?: number;
  /** Activator replicas (each with its own throttlers); at least 1. Default DEFAULT_ACTIVATOR_REPLICAS (1). */
  activators?: number;
  /**
   * Requests one activator's revision breaker admits (waiting plus proxied) before it answers
   * 503. Default REVISION_BREAKER_SLOTS (10,000 + MaxInt32, as Knative builds it: never in
   * practice); tests lower it to reach that path.
   */
  activatorBreakerSlots?: number;
  /** queue-proxy drain quiet period. Default DRAIN_QUIET_MS. */
  drainQuietMs?: number;
  /** Keep per-second series per revision in the measurements (memory grows with the duration). Default true. */
  perSecondSeries?: boolean;
  /** Called once per request as it ends (tests, tracing). The view is valid only during the call. */
  onRequestEnd?: (request: RequestView) => void;
}

/** The kubelets' `terminateContainer`: ends a running container with an exit code and reason; false when it was not running. */
export type ContainerTerminator = (namespace: string, podName: string, containerName: string, exit: ContainerExit) => boolean;

/** A process killed by SIGKILL after the kernel's OOM killer: 128 + 9. */
const OOM_EXIT_CODE = 137;

interface DataplaneContext {
  engine: Engine;
  api: ApiServer;
  /** Where the activator reports (the autoscaler). */
  stats: ActivatorStatSink;
  /** App models by container image (`default` for the rest). */
  apps?: Record<string, AppModelSpec>;
  options?: DataplaneOptions;
}

interface SendOptions {
  /** The request comes from inside the cluster (may reach cluster-local hosts). */
  fromCluster?: boolean;
}

export class Dataplane {
  readonly measurements: Measurements;
  /** The queue-proxies' published stats, read by the autoscaler's scraper. */
  readonly podStats: PodStatSource;
  /** The kubelets' entry point for a container the runtime ends (an OOM kill); set by the world. */
  private terminateContainer: ContainerTerminator | undefined;

  /** Register with the kubelet: drains the pod's queue-proxy, then calls done. */
  readonly preStopHook: PreStopHook;
  /** Register with the kubelets: what runs in each container (the user's app model, queue-proxy). */
  readonly processes: ProcessFactory;
  /** The user containers' CPU and memory counters, read by metrics-server. */
  readonly podUsage: PodUsageSource;

  private readonly engine: Engine;
  private readonly apps: AppCatalog;
  private readonly backends: RevisionBackends;
  private readonly queueProxy: QueueProxy;
  private readonly activator: ActivatorHandler;
  private readonly pool: Req[] = [];
  private nextId = 0;
  private readonly routerLatencyMs: number;
  private readonly onRequestEnd: ((request: RequestView) => void) | undefined;

  // Event handlers, bound once: events carry the request record, not a closure.
  private readonly routeFn = (req: Req): void => this.route(req);

  constructor(api: ApiServer, ctx: DataplaneContext) {
    const options = ctx.options ?? {};
    const engine = ctx.engine;
    this.engine = engine;
    this.apps = new AppCatalog(ctx.apps ?? {});
    this.routerLatencyMs = options.routerLatencyMs ?? 0;
    this.onRequestEnd = options.onRequestEnd;
    this.measurements = new Measurements(engine, options.perSecondSeries ?? true);
    // The components below call back up through these (bound once).
    const ports: DataplanePorts = {
      finish: (req, status, nowMs) => this.finish(req, status, nowMs),
      refreshRoutable: (rev) => this.backends.refreshRoutable(rev),
      oomKill: (pod, memoryBytes) => this.oomKill(pod, memoryBytes),
    };
    const drainer = new Drainer(engine, ports, options.drainQuietMs ?? DRAIN_QUIET_MS);
    this.queueProxy = new QueueProxy(engine, ports, drainer);
    const throttler = new Throttler(engine, ports, this.queueProxy, options.activatorBreakerSlots ?? REVISION_BREAKER_SLOTS);
    const reporter = new ConcurrencyReporter(engine, ctx.stats);
    this.activator = new ActivatorHandler(throttler, reporter);
    const prober = new Prober(engine, ports, (pod, nowMs) => processes.activatorPassesFromMs(pod, nowMs));
    const fleet = new ActivatorFleet(engine, throttler, options.activators ?? DEFAULT_ACTIVATOR_REPLICAS);
    this.backends = new RevisionBackends(
      engine,
      api,
      { measurements: this.measurements, apps: this.apps, throttler, queueProxy: this.queueProxy, drainer, prober, fleet },
      options.routePropagationMs ?? DEFAULT_ROUTE_PROPAGATION_MS,
    );
    const processes = new AppProcesses(engine, this.apps, {
      podFor: (pod) => this.backends.podFor(pod),
      failServing: (pod, nowMs) => this.queueProxy.failServing(pod, nowMs),
      stallServing: (pod) => this.queueProxy.stall(pod),
      answersChanged: (pod) => prober.schedule(pod),
    });
    this.processes = processes.factory;
    this.podStats = {
      scrape: (namespace, podName) => this.queueProxy.scrape(this.backends.findPod(namespace, podName)),
      open: (namespace, podName) => {
        const pod = this.backends.findPod(namespace, podName);
        return pod === undefined ? undefined : this.queueProxy.statHandle(pod);
      },
      version: () => this.backends.podsVersion,
    };
    this.preStopHook = (pod, done) => drainer.preStop(this.backends.podOf(pod), done);
    this.podUsage = {
      read: (namespace, podName) => {
        const pod = this.backends.findPod(namespace, podName);
        if (pod === undefined || !pod.usage.running) return undefined;
        return { cpuUsedMilliMs: pod.usage.cpuUsedMilliMs(this.engine.nowMs), memoryBytes: pod.usage.memoryBytes(pod.active) };
      },
    };

    this.backends.start();
    reporter.start();
  }

  /** Where an OOM kill goes: the kubelets' `terminateContainer` (undefined: memory is reported, nothing is killed). */
  setContainerTerminator(terminate: ContainerTerminator | undefined): void {
    this.terminateContainer = terminate;
  }

  /** A user container over its memory limit: the runtime kills it (137, OOMKilled), the kubelet restarts it. */
  private oomKill(pod: PodState, memoryBytes: number): boolean {
    const terminate = this.terminateContainer;
    const container = pod.usage.containerName;
    if (terminate === undefined || container === '') return false;
    this.engine.trace('kubelet', `pod/${pod.name}`, `Container ${container} was OOM killed: ${memoryBytes} bytes in use, limit ${pod.usage.memoryLimitBytes}`, {
      reason: 'OOMKilled',
      container,
      memoryBytes,
      memoryLimitBytes: pod.usage.memoryLimitBytes,
      requests: pod.active,
    });
    return terminate(pod.namespace, pod.name, container, { exitCode: OOM_EXIT_CODE, reason: 'OOMKilled' });
  }

  /**
   * A request arrives at the ingress for `host` (a string, or a handle from `hostHandle`
   * to skip the lookup). Returns its id; it ends later with a status in the measurements.
   * `serviceMs`, when given, is the request's own service time (a trace function's durations):
   * the app model takes it instead of drawing one, and keeps everything else it decides.
   */
  send(host: string | HostEntry, options?: SendOptions, serviceMs = NaN): number {
    const nowMs = this.engine.nowMs;
    const req = this.pool.pop() ?? new Req();
    req.reset(++this.nextId, nowMs);
    req.ownServiceMs = serviceMs;
    req.host = typeof host === 'string' ? this.backends.hosts.entry(host) : host;
    req.fromCluster = options?.fromCluster === true;
    const m = this.measurements;
    m.arrived++;
    m.inFlight++;
    const id = req.id;
    if (this.routerLatencyMs > 0) this.engine.after(this.routerLatencyMs, this.routeFn, req);
    else this.route(req);
    return id;
  }

  /** The id the next `send` returns: a caller that must know a request before it can end (it may end inside `send`) keys it by this. */
  get nextRequestId(): number {
    return this.nextId + 1;
  }

  /** A stable handle for a host, for workloads that send many requests to it. */
  hostHandle(host: string): HostEntry {
    return this.backends.hosts.entry(host);
  }

  /** Hosts the router currently serves, sorted. */
  routableHosts(): string[] {
    return this.backends.hosts.routableHosts();
  }

  /** Changes the app model of an image from now on (e.g. make a canary slow or failing). */
  setAppModel(image: string, spec: AppModelSpec): void {
    this.apps.set(image, spec);
    this.backends.refreshApps();
  }

  /** Live counts of one revision, for views and tests. */
  revisionState(
    namespace: string,
    name: string,
  ): { routablePods: string[]; activatorWaiting: number; activatorConcurrency: number; proxyMode: boolean } | undefined {
    const rev = this.backends.findRevision(namespace, name);
    if (rev === undefined) return undefined;
    let waiting = 0;
    let concurrency = 0;
    for (const t of rev.throttlers) {
      if (t === undefined) continue;
      waiting += t.waiting.length;
      concurrency += t.activatorConcurrency;
    }
    return { routablePods: rev.routable.map((p) => p.name), activatorWaiting: waiting, activatorConcurrency: concurrency, proxyMode: rev.proxyMode };
  }

  /** The activators fronting a revision now (its public endpoints in Proxy mode), in address order. */
  activatorViews(namespace: string, name: string): ActivatorView[] {
    const rev = this.backends.findRevision(namespace, name);
    if (rev === undefined) return [];
    return rev.activators.map((t) => ({
      activator: t.activator.name,
      activatorIndex: t.activatorIndex,
      numActivators: t.numActivators,
      capacity: t.capacity,
      assignedPods: t.assigned.map((tracker) => tracker.pod.name),
      waiting: t.waiting.length,
      inFlight: t.inFlight,
    }));
  }

  /** The router hop: host → revision → activator or a Ready pod's queue-proxy (404 when nothing routes). */
  private route(req: Req): void {
    const nowMs = this.engine.nowMs;
    req.routedMs = nowMs;
    const entry = req.host as RouteHost;
    // A DomainMapping's host (RewriteHost) goes on with its target's splits; its own visibility decides who may call it.
    const target = entry.rewrite ?? entry;
    if (target.revisions.length === 0 || entry.visibility === null || target.visibility === null || (entry.visibility === 'ClusterLocal' && !req.fromCluster)) {
      this.measurements.unrouted.arrive(nowMs);
      this.finish(req, STATUS.notFound, nowMs);
      return;
    }
    const rev = target.pick();
    req.rev = rev;
    rev.tally.arrive(nowMs);
    if (rev.deleted) {
      // The route still names a revision that is gone (propagation lag): the activator
      // finds no revision and answers 404 at once (pkg/activator/handler/context_handler.go).
      this.finish(req, STATUS.notFound, nowMs);
      return;
    }
    const pods = rev.endpoints;
    if (rev.proxyMode || pods.length === 0) {
      this.activator.admit(this.pickActivator(rev), req, nowMs);
      return;
    }
    let index = 0;
    if (pods.length > 1) {
      if (rev.directRng === null) rev.directRng = this.engine.rng(`router/pods/${rev.key}`);
      index = Math.floor(rev.directRng() * pods.length);
    }
    const pod = pods[index];
    if (pod === undefined) throw new Error(ENDPOINT_MISSING);
    this.queueProxy.admit(pod, req, nowMs);
  }

  /** One of the activators fronting the revision, uniformly (the public Service's endpoints in Proxy mode). */
  private pickActivator(rev: RevisionState): RevisionThrottler {
    const activators = rev.activators;
    let index = 0;
    if (activators.length > 1) {
      if (rev.activatorRng === null) rev.activatorRng = this.engine.rng(`router/activators/${rev.key}`);
      index = Math.floor(rev.activatorRng() * activators.length);
    }
    const t = activators[index];
    if (t === undefined) throw new Error(ACTIVATOR_MISSING);
    return t;
  }

  /**
   * The event log's account of timeouts, bounded: the first request of a revision a given
   * timer ended, then the 10th, the 100th, … (every count is in the measurements).
   */
  private narrateTimeout(req: Req, tally: Tally, nowMs: number): void {
    const count = must(tally.timeouts[req.timeoutReason], 'a timeout reason below TIMEOUT_REASON_COUNT');
    if (count !== 1 && 10 ** Math.round(Math.log10(count)) !== count) return;
    const { component, timer, started } = describeReason(req.timeoutReason);
    const startMs = component === 'activator' ? req.activatorStartMs : req.podArrivalMs;
    const after = formatDuration(nowMs - startMs);
    const what = timer === 'timeoutSeconds' ? 'request timeout' : timer === 'responseStartTimeoutSeconds' ? 'response start timeout' : 'idle timeout';
    const message =
      count > 1
        ? `${count} requests ended by ${component === 'activator' ? "the activator's" : "queue-proxy's"} ${what} (${timer}) so far`
        : started
          ? `${what} (${timer}) after ${after}: the response had started, so it is cut off with its status ${req.status} already sent`
          : `504 ${what}: ${timer} passed ${timer === 'responseStartTimeoutSeconds' ? 'without a response byte' : timer === 'idleTimeoutSeconds' ? 'with nothing written' : 'before the response'} (after ${after})`;
    this.engine.trace(component, req.rev === null ? '' : req.rev.name, message, {
      reason: TIMEOUT_REASON_KEYS[req.timeoutReason],
      status: req.status,
      count,
      afterMs: nowMs - startMs,
    });
  }

  /** Ends a request exactly once: measurement, activator accounting, then the record returns to the pool. */
  private finish(req: Req, status: number, nowMs: number): void {
    if (req.phase === PHASE.free) throw new Error(`dataplane: request ${req.id} ended twice`);
    const rev = req.rev;
    const pod = req.pod;
    req.status = status;
    req.endMs = nowMs;
    const podArrivalMs = req.podArrivalMs === req.podArrivalMs ? req.podArrivalMs : nowMs;
    const serviceStartMs = req.serviceStartMs === req.serviceStartMs ? req.serviceStartMs : nowMs;
    req.routerMs = req.routedMs - req.arrivalMs;
    req.activatorWaitMs = podArrivalMs - req.routedMs;
    req.queueWaitMs = serviceStartMs - podArrivalMs;
    req.serviceMs = nowMs - serviceStartMs;
    req.revisionKey = rev === null ? '' : rev.key;
    req.podName = pod === null ? '' : pod.name;
    const tally: Tally = rev === null ? this.measurements.unrouted : rev.tally;
    tally.end(req, nowMs);
    const m = this.measurements;
    m.inFlight--;
    if (status === STATUS.ok) m.succeeded++;
    else m.failed++;
    if (req.timeoutReason >= 0) this.narrateTimeout(req, tally, nowMs);
    if (this.onRequestEnd !== undefined) this.onRequestEnd(req);
    const throttler = req.throttler;
    const tracker = req.tracker;
    req.phase = PHASE.free;
    req.host = null;
    req.rev = null;
    req.pod = null;
    req.throttler = null;
    req.tracker = null;
    this.pool.push(req);
    if (throttler !== null) this.activator.requestDone(throttler, tracker, nowMs);
  }
}

/** Starts the data plane: watches, the activator's reporter, the request path. */
export function startDataplane(ctx: DataplaneContext): Dataplane {
  return new Dataplane(ctx.api, ctx);
}
