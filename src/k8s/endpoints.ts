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
import { selectorMatches, splitKey, deepEqual } from '../apis/meta.js';
import { compareObjects, type ApiServer } from './api-server.js';
import { Controller, type ReconcileResult } from './controller.js';

export function startEndpointsController(engine: Engine, api: ApiServer): Controller {
  const controller = new Controller('endpoint-controller', engine, (key) => reconcileEndpoints(api, key));
  controller.watchOwn(api, TYPE.service);
  const selecting = api.addIndex<K8sService>(TYPE.service, selectorLabelKey);
  api.watch<Pod>(TYPE.pod, (e) => {
    const ns = e.object.metadata.namespace ?? '';
    const matched = new Set<string>();
    for (const labels of e.oldObject === undefined ? [e.object.metadata.labels] : [e.object.metadata.labels, e.oldObject.metadata.labels]) {
      for (const label in labels) {
        for (const svc of selecting.get(`${ns}/${label}=${labels[label]}`)) {
          const selector = svc.spec?.selector;
          if (selector !== undefined && selectorMatches(selector, labels)) matched.add(svc.metadata.name);
        }
      }
    }
    // In name order, as a scan of the namespace's sorted Services would enqueue them.
    for (const name of [...matched].sort()) controller.enqueue(`${ns}/${name}`);
  });
  return controller;
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

function reconcileEndpoints(api: ApiServer, key: string): ReconcileResult {
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
