/**
 * What the data plane knows of revisions and their pods, from watches on the fake API,
 * and the lists of pods each revision routes to.
 *
 * Watches:
 * - `Ingress`: the router's host table, applied `routePropagationMs` after each write.
 * - `ServerlessService`: `spec.mode` Proxy puts the activators in the path; so does a
 *   revision with no routable pod. A revision without an SKS is treated as Serve.
 *   `spec.numActivators` chooses the activators that front the revision (activator/fleet.ts).
 * - `Revision`: containerConcurrency, the three timeouts and the image, as the activator
 *   reads them from its revision lister; pods' specs are the fallback. A deleted
 *   revision takes no more requests; those waiting in the activator get 404.
 * - `Pod` with label `serving.knative.dev/revision`: the activator sends to a pod once its
 *   own probe through queue-proxy passes (activator/prober.ts) or once the pod is Ready,
 *   whichever is first; Serve mode uses only Ready pods (the Kubernetes endpoints).
 *   Draining pods take nothing new. A pod that goes from Ready to not Ready (a container
 *   crashed, a readiness probe failed) leaves the endpoints at once and the activator
 *   probes it again before sending to it (checkDests' re-probe of pods that became
 *   non-ready). We watch Pods rather than the `<revision>-private`
 *   Endpoints because the activator probes pods itself and uses them as soon as
 *   queue-proxy answers, ahead of the Endpoints update; the pod also carries
 *   containerConcurrency and timeoutSeconds.
 *
 * Fidelity: a pod leaves routing the moment its pre-stop hook runs or the watch shows it
 * not Ready or gone; a pod that goes away fails what is inside it with 503 (Envoy's
 * "upstream connect error or disconnect/reset before headers"). The routable list is in
 * the throttler's address order.
 *
 * Upstream: knative/serving pkg/activator/net/revision_backends.go (revisionWatcher,
 * revisionBackendsManager), pkg/activator/net/throttler.go (tracker order),
 * pkg/activator/handler/context_handler.go (revision lookup).
 */
import type { Engine } from '../engine/index.js';
import type { ApiServer, WatchEvent } from '../k8s/api-server.js';
import { objectKey } from '../apis/meta.js';
import { TYPE, isPodReady, parseCpuMillis, parseMemoryBytes, type Container, type Pod } from '../apis/core.js';
import { LABEL, type Ingress, type Revision, type ServerlessService } from '../apis/serving-types.js';
import type { ActivatorFleet } from './activator/fleet.js';
import type { Prober } from './activator/prober.js';
import type { Throttler } from './activator/throttler.js';
import type { AppCatalog } from './app-catalog.js';
import { STATUS, type Measurements } from './measurements.js';
import type { Drainer } from './queue-proxy/drain.js';
import type { QueueProxy } from './queue-proxy/queue-proxy.js';
import { DEFAULT_TIMEOUT_MS, PodState, RevisionState } from './records.js';
import { timerMs } from './timeouts.js';
import { HostTable } from './router.js';
import { NamespacedMap } from '../apis/namespaced-map.js';

/** The components the backends feed: they learn of revisions, pods and routability from here. */
interface BackendsParts {
  measurements: Measurements;
  apps: AppCatalog;
  throttler: Throttler;
  queueProxy: QueueProxy;
  drainer: Drainer;
  prober: Prober;
  fleet: ActivatorFleet;
}

export class RevisionBackends {
  /** The router's host table, programmed from Ingress objects. */
  readonly hosts: HostTable;
  private readonly revisions = new Map<string, RevisionState>();
  private readonly pods = new Map<string, PodState>();
  /** The same pods by (namespace, name), for the scrapes of every ready pod each second (no key built). */
  private readonly podLookup = new NamespacedMap<PodState>();
  /** Bumped whenever a pod comes into `findPod` or leaves it (PodStatSource.version). */
  private podsChanged = 0;
  /** Bound once: a delayed Ingress apply carries the watch event, not a closure. */
  private readonly applyIngressFn = (event: WatchEvent<Ingress>): void => this.applyIngress(event);

  constructor(
    private readonly engine: Engine,
    private readonly api: ApiServer,
    private readonly parts: BackendsParts,
    private readonly routePropagationMs: number,
  ) {
    this.hosts = new HostTable(engine, (namespace, name) => this.revision(namespace, name));
  }

  /** Starts the watches. */
  start(): void {
    this.api.watch<Ingress>(TYPE.ingress, (event) => this.engine.after(this.routePropagationMs, this.applyIngressFn, event));
    this.api.watch<ServerlessService>(TYPE.serverlessService, (event) => this.onServerlessService(event));
    this.api.watch<Revision>(TYPE.revision, (event) => this.onRevision(event));
    this.api.watch<Pod>(TYPE.pod, (event) => this.onPod(event));
  }

  /** The state of a revision, created on first mention (by a route, an SKS, a pod or the Revision itself). */
  revision(namespace: string, name: string): RevisionState {
    const key = `${namespace}/${name}`;
    let rev = this.revisions.get(key);
    if (rev === undefined) {
      rev = new RevisionState(
        namespace,
        name,
        this.parts.measurements.revisionTally(namespace, name),
        this.parts.apps.modelFor(undefined),
        this.engine.rng(`app/${key}`),
      );
      this.revisions.set(key, rev);
      const object = this.api.get<Revision>(TYPE.revision, namespace, name);
      if (object !== undefined) this.applyRevisionSpec(rev, object);
      this.parts.fleet.adopt(rev);
    }
    return rev;
  }

  /** The state of a revision if the data plane has seen it. */
  findRevision(namespace: string, name: string): RevisionState | undefined {
    return this.revisions.get(`${namespace}/${name}`);
  }

  /** Changes whenever a pod comes into `findPod` or leaves it. */
  get podsVersion(): number {
    return this.podsChanged;
  }

  /** The state of a pod the data plane knows. */
  findPod(namespace: string, name: string): PodState | undefined {
    return this.podLookup.get(namespace, name);
  }

  /** The state of a pod object the data plane knows (by namespace and name). */
  podOf(object: Pod): PodState | undefined {
    return this.pods.get(objectKey(object));
  }

  /** An app model changed: every revision looks its model up again (in key order). */
  refreshApps(): void {
    const byKey = [...this.revisions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [, rev] of byKey) {
      rev.app = this.parts.apps.modelFor(rev.image);
    }
  }

  /**
   * Rebuilds the routable pods of a revision (running, Ready or probed, not draining, in
   * address order) and its Serve-mode endpoints (the Ready ones); then each activator's
   * throttler assigns its pods, counts its free slots again and dispatches.
   */
  refreshRoutable(rev: RevisionState): void {
    for (const pod of rev.routable) pod.routableIndex = -1;
    const routable = rev.pods.filter((p) => p.running && (p.ready || p.probed) && !p.draining && !p.gone).sort(comparePods);
    rev.endpoints = routable.filter((p) => p.ready);
    let index = 0;
    for (const pod of routable) pod.routableIndex = index++;
    rev.routable = routable;
    const nowMs = this.engine.nowMs;
    for (const t of rev.throttlers) if (t !== undefined) this.parts.throttler.handleUpdate(t, nowMs);
  }

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
    if (event.type !== 'DELETED') this.parts.fleet.place(rev, sks.metadata.name, sks.spec?.numActivators ?? 0);
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
    for (const t of rev.throttlers) if (t !== undefined) this.parts.throttler.failWaiting(t, STATUS.notFound, this.engine.nowMs);
  }

  private applyRevisionSpec(rev: RevisionState, revision: Revision): void {
    rev.hasRevisionObject = true;
    rev.cc = revision.spec?.containerConcurrency ?? 0;
    rev.timeoutMs = timeoutToMs(revision.spec?.timeoutSeconds);
    rev.responseStartMs = timerMs(revision.spec?.responseStartTimeoutSeconds);
    rev.idleMs = timerMs(revision.spec?.idleTimeoutSeconds);
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
    // What the routable pods and the throttlers' capacity are made of, before this event.
    const flagsBefore = pod === undefined ? -1 : routableFlags(pod);
    const ipBefore = pod?.ip;
    const ccBefore = rev.cc;
    pod ??= this.addPod(object, rev);
    const spec = object.spec;
    if (!rev.hasRevisionObject) {
      rev.cc = spec?.containerConcurrency ?? rev.cc;
      if (spec?.timeoutSeconds !== undefined) rev.timeoutMs = timeoutToMs(spec.timeoutSeconds);
      if (spec !== undefined) {
        rev.responseStartMs = timerMs(spec.responseStartTimeoutSeconds);
        rev.idleMs = timerMs(spec.idleTimeoutSeconds);
      }
      this.setImage(rev, userImage(spec?.containers));
    }
    const queueProxy = this.parts.queueProxy;
    if (!pod.running) {
      // Settings are read when queue-proxy starts (its environment), and never change after.
      queueProxy.configure(pod, spec?.containerConcurrency ?? rev.cc, {
        timeoutMs: spec?.timeoutSeconds !== undefined ? timeoutToMs(spec.timeoutSeconds) : rev.timeoutMs,
        responseStartMs: spec !== undefined ? timerMs(spec.responseStartTimeoutSeconds) : rev.responseStartMs,
        idleMs: spec !== undefined ? timerMs(spec.idleTimeoutSeconds) : rev.idleMs,
      });
    }
    pod.ip = object.status?.podIP ?? '';
    if (object.status?.phase === 'Running' && !pod.running) {
      queueProxy.start(pod, this.engine.nowMs);
      pod.usage.start(rev.app, containerLimits(spec?.containers), this.engine.nowMs);
    }
    const wasReady = pod.ready;
    pod.ready = isPodReady(object);
    const prober = this.parts.prober;
    if (pod.ready || object.metadata.deletionTimestamp !== undefined) prober.cancel(pod);
    else if (wasReady) prober.becameNotReady(pod);
    else prober.schedule(pod);
    // Most pod events (conditions, container statuses) change none of it: nothing to rebuild.
    if (flagsBefore === routableFlags(pod) && ipBefore === pod.ip && ccBefore === rev.cc) return;
    this.refreshRoutable(rev);
  }

  /**
   * The record of a revision's pod, made now if the Pod watch has not delivered it yet
   * (the kubelet starts its containers): undefined for a pod of no revision.
   */
  podFor(object: Pod): PodState | undefined {
    const revName = object.metadata.labels?.[LABEL.revision];
    if (revName === undefined) return undefined;
    const pod = this.pods.get(objectKey(object));
    if (pod !== undefined && pod.uid === (object.metadata.uid ?? '')) return pod;
    if (pod !== undefined) this.podGone(pod);
    return this.addPod(object, this.revision(object.metadata.namespace ?? 'default', revName));
  }

  private addPod(object: Pod, rev: RevisionState): PodState {
    const pod = new PodState(object.metadata.namespace ?? 'default', object.metadata.name, rev);
    pod.uid = object.metadata.uid ?? '';
    pod.seenAtMs = this.engine.nowMs;
    this.pods.set(pod.key, pod);
    this.podLookup.set(pod.namespace, pod.name, pod);
    this.podsChanged++;
    rev.pods.push(pod);
    return pod;
  }

  /** A pod went away: it leaves routing, its drain and probe end, and what is inside it fails (503). */
  private podGone(pod: PodState): void {
    const nowMs = this.engine.nowMs;
    pod.gone = true;
    pod.running = false;
    this.pods.delete(pod.key);
    this.podLookup.delete(pod.namespace, pod.name);
    this.podsChanged++;
    const rev = pod.rev;
    const i = rev.pods.indexOf(pod);
    if (i >= 0) rev.pods.splice(i, 1);
    this.parts.drainer.cancel(pod);
    this.parts.prober.cancel(pod);
    this.refreshRoutable(rev);
    this.parts.queueProxy.resetConnections(pod, nowMs);
    pod.usage.stop(nowMs);
  }

  private setImage(rev: RevisionState, image: string | undefined): void {
    if (image === undefined || image === rev.image) return;
    rev.image = image;
    rev.app = this.parts.apps.modelFor(image);
  }
}

/**
 * The activator's tracker order: by destination address as a string, as throttler.go
 * sorts `ip:port` (so `10.0.0.10` comes before `10.0.0.9`), then by name; pods without
 * an IP go last.
 */
function comparePods(a: PodState, b: PodState): number {
  if (a.ip !== b.ip) {
    if (a.ip === '') return 1;
    if (b.ip === '') return -1;
    return a.ip < b.ip ? -1 : 1;
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** timeoutSeconds → ms; absent means the 300 s default, ≤ 0 means none. */
function timeoutToMs(seconds: number | undefined): number {
  if (seconds === undefined) return DEFAULT_TIMEOUT_MS;
  return seconds > 0 ? seconds * 1000 : Infinity;
}

/** The user container's image: the first container that is not queue-proxy. */
/** The user container's name and CPU (millicores) and memory (bytes) limits; 0 when not set. */
function containerLimits(containers: Container[] | undefined): { container: string; cpuMillis: number; memoryBytes: number } {
  const user = containers?.find((c) => c.name !== 'queue-proxy');
  const limits = user?.resources?.limits;
  return { container: user?.name ?? '', cpuMillis: parseCpuMillis(limits?.cpu) || 0, memoryBytes: parseMemoryBytes(limits?.memory) || 0 };
}

function userImage(containers: { name?: string; image?: string }[] | undefined): string | undefined {
  return containers?.find((c) => c.name !== 'queue-proxy')?.image;
}

/** The states that decide whether a pod is routable, as bits (with its IP and the revision's containerConcurrency, what a pod event can change in routing). */
function routableFlags(pod: PodState): number {
  return (pod.running ? 1 : 0) | (pod.ready ? 2 : 0) | (pod.probed ? 4 : 0) | (pod.draining ? 8 : 0) | (pod.gone ? 16 : 0);
}
