/**
 * The request path of Knative Serving: ingress router → activator (when in the path) →
 * queue-proxy → user container, with every request simulated individually.
 *
 * One request is one pooled record; each hop is an engine event with the record as
 * its argument: the router hop (only when `routerLatencyMs` > 0), the end of service,
 * and a timeout only while the request waits in a queue. A request served at once
 * therefore costs one event.
 *
 * What the data plane watches (all through the fake API):
 * - `Ingress`: the host table, applied `routePropagationMs` after each write.
 * - `ServerlessService`: `spec.mode` Proxy puts the activator in the path; so does a
 *   revision with no routable pod. A revision without an SKS is treated as Serve.
 * - `Pod` with label `serving.knative.dev/revision`: the activator sends to a pod once its
 *   own probe through queue-proxy passes (every 200 ms from when it saw the pod, once the
 *   containers have started and the app listens: `status.startup`), or once the pod is
 *   Ready, whichever is first; Serve mode uses only Ready pods (the Kubernetes endpoints).
 *   Draining pods take nothing new. We watch Pods rather than the
 *   `<revision>-private` Endpoints because the activator probes pods itself and uses
 *   them as soon as queue-proxy answers, ahead of the Endpoints update (throttler.go,
 *   revision_backends.go); the pod also carries containerConcurrency and timeoutSeconds.
 * - `Revision`: containerConcurrency, timeoutSeconds and the image, as the activator
 *   reads them from its revision lister; pods' specs are the fallback.
 *
 * Fidelity (what is simplified):
 * - One activator (numActivators is ignored): it owns every pod, capacity = CC × ready pods.
 * - Serve mode sends each request to a uniformly random routable pod (kube-proxy's
 *   iptables choice over the public Service's endpoints).
 * - The activator's waiting queue holds at most 10,000 requests per revision (503
 *   beyond). Upstream's revision breaker has 10,000 + MaxInt32 slots, i.e. in practice no
 *   bound; knsim bounds it so that memory stays bounded, as knative-spec.md §4 describes.
 * - A pod is removed from routing the moment its pre-stop hook runs or the watch shows it
 *   not Ready, so no request reaches a draining queue-proxy afterwards (upstream such a
 *   request is served and restarts the 30s quiet period; that code path is kept).
 * - timeoutSeconds ≤ 0 means no timeout. responseStartTimeoutSeconds and
 *   idleTimeoutSeconds are not modelled (a response is one piece).
 * - Responses travel back instantly; a pod that disappears fails its requests with 503
 *   (Envoy's "upstream connect error or disconnect/reset before headers").
 *
 * Upstream: knative/serving pkg/activator/net/{throttler,lb_policy}.go,
 * pkg/activator/handler/{handler,concurrency_reporter}.go, pkg/queue/{breaker,handler}.go,
 * pkg/queue/sharedmain/{main,handlers}.go, knative/pkg network/handlers/drain.go.
 */
import type { Engine } from '../engine/index.js';
import type { ApiServer, WatchEvent } from '../k8s/api-server.js';
import { objectKey } from '../apis/meta.js';
import { TYPE, isPodReady, type Pod } from '../apis/core.js';
import { LABEL, type Ingress, type Revision, type ServerlessService } from '../apis/serving-types.js';
import type { ActivatorStatSink, PodStatSource } from '../autoscaler/stats.js';
import { AppModel, lookupAppSpec, validateAppModel, type AppModelSpec } from './app-model.js';
import { Measurements, STATUS, type RequestView, type Tally } from './measurements.js';
import { ActivatorHandler } from './activator/handler.js';
import { ConcurrencyReporter } from './activator/concurrency-reporter.js';
import { Prober } from './activator/prober.js';
import { ACTIVATOR_QUEUE_DEPTH, Throttler } from './activator/throttler.js';
import type { DataplanePorts } from './ports.js';
import { DRAIN_QUIET_MS, Drainer, type PreStopHook } from './queue-proxy/drain.js';
import { QueueProxy } from './queue-proxy/queue-proxy.js';
import { DEFAULT_TIMEOUT_MS, PHASE, PodState, Req, RevisionState, comparePods } from './records.js';
import { HostTable, type HostEntry } from './router.js';

/**
 * Time for an Ingress change to reach the gateway and serve. Knative's ingress prober
 * (knative/networking pkg/status/status.go) first probes 200 ms after a change and
 * retries with backoff from 50 ms; with the gateway's xDS push a new route is typically
 * serving within about a second. A modelling estimate; scenarios can set it.
 */
export const DEFAULT_ROUTE_PROPAGATION_MS = 1000;

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

export interface DataplaneContext {
  engine: Engine;
  api: ApiServer;
  /** Where the activator reports (the autoscaler). */
  stats: ActivatorStatSink;
  /** App models by container image (`default` for the rest). */
  apps?: Record<string, AppModelSpec>;
  options?: DataplaneOptions;
}

export interface SendOptions {
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
  private readonly hosts: HostTable;
  private readonly revisions = new Map<string, RevisionState>();
  private readonly pods = new Map<string, PodState>();
  private readonly compiled = new Map<AppModelSpec, AppModel>();
  private apps: Record<string, AppModelSpec>;
  private readonly pool: Req[] = [];
  private nextId = 0;
  private readonly routerLatencyMs: number;
  private readonly routePropagationMs: number;
  private readonly ports: DataplanePorts;
  private readonly drainer: Drainer;
  private readonly queueProxy: QueueProxy;
  private readonly throttler: Throttler;
  private readonly reporter: ConcurrencyReporter;
  private readonly activator: ActivatorHandler;
  private readonly prober: Prober;
  private readonly onRequestEnd: ((request: RequestView) => void) | undefined;

  // Event handlers, bound once: events carry the request record, not a closure.
  private readonly routeFn = (req: Req): void => this.route(req);

  constructor(
    private readonly api: ApiServer,
    ctx: DataplaneContext,
  ) {
    const options = ctx.options ?? {};
    this.engine = ctx.engine;
    this.apps = { ...(ctx.apps ?? {}) };
    for (const image of Object.keys(this.apps).sort()) {
      const problems = validateAppModel(this.apps[image]);
      if (problems.length > 0) throw new Error(`dataplane: app model for "${image}": ${problems.join('; ')}`);
    }
    this.routerLatencyMs = options.routerLatencyMs ?? 0;
    this.routePropagationMs = options.routePropagationMs ?? DEFAULT_ROUTE_PROPAGATION_MS;
    this.ports = { finish: (req, status, nowMs) => this.finish(req, status, nowMs), refreshRoutable: (rev) => this.refreshRoutable(rev) };
    this.drainer = new Drainer(this.engine, this.ports, options.drainQuietMs ?? DRAIN_QUIET_MS);
    this.queueProxy = new QueueProxy(this.engine, this.ports, this.drainer);
    this.throttler = new Throttler(this.engine, this.ports, this.queueProxy, options.activatorQueueDepth ?? ACTIVATOR_QUEUE_DEPTH);
    this.reporter = new ConcurrencyReporter(this.engine, ctx.stats);
    this.activator = new ActivatorHandler(this.throttler, this.reporter);
    this.prober = new Prober(this.engine, this.ports);
    this.onRequestEnd = options.onRequestEnd;
    this.measurements = new Measurements(this.engine, options.perSecondSeries ?? true);
    this.hosts = new HostTable(this.engine, (ns, name) => this.revision(ns, name));
    this.podStats = { scrape: (namespace, podName) => this.queueProxy.scrape(this.pods.get(`${namespace}/${podName}`)) };
    this.preStopHook = (pod, done) => this.drainer.preStop(this.pods.get(objectKey(pod)), done);

    api.watch<Ingress>(TYPE.ingress, (event) => this.engine.after(this.routePropagationMs, (e: WatchEvent<Ingress>) => this.applyIngress(e), event));
    api.watch<ServerlessService>(TYPE.serverlessService, (event) => this.onServerlessService(event));
    api.watch<Revision>(TYPE.revision, (event) => this.onRevision(event));
    api.watch<Pod>(TYPE.pod, (event) => this.onPod(event));
    this.reporter.start();
  }

  /**
   * A request arrives at the ingress for `host` (a string, or a handle from `hostHandle`
   * to skip the lookup). Returns its id; it ends later with a status in the measurements.
   */
  send(host: string | HostEntry, options?: SendOptions): number {
    const nowMs = this.engine.nowMs;
    const req = this.pool.pop() ?? new Req();
    req.reset(++this.nextId, nowMs);
    req.host = typeof host === 'string' ? this.hosts.entry(host) : host;
    req.fromCluster = options?.fromCluster === true;
    const m = this.measurements;
    m.arrived++;
    m.inFlight++;
    const id = req.id;
    if (this.routerLatencyMs > 0) this.engine.after(this.routerLatencyMs, this.routeFn, req);
    else this.route(req);
    return id;
  }

  /** A stable handle for a host, for workloads that send many requests to it. */
  hostHandle(host: string): HostEntry {
    return this.hosts.entry(host);
  }

  /** Hosts the router currently serves, sorted. */
  routableHosts(): string[] {
    return this.hosts.routableHosts();
  }

  /** The app's extra startup delay for an image (the kubelet adds it before the port answers). */
  appStartupDelayMs(image: string): number {
    return lookupAppSpec(this.apps, image).startupDelayMs ?? 0;
  }

  /** Changes the app model of an image from now on (e.g. make a canary slow or failing). */
  setAppModel(image: string, spec: AppModelSpec): void {
    const problems = validateAppModel(spec);
    if (problems.length > 0) throw new Error(`dataplane: app model for "${image}": ${problems.join('; ')}`);
    this.apps = { ...this.apps, [image]: spec };
    for (const key of [...this.revisions.keys()].sort()) {
      const rev = this.revisions.get(key) as RevisionState;
      rev.app = this.appFor(rev.image);
    }
  }

  /** Live counts of one revision, for views and tests. */
  revisionState(namespace: string, name: string): { routablePods: string[]; activatorWaiting: number; activatorConcurrency: number; proxyMode: boolean } | undefined {
    const rev = this.revisions.get(`${namespace}/${name}`);
    if (rev === undefined) return undefined;
    return { routablePods: rev.routable.map((p) => p.name), activatorWaiting: rev.waiting.length, activatorConcurrency: rev.activatorConcurrency, proxyMode: rev.proxyMode };
  }

  // ---- request path -------------------------------------------------------------------

  private route(req: Req): void {
    const nowMs = this.engine.nowMs;
    req.routedMs = nowMs;
    const entry = req.host as HostEntry;
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
    let pod = pods[0];
    if (pods.length > 1) {
      if (rev.directRng === null) rev.directRng = this.engine.rng(`router/pods/${rev.key}`);
      pod = pods[Math.floor(rev.directRng() * pods.length)];
    }
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

  // ---- watches --------------------------------------------------------------------------

  private applyIngress(event: WatchEvent<Ingress>): void {
    const key = objectKey(event.object);
    const ingress = event.type === 'DELETED' ? undefined : event.object;
    this.hosts.apply(key, ingress);
    const hosts = (ingress?.spec?.rules ?? []).flatMap((r) => r.hosts ?? []);
    this.engine.trace('router', `ingress/${event.object.metadata.name}`, ingress === undefined ? 'Removed routes' : `Programmed ${hosts.length} host(s)`);
  }

  private onServerlessService(event: WatchEvent<ServerlessService>): void {
    const sks = event.object;
    const revName = sks.metadata.labels?.[LABEL.revision] ?? sks.metadata.name;
    const rev = this.revision(sks.metadata.namespace ?? 'default', revName);
    rev.proxyMode = event.type !== 'DELETED' && sks.spec?.mode === 'Proxy';
  }

  private onRevision(event: WatchEvent<Revision>): void {
    if (event.type === 'DELETED') {
      this.revisionDeleted(event.object);
      return;
    }
    const rev = this.revision(event.object.metadata.namespace ?? 'default', event.object.metadata.name);
    rev.deleted = false;
    this.applyRevisionSpec(rev, event.object);
    this.refreshRoutable(rev);
  }

  /** A deleted revision takes no more requests; those waiting in the activator get 404. */
  private revisionDeleted(object: Revision): void {
    const rev = this.revisions.get(objectKey(object));
    if (rev === undefined) return;
    rev.deleted = true;
    const nowMs = this.engine.nowMs;
    this.throttler.failWaiting(rev, STATUS.notFound, nowMs);
  }

  private applyRevisionSpec(rev: RevisionState, revision: Revision): void {
    rev.hasRevisionObject = true;
    rev.cc = revision.spec?.containerConcurrency ?? 0;
    rev.timeoutMs = timeoutToMs(revision.spec?.timeoutSeconds);
    this.setImage(rev, userImage(revision.spec?.containers));
  }

  private onPod(event: WatchEvent<Pod>): void {
    const object = event.object;
    const revName = object.metadata.labels?.[LABEL.revision];
    if (revName === undefined) return;
    const key = objectKey(object);
    let pod = this.pods.get(key);
    if (pod !== undefined && pod.uid !== (object.metadata.uid ?? '')) {
      // Same name, new pod: the old one is gone.
      this.podGone(pod);
      pod = undefined;
    }
    if (event.type === 'DELETED') {
      if (pod !== undefined) this.podGone(pod);
      return;
    }
    const rev = this.revision(object.metadata.namespace ?? 'default', revName);
    if (pod === undefined) {
      pod = new PodState(object.metadata.namespace ?? 'default', object.metadata.name, rev);
      pod.uid = object.metadata.uid ?? '';
      pod.seenAtMs = this.engine.nowMs;
      this.pods.set(key, pod);
      rev.pods.push(pod);
    }
    const spec = object.spec;
    if (!rev.hasRevisionObject) {
      rev.cc = spec?.containerConcurrency ?? rev.cc;
      if (spec?.timeoutSeconds !== undefined) rev.timeoutMs = timeoutToMs(spec.timeoutSeconds);
      this.setImage(rev, userImage(spec?.containers));
    }
    if (!pod.running) {
      // Settings are read when queue-proxy starts (its environment), and never change after.
      this.queueProxy.configure(pod, spec?.containerConcurrency ?? rev.cc, spec?.timeoutSeconds !== undefined ? timeoutToMs(spec.timeoutSeconds) : rev.timeoutMs);
    }
    pod.ip = object.status?.podIP ?? '';
    if (object.status?.phase === 'Running' && !pod.running) this.queueProxy.start(pod, this.engine.nowMs);
    pod.ready = isPodReady(object);
    this.prober.schedule(pod, object);
    this.refreshRoutable(rev);
  }

  private podGone(pod: PodState): void {
    const nowMs = this.engine.nowMs;
    pod.gone = true;
    pod.running = false;
    this.pods.delete(pod.key);
    const rev = pod.rev;
    const i = rev.pods.indexOf(pod);
    if (i >= 0) rev.pods.splice(i, 1);
    this.drainer.cancel(pod);
    this.prober.cancel(pod);
    this.refreshRoutable(rev);
    this.queueProxy.resetConnections(pod, nowMs);
  }

  /** Rebuilds the routable pods of a revision (address order) and the activator's free slots; then dispatches. */
  private refreshRoutable(rev: RevisionState): void {
    for (const pod of rev.routable) pod.routableIndex = -1;
    const routable = rev.pods.filter((p) => p.running && (p.ready || p.probed) && !p.draining && !p.gone).sort(comparePods);
    rev.endpoints = routable.filter((p) => p.ready);
    for (let i = 0; i < routable.length; i++) routable[i].routableIndex = i;
    rev.routable = routable;
    this.throttler.handleUpdate(rev, this.engine.nowMs);
  }

  private revision(namespace: string, name: string): RevisionState {
    const key = `${namespace}/${name}`;
    let rev = this.revisions.get(key);
    if (rev === undefined) {
      rev = new RevisionState(namespace, name, this.measurements.revisionTally(namespace, name), this.appFor(undefined), this.engine.rng(`app/${key}`));
      this.revisions.set(key, rev);
      const object = this.api.get<Revision>(TYPE.revision, namespace, name);
      if (object !== undefined) this.applyRevisionSpec(rev, object);
    }
    return rev;
  }

  private setImage(rev: RevisionState, image: string | undefined): void {
    if (image === undefined || image === rev.image) return;
    rev.image = image;
    rev.app = this.appFor(image);
  }

  private appFor(image: string | undefined): AppModel {
    const spec = lookupAppSpec(this.apps, image);
    let model = this.compiled.get(spec);
    if (model === undefined) {
      model = new AppModel(spec);
      this.compiled.set(spec, model);
    }
    return model;
  }
}

/** timeoutSeconds → ms; absent means the 300 s default, ≤ 0 means none. */
function timeoutToMs(seconds: number | undefined): number {
  if (seconds === undefined) return DEFAULT_TIMEOUT_MS;
  return seconds > 0 ? seconds * 1000 : Infinity;
}

/** The user container's image: the first container that is not queue-proxy. */
function userImage(containers: { name?: string; image?: string }[] | undefined): string | undefined {
  return containers?.find((c) => c.name !== 'queue-proxy')?.image;
}

/** Starts the data plane: watches, the activator's reporter, the request path. */
export function startDataplane(ctx: DataplaneContext): Dataplane {
  return new Dataplane(ctx.api, ctx);
}

