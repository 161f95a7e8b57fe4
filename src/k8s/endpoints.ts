/**
 * The endpoints controller: for each core Service with a selector, an Endpoints object
 * of the same name listing the selected pods' IPs, ready ones under `addresses` and the
 * others under `notReadyAddresses`, each sorted by IP. Services without a selector are
 * left alone (their Endpoints belong to whoever manages them, e.g. Knative's SKS).
 *
 * Mirrors kubernetes pkg/controller/endpoint/endpoints_controller.go (syncService,
 * ShouldPodBeInEndpoints, RepackSubsets). Fidelity: one subset with all the Service's
 * ports (named target ports resolved from the first pod's containers); terminating pods
 * are left out (publishNotReadyAddresses is not modelled); no EndpointSlices.
 */
import type { Engine } from '../engine/index.js';
import { TYPE, isPodReady, type EndpointAddress, type Endpoints, type K8sService, type Pod } from '../apis/core.js';
import { deepEqual, selectorMatches, splitKey } from '../apis/meta.js';
import { compareObjects, type ApiServer } from './api-server.js';
import type { CustomIndex, StoreIndex } from './store-indexes.js';
import { Controller } from './controller.js';

export function startEndpointsController(engine: Engine, api: ApiServer): Controller {
  // Services whose Endpoints may have to change, marked as the store is written (a sync reads
  // the store, not its watch events): the Service itself, or a pod's change to what an address
  // is made of (upstream's podEndpointsChanged). Every watch event still queues its Services,
  // at the place in the queue it always had; a sync with nothing changed since the last one
  // returns at once instead of re-reading every pod (thousands, for a revision scaled that
  // far, on each of their events). Only a sync that ends clears the mark.
  const changed = new Set<string>();
  const controller = new Controller('endpoint-controller', engine, (key) => {
    if (!changed.has(key)) return;
    reconcileEndpoints(api, key);
    changed.delete(key);
  });
  controller.watchOwn(api, TYPE.service);
  const selecting = api.addIndex<K8sService>(TYPE.service, selectorLabelKey);
  api.addStoreIndex<K8sService, StoreIndex<K8sService>>(TYPE.service, { apply: (key) => changed.add(key) });
  // An Endpoints object written or deleted by anyone else is put right by the next sync, as it
  // always was (this controller's own writes are marked too, and cleared as its sync ends).
  api.addStoreIndex<Endpoints, StoreIndex<Endpoints>>(TYPE.endpoints, { apply: (key) => changed.add(key) });
  api.addStoreIndex<Pod, StoreIndex<Pod>>(TYPE.pod, {
    apply: (_key, old, pod) => {
      if (old !== undefined && pod !== undefined && !addressInputsChanged(old, pod)) return;
      for (const key of servicesSelecting(api, selecting, old, pod)) changed.add(key);
    },
  });
  api.watch<Pod>(TYPE.pod, (e) => {
    for (const key of servicesSelecting(api, selecting, e.oldObject, e.object)) controller.enqueue(key);
  });
  return controller;
}

/**
 * The Services selecting one labels object, by that object: a pod's versions share their
 * labels while they do not change, and every pod event asks twice (the store, the watch).
 * An answer holds while no Service was written (the type's version).
 */
const selectingByLabels = new WeakMap<Record<string, string>, { namespace: string; servicesVersion: number; keys: readonly string[] }>();

/** The keys of the Services that select either version of a pod, in name order (as a scan of the namespace's sorted Services finds them). */
function servicesSelecting(api: ApiServer, selecting: CustomIndex<K8sService>, old: Pod | undefined, pod: Pod | undefined): readonly string[] {
  const ns = (pod ?? old)?.metadata.namespace ?? '';
  const labels = pod?.metadata.labels;
  const oldLabels = old?.metadata.labels;
  if (labels !== undefined && (oldLabels === undefined || oldLabels === labels)) {
    const servicesVersion = api.typeVersion(TYPE.service);
    const cached = selectingByLabels.get(labels);
    if (cached !== undefined && cached.namespace === ns && cached.servicesVersion === servicesVersion) return cached.keys;
    const keys = selectingEither(selecting, ns, labels, undefined);
    selectingByLabels.set(labels, { namespace: ns, servicesVersion, keys });
    return keys;
  }
  return selectingEither(selecting, ns, labels, oldLabels);
}

function selectingEither(
  selecting: CustomIndex<K8sService>,
  ns: string,
  a: Record<string, string> | undefined,
  b: Record<string, string> | undefined,
): string[] {
  const matched = new Set<string>();
  for (const labels of [a, b]) {
    for (const label in labels) {
      for (const svc of selecting.get(`${ns}/${label}=${labels[label]}`)) {
        const selector = svc.spec?.selector;
        if (selector !== undefined && selectorMatches(selector, labels)) matched.add(svc.metadata.name);
      }
    }
  }
  return [...matched].sort().map((name) => `${ns}/${name}`);
}

/**
 * Whether a pod update can change an Endpoints object: its labels (which Services select it),
 * its IP, readiness, node, deletion or end (what its address is and where it is listed).
 * Kubernetes' podEndpointsChanged looks at labels, deletion, readiness and IPs; node and phase
 * are here too because computeEndpointSubsets reads them, so skipping an update is never a change.
 */
function addressInputsChanged(old: Pod, pod: Pod): boolean {
  return (
    old.status?.podIP !== pod.status?.podIP ||
    isPodReady(old) !== isPodReady(pod) ||
    old.metadata.deletionTimestamp !== pod.metadata.deletionTimestamp ||
    old.spec.nodeName !== pod.spec.nodeName ||
    old.status?.phase !== pod.status?.phase ||
    !deepEqual(old.metadata.labels ?? {}, pod.metadata.labels ?? {})
  );
}

/**
 * A Service with a non-empty selector goes under `namespace/k=v` for the first label of its
 * selector: a pod can only be selected by Services listed under one of its own labels.
 */
function selectorLabelKey(svc: K8sService): string[] {
  const selector = svc.spec?.selector;
  for (const label in selector) return [`${svc.metadata.namespace ?? ''}/${label}=${selector[label]}`];
  return [];
}

/** The subsets an Endpoints object should have for a Service and its candidate pods (pure). */
function computeEndpointSubsets(svc: K8sService, pods: readonly Pod[]): NonNullable<Endpoints['subsets']> {
  const ready: EndpointAddress[] = [];
  const notReady: EndpointAddress[] = [];
  for (const pod of pods) {
    const ip = pod.status?.podIP;
    const phase = pod.status?.phase;
    if (!ip || pod.metadata.deletionTimestamp !== undefined || phase === 'Succeeded' || phase === 'Failed') continue;
    const address: EndpointAddress = { ip, targetRef: { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace } };
    if (pod.spec.nodeName) address.nodeName = pod.spec.nodeName;
    (isPodReady(pod) ? ready : notReady).push(address);
  }
  if (ready.length === 0 && notReady.length === 0) return [];
  const byIp = (a: EndpointAddress, b: EndpointAddress): number => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);
  ready.sort(byIp);
  notReady.sort(byIp);
  const subset: NonNullable<Endpoints['subsets']>[number] & { ports?: { name?: string; port: number; protocol: string }[] } = {};
  if (ready.length > 0) subset.addresses = ready;
  if (notReady.length > 0) subset.notReadyAddresses = notReady;
  const ports = (svc.spec?.ports ?? []).map((p) => {
    const port: { name?: string; port: number; protocol: string } = { port: resolveTargetPort(p.targetPort ?? p.port, firstByName(pods)), protocol: 'TCP' };
    if (p.name !== undefined) port.name = p.name;
    return port;
  });
  if (ports.length > 0) subset.ports = ports;
  return [subset];
}

/** The pod a sorted list would give first. */
function firstByName(pods: readonly Pod[]): Pod | undefined {
  let first: Pod | undefined;
  for (const pod of pods) if (first === undefined || compareObjects(pod, first) < 0) first = pod;
  return first;
}

function resolveTargetPort(target: number | string, pod: Pod | undefined): number {
  if (typeof target === 'number') return target;
  for (const c of pod?.spec.containers ?? []) {
    const found = c.ports?.find((p) => p.name === target);
    if (found !== undefined) return found.containerPort;
  }
  const n = Number(target);
  return Number.isFinite(n) ? n : 0;
}

function reconcileEndpoints(api: ApiServer, key: string): void {
  const { namespace, name } = splitKey(key);
  const svc = api.get<K8sService>(TYPE.service, namespace, name);
  const existing = api.get<Endpoints>(TYPE.endpoints, namespace, name);
  if (svc === undefined) {
    // The Service is gone: so are its Endpoints (upstream deletes them whoever wrote them).
    if (existing !== undefined) api.delete(TYPE.endpoints, namespace, name);
    return;
  }
  const selector = svc.spec?.selector;
  if (selector === undefined || Object.keys(selector).length === 0) return;
  // Unsorted: the addresses are sorted by IP, and named ports resolve from the first pod by name.
  const pods = api.list<Pod>(TYPE.pod, { namespace, selector, sorted: false });
  const subsets = computeEndpointSubsets(svc, pods);
  const labels = { ...(svc.metadata.labels ?? {}) };
  if (existing === undefined) {
    api.create<Endpoints>({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels }, spec: undefined, subsets });
    return;
  }
  if (deepEqual(existing.subsets ?? [], subsets) && deepEqual(existing.metadata.labels ?? {}, labels)) return;
  api.update<Endpoints>({ ...existing, metadata: { ...existing.metadata, labels }, subsets });
}
