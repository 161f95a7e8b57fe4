/**
 * kubectl's views of the fake cluster's core kinds, as strings: `kubectl get <kind>` tables
 * (with `-o wide` columns and `-A`'s NAMESPACE) and the `-o yaml` / `-o json` documents.
 *
 * Mirrors kubernetes pkg/printers/internalversion/printers.go (printPod, printDeployment,
 * printReplicaSet, printNode, printService, printEndpoints, printConfigMap, printHorizontalPodAutoscaler and their wide
 * columns), cli-runtime pkg/printers (the tab writer: min width 6, padding 3, so a row whose
 * last cell is empty ends in spaces; `json.MarshalIndent` with four spaces and sorted keys;
 * sigs.k8s.io/yaml with sorted keys and unindented sequences) and AGE as
 * `duration.HumanDuration`. Virtual-ms timestamps print as RFC 3339 (virtual 0 is
 * 2026-01-01T00:00:00Z). Pod RESTARTS show `3 (45s ago)` after a restart. Fidelity: Services
 * get no cluster IP (`<none>`); long YAML strings are not folded at 80 columns as go-yaml
 * folds them.
 */
import { stringify } from 'yaml';
import { formatAge, formatTimestamp } from '../engine/index.js';
import { TYPE, type ConfigMap, type Deployment, type Endpoints, type K8sService, type Node, type Pod, type ReplicaSet } from '../apis/core.js';
import { deepCopy, type KObject } from '../apis/meta.js';
import type { ApiServer } from './api-server.js';
import { KUBECTL_TABLE, tabulate } from './tabwriter.js';
import { hpaRow } from './hpa/printer.js';
import type { HorizontalPodAutoscaler } from '../apis/autoscaling-v2.js';

/** A kubectl table column; priority 1 columns show only with `-o wide`. */
export interface PrinterColumn {
  name: string;
  priority: 0 | 1;
}

/** What kubectl knows of a kind: its names, whether it is namespaced, and its table. */
export interface KindPrinter {
  type: string;
  /** `plural.group` as kubectl names it in messages (`pods`, `deployments.apps`). */
  resource: string;
  /** Names kubectl accepts: singular, plural, short names (lower case). */
  names: readonly string[];
  /** The API group ('' for the core group) and version, for `plural.group` and `plural.version.group`. */
  group: string;
  version: string;
  namespaced: boolean;
  columns: readonly PrinterColumn[];
  /** One cell per column, wide ones included. */
  row: (obj: KObject, nowMs: number) => string[];
}

const col = (name: string, priority: 0 | 1 = 0): PrinterColumn => ({ name, priority });

function age(obj: KObject, nowMs: number): string {
  return obj.metadata.creationTimestamp === undefined ? '<unknown>' : formatAge(nowMs - obj.metadata.creationTimestamp);
}

/** `k=v,k2=v2` in key order, `<none>` when empty (labels.FormatLabels). */
function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${labels?.[k] ?? ''}`).join(',');
}

/**
 * kubectl's pod row: READY (ready running containers / all), STATUS (the phase, a container's
 * waiting/terminated reason such as CrashLoopBackOff, last container first, then Terminating),
 * RESTARTS (`3 (45s ago)` after the last restart), AGE, and the wide columns.
 */
function podRow(pod: Pod, nowMs: number): string[] {
  const statuses = pod.status?.containerStatuses ?? [];
  const total = pod.spec.containers?.length ?? statuses.length;
  let reason: string = pod.status?.phase ?? 'Pending';
  let ready = 0;
  let restarts = 0;
  let hasRunning = false;
  let lastRestartMs: number | undefined;
  for (let i = statuses.length - 1; i >= 0; i--) {
    const s = statuses[i];
    if (s === undefined) continue;
    restarts += s.restartCount;
    const finished = s.lastState?.terminated?.finishedAt;
    if (finished !== undefined && (lastRestartMs === undefined || finished > lastRestartMs)) lastRestartMs = finished;
    if (s.state.waiting?.reason) reason = s.state.waiting.reason;
    else if (s.state.terminated?.reason) reason = s.state.terminated.reason;
    else if (s.state.terminated !== undefined) reason = `ExitCode:${s.state.terminated.exitCode}`;
    else if (s.ready && s.state.running !== undefined) {
      hasRunning = true;
      ready++;
    }
  }
  if (reason === 'Completed' && hasRunning) reason = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
  const phase = pod.status?.phase;
  if (pod.metadata.deletionTimestamp !== undefined && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  const restartsText = restarts !== 0 && lastRestartMs !== undefined ? `${restarts} (${formatAge(nowMs - lastRestartMs)} ago)` : String(restarts);
  return [
    pod.metadata.name,
    `${ready}/${total}`,
    reason,
    restartsText,
    age(pod, nowMs),
    pod.status?.podIP || '<none>',
    pod.spec.nodeName || '<none>',
    '<none>',
    '<none>',
  ];
}

function containersAndImages(spec: { template: { spec: { containers: { name?: string; image?: string }[] } } }): string[] {
  const containers = spec.template.spec.containers ?? [];
  return [containers.map((c) => c.name ?? '').join(','), containers.map((c) => c.image ?? '').join(',')];
}

function deploymentRow(d: Deployment, nowMs: number): string[] {
  const s = d.status ?? {};
  return [
    d.metadata.name,
    `${s.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`,
    String(s.updatedReplicas ?? 0),
    String(s.availableReplicas ?? 0),
    age(d, nowMs),
    ...containersAndImages(d.spec),
    formatLabels(d.spec.selector.matchLabels),
  ];
}

function replicaSetRow(rs: ReplicaSet, nowMs: number): string[] {
  return [
    rs.metadata.name,
    String(rs.spec.replicas ?? 1),
    String(rs.status?.replicas ?? 0),
    String(rs.status?.readyReplicas ?? 0),
    age(rs, nowMs),
    ...containersAndImages(rs.spec),
    formatLabels(rs.spec.selector.matchLabels),
  ];
}

function nodeRow(node: Node, nowMs: number): string[] {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  let status = ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'NotReady' : 'Unknown';
  if (node.spec?.unschedulable === true) status += ',SchedulingDisabled';
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .sort();
  const address = (type: string): string => node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
  const info = node.status?.nodeInfo;
  return [
    node.metadata.name,
    status,
    roles.length > 0 ? roles.join(',') : '<none>',
    age(node, nowMs),
    info?.kubeletVersion ?? '',
    address('InternalIP'),
    address('ExternalIP'),
    info?.osImage || '<unknown>',
    '<unknown>',
    info?.containerRuntimeVersion || '<unknown>',
  ];
}

function serviceRow(svc: K8sService, nowMs: number): string[] {
  const ports = (svc.spec.ports ?? []).map((p) => `${p.port}/TCP`).join(',');
  return [
    svc.metadata.name,
    svc.spec.type ?? 'ClusterIP',
    svc.spec.clusterIP || '<none>',
    '<none>',
    ports === '' ? '<none>' : ports,
    age(svc, nowMs),
    formatLabels(svc.spec.selector),
  ];
}

function endpointsRow(ep: Endpoints, nowMs: number): string[] {
  const list: string[] = [];
  for (const subset of ep.subsets ?? []) {
    const ports = (subset as { ports?: { port: number }[] }).ports ?? [];
    for (const a of subset.addresses ?? []) {
      if (ports.length === 0) list.push(a.ip);
      else for (const p of ports) list.push(`${a.ip}:${p.port}`);
    }
  }
  const shown = list.length === 0 ? '<none>' : list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
  return [ep.metadata.name, shown, age(ep, nowMs)];
}

/** The core kinds knsim's API server holds, as kubectl prints them. */
export const CORE_PRINTERS: readonly KindPrinter[] = [
  {
    type: TYPE.pod,
    resource: 'pods',
    names: ['pod', 'pods', 'po'],
    group: '',
    version: 'v1',
    namespaced: true,
    columns: [
      col('NAME'),
      col('READY'),
      col('STATUS'),
      col('RESTARTS'),
      col('AGE'),
      col('IP', 1),
      col('NODE', 1),
      col('NOMINATED NODE', 1),
      col('READINESS GATES', 1),
    ],
    row: (o, now) => podRow(o as Pod, now),
  },
  {
    type: TYPE.service,
    resource: 'services',
    names: ['service', 'services', 'svc'],
    group: '',
    version: 'v1',
    namespaced: true,
    columns: [col('NAME'), col('TYPE'), col('CLUSTER-IP'), col('EXTERNAL-IP'), col('PORT(S)'), col('AGE'), col('SELECTOR', 1)],
    row: (o, now) => serviceRow(o as K8sService, now),
  },
  {
    type: TYPE.endpoints,
    resource: 'endpoints',
    names: ['endpoints', 'ep'],
    group: '',
    version: 'v1',
    namespaced: true,
    columns: [col('NAME'), col('ENDPOINTS'), col('AGE')],
    row: (o, now) => endpointsRow(o as Endpoints, now),
  },
  {
    type: TYPE.configMap,
    resource: 'configmaps',
    names: ['configmap', 'configmaps', 'cm'],
    group: '',
    version: 'v1',
    namespaced: true,
    columns: [col('NAME'), col('DATA'), col('AGE')],
    row: (o, now) => [o.metadata.name, String(Object.keys((o as ConfigMap).data ?? {}).length), age(o, now)],
  },
  {
    type: TYPE.node,
    resource: 'nodes',
    names: ['node', 'nodes', 'no'],
    group: '',
    version: 'v1',
    namespaced: false,
    columns: [
      col('NAME'),
      col('STATUS'),
      col('ROLES'),
      col('AGE'),
      col('VERSION'),
      col('INTERNAL-IP', 1),
      col('EXTERNAL-IP', 1),
      col('OS-IMAGE', 1),
      col('KERNEL-VERSION', 1),
      col('CONTAINER-RUNTIME', 1),
    ],
    row: (o, now) => nodeRow(o as Node, now),
  },
  {
    type: TYPE.deployment,
    resource: 'deployments.apps',
    names: ['deployment', 'deployments', 'deploy'],
    group: 'apps',
    version: 'v1',
    namespaced: true,
    columns: [col('NAME'), col('READY'), col('UP-TO-DATE'), col('AVAILABLE'), col('AGE'), col('CONTAINERS', 1), col('IMAGES', 1), col('SELECTOR', 1)],
    row: (o, now) => deploymentRow(o as Deployment, now),
  },
  {
    type: TYPE.horizontalPodAutoscaler,
    resource: 'horizontalpodautoscalers.autoscaling',
    names: ['horizontalpodautoscaler', 'horizontalpodautoscalers', 'hpa'],
    group: 'autoscaling',
    version: 'v2',
    namespaced: true,
    columns: [col('NAME'), col('REFERENCE'), col('TARGETS'), col('MINPODS'), col('MAXPODS'), col('REPLICAS'), col('AGE')],
    row: (o, now) => hpaRow(o as HorizontalPodAutoscaler, now),
  },
  {
    type: TYPE.replicaSet,
    resource: 'replicasets.apps',
    names: ['replicaset', 'replicasets', 'rs'],
    group: 'apps',
    version: 'v1',
    namespaced: true,
    columns: [col('NAME'), col('DESIRED'), col('CURRENT'), col('READY'), col('AGE'), col('CONTAINERS', 1), col('IMAGES', 1), col('SELECTOR', 1)],
    row: (o, now) => replicaSetRow(o as ReplicaSet, now),
  },
];

/**
 * The printer for a name as kubectl resolves it (case-insensitive): a singular, plural or short
 * name, or `<name>.<group>` / `<plural>.<version>.<group>` (`deployments.apps`, `deploy.v1.apps`).
 */
export function findPrinter(printers: readonly KindPrinter[], name: string): KindPrinter | undefined {
  const lower = name.toLowerCase();
  for (const p of printers) {
    for (const n of p.names) {
      if (lower === n) return p;
      if (p.group === '') continue;
      if (lower === `${n}.${p.group}` || lower === `${n}.${p.version}.${p.group}`) return p;
    }
  }
  return undefined;
}

/** The API type key for a core kind's name or alias (`po`, `deploy`, `rs`, `no`, `ep`, `svc`, `cm`), or undefined. */
export function resolveKind(kind: string): string | undefined {
  return findPrinter(CORE_PRINTERS, kind)?.type;
}

export interface TableOptions {
  /** Namespace to show (default `default`); ignored for cluster-scoped kinds. */
  namespace?: string;
  /** Only this object. */
  name?: string;
  /** All namespaces, with a NAMESPACE column (kubectl -A). */
  allNamespaces?: boolean;
  /** `-o wide`: the priority-1 columns too. */
  wide?: boolean;
}

/** What a kubectl command prints: stdout, stderr and its exit code (0, or 1 for kubectl's errors). */
export interface KubectlOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** The objects a `get` reads: one by name, or a list (all namespaces with -A). */
export function objectsFor(api: ApiServer, printer: KindPrinter, options: TableOptions): KObject[] | { notFound: string } {
  const namespace = options.namespace ?? 'default';
  if (options.name !== undefined) {
    const one = api.get(printer.type, printer.namespaced ? namespace : '', options.name);
    return one === undefined ? { notFound: `Error from server (NotFound): ${printer.resource} "${options.name}" not found` } : [one];
  }
  return api.list(printer.type, printer.namespaced && options.allNamespaces !== true ? { namespace } : {});
}

/** The table kubectl prints for objects of one kind (every line ends with a newline; empty: `No resources found`). */
export function printTable(printer: KindPrinter, objects: readonly KObject[], nowMs: number, options: TableOptions): KubectlOutput {
  if (objects.length === 0) {
    // kubectl get's printIfNotFindResource: a namespace only when every kind asked for is namespaced and -A is not given.
    const message =
      printer.namespaced && options.allNamespaces !== true ? `No resources found in ${options.namespace ?? 'default'} namespace.` : 'No resources found';
    return { code: 0, stdout: '', stderr: `${message}\n` };
  }
  const withNamespace = printer.namespaced && options.allNamespaces === true;
  const shown = printer.columns.map((c, i) => (options.wide === true || c.priority === 0 ? i : -1)).filter((i) => i >= 0);
  const header = shown.map((i) => printer.columns[i]?.name ?? '');
  const rows = objects.map((o) => {
    const cells = printer.row(o, nowMs);
    const picked = shown.map((i) => cells[i] ?? '');
    return withNamespace ? [o.metadata.namespace ?? '', ...picked] : picked;
  });
  return { code: 0, stdout: tabulate([withNamespace ? ['NAMESPACE', ...header] : header, ...rows], KUBECTL_TABLE), stderr: '' };
}

/**
 * `kubectl get <kind> [name]` for a core kind, as text: the table, or kubectl's error or
 * `No resources found in <ns> namespace.` message (no trailing newline).
 */
export function renderTable(api: ApiServer, kind: string, nowMs: number, options: TableOptions = {}): string {
  const printer = findPrinter(CORE_PRINTERS, kind);
  if (printer === undefined) return `error: the server doesn't have a resource type "${kind}"`;
  const objects = objectsFor(api, printer, options);
  if (!Array.isArray(objects)) return objects.notFound;
  const out = printTable(printer, objects, nowMs, options);
  return (out.stdout === '' ? out.stderr : out.stdout).replace(/\n$/, '');
}

/** Keys whose numbers are virtual-ms instants (Kubernetes' and Knative's `…Timestamp`, `…Time`, knsim's `…At`). */
const TIMESTAMP_KEY = /(Timestamp|Time|At)$/;

/** A copy of an object as kubectl receives it: instants as RFC 3339 text. */
export function toWire(obj: unknown): unknown {
  return convertTimestamps(deepCopy(obj), '');
}

function convertTimestamps(value: unknown, key: string): unknown {
  if (typeof value === 'number') return TIMESTAMP_KEY.test(key) ? formatTimestamp(value) : value;
  if (Array.isArray(value)) return value.map((v) => convertTimestamps(v, ''));
  if (value !== null && typeof value === 'object') {
    const out = value as Record<string, unknown>;
    for (const k of Object.keys(out)) out[k] = convertTimestamps(out[k], k);
    return out;
  }
  return value;
}

/** `kubectl get -o yaml`: sorted keys, sequences not indented, YAML 1.1 quoting (`"true"`, `"2026-01-01T00:00:00Z"`). */
export function renderYaml(obj: unknown): string {
  return stringify(toWire(obj), { sortMapEntries: true, lineWidth: 0, indentSeq: false, version: '1.1' });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/** `kubectl get -o json`: Go's json.MarshalIndent with four spaces, sorted keys and its HTML-safe escapes. */
export function renderJson(obj: unknown): string {
  return `${JSON.stringify(sortKeys(toWire(obj)), null, 4)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')}\n`;
}

/** A list as kubectl prints it with `-o yaml|json`. */
export function kubectlList(items: readonly KObject[]): Record<string, unknown> {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}
