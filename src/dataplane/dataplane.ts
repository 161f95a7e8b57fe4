/**
 * The request path of Knative Serving: ingress router → activator (when in the path) →
 * queue-proxy → user container, with every request simulated individually. This file is
 * the entry: it takes requests (`send`), routes them (`route`), ends them (`finish`),
 * keeps the pool of request records and wires the components:
 * - router.ts: the gateway's host table and weighted revision choice;
 * - revision-backends.ts: the watches, revisions and pods, the routable pod lists;
 * - activator/: handler, throttler, load-balancing policy, concurrency reporter, prober;
 * - queue-proxy/: breaker, serving and timeouts, request stats, pre-stop drain;
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
 *   choice over the public Service's endpoints), drawn from `router/pods/<revision>`.
 * - A route that still names a deleted revision (propagation lag) is answered 404 at once.
 * - Responses travel back instantly: a request ends when its pod answers or fails.
 *
 * Upstream: knative/serving pkg/activator, pkg/queue (see each component), knative/networking
 * (the Ingress as a gateway programs it).
 */
import type { Engine } from '../engine/index.js';
import type { ApiServer } from '../k8s/api-server.js';
import type { ActivatorStatSink, PodStatSource } from '../autoscaler/stats.js';
import type { AppModelSpec } from './app-model.js';
import { ActivatorHandler } from './activator/handler.js';
import { ConcurrencyReporter } from './activator/concurrency-reporter.js';
import { Prober } from './activator/prober.js';
import { ACTIVATOR_QUEUE_DEPTH, Throttler } from './activator/throttler.js';
import { AppCatalog } from './app-catalog.js';
import { Measurements, STATUS, type RequestView, type Tally } from './measurements.js';
import type { DataplanePorts } from './ports.js';
import type { PreStopHook } from '../k8s/index.js';
import { DRAIN_QUIET_MS, Drainer } from './queue-proxy/drain.js';
import { QueueProxy } from './queue-proxy/queue-proxy.js';
import { PHASE, Req, type RouteHost } from './records.js';
import { RevisionBackends } from './revision-backends.js';
import { DEFAULT_ROUTE_PROPAGATION_MS, type HostEntry } from './router.js';

// A constant, so that the check on the request path builds nothing while it passes.
const ENDPOINT_MISSING = 'knsim bug: a picked endpoint index is outside the endpoints';

export interface DataplaneOptions {
  /** Time a request spends in the ingress gateway before routing. Default 0. */
  routerLatencyMs?: number;
  /** Delay between an Ingress write and the router using it. Default DEFAULT_ROUTE_PROPAGATION_MS. */
  routePropagationMs?: number;
  /** Activator queue per revision. Default ACTIVATOR_QUEUE_DEPTH. */
  activatorQueueDepth?: number;
  /** queue-proxy drain quiet period. Default DRAIN_QUIET_MS. */
  drainQuietMs?: number;
  /** Keep per-second series per revision in the measurements (memory grows with the duration). Default true. */
  perSecondSeries?: boolean;
  /** Called once per request as it ends (tests, tracing). The view is valid only during the call. */
  onRequestEnd?: (request: RequestView) => void;
}

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
  /** Register with the kubelet: drains the pod's queue-proxy, then calls done. */
  readonly preStopHook: PreStopHook;

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
    };
    const drainer = new Drainer(engine, ports, options.drainQuietMs ?? DRAIN_QUIET_MS);
    this.queueProxy = new QueueProxy(engine, ports, drainer);
    const throttler = new Throttler(engine, ports, this.queueProxy, options.activatorQueueDepth ?? ACTIVATOR_QUEUE_DEPTH);
    const reporter = new ConcurrencyReporter(engine, ctx.stats);
    this.activator = new ActivatorHandler(throttler, reporter);
    const prober = new Prober(engine, ports);
    this.backends = new RevisionBackends(
      engine,
      api,
      { measurements: this.measurements, apps: this.apps, throttler, queueProxy: this.queueProxy, drainer, prober },
      options.routePropagationMs ?? DEFAULT_ROUTE_PROPAGATION_MS,
    );
    this.podStats = { scrape: (namespace, podName) => this.queueProxy.scrape(this.backends.findPod(namespace, podName)) };
    this.preStopHook = (pod, done) => drainer.preStop(this.backends.podOf(pod), done);

    this.backends.start();
    reporter.start();
  }

  /**
   * A request arrives at the ingress for `host` (a string, or a handle from `hostHandle`
   * to skip the lookup). Returns its id; it ends later with a status in the measurements.
   */
  send(host: string | HostEntry, options?: SendOptions): number {
    const nowMs = this.engine.nowMs;
    const req = this.pool.pop() ?? new Req();
    req.reset(++this.nextId, nowMs);
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

  /** The app's extra startup delay for an image (the kubelet adds it before the port answers). */
  appStartupDelayMs(image: string): number {
    return this.apps.startupDelayMs(image);
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
    return {
      routablePods: rev.routable.map((p) => p.name),
      activatorWaiting: rev.waiting.length,
      activatorConcurrency: rev.activatorConcurrency,
      proxyMode: rev.proxyMode,
    };
  }

  /** The router hop: host → revision → activator or a Ready pod's queue-proxy (404 when nothing routes). */
  private route(req: Req): void {
    const nowMs = this.engine.nowMs;
    req.routedMs = nowMs;
    const entry = req.host as RouteHost;
    if (entry.revisions.length === 0 || entry.visibility === null || (entry.visibility === 'ClusterLocal' && !req.fromCluster)) {
      this.measurements.unrouted.arrive(nowMs);
      this.finish(req, STATUS.notFound, nowMs);
      return;
    }
    const rev = entry.pick();
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
      this.activator.admit(rev, req, nowMs);
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
    if (this.onRequestEnd !== undefined) this.onRequestEnd(req);
    const viaActivator = req.viaActivator;
    const heldSlot = req.holdsActivatorSlot;
    req.phase = PHASE.free;
    req.host = null;
    req.rev = null;
    req.pod = null;
    this.pool.push(req);
    if (viaActivator && rev !== null) this.activator.requestDone(rev, pod, heldSlot, nowMs);
  }
}

/** Starts the data plane: watches, the activator's reporter, the request path. */
export function startDataplane(ctx: DataplaneContext): Dataplane {
  return new Dataplane(ctx.api, ctx);
}
