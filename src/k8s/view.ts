/**
 * kubectl-style views of the fake cluster, as strings: `kubectl get <kind>` tables and
 * `kubectl get -o yaml`. Columns and status words follow kubectl's printers
 * (pkg/printers/internalversion/printers.go: printPod, printDeployment, printReplicaSet,
 * printNode, printEndpoints) and its tab writer (min width 6, padding 3).
 * Fidelity: no wide output, no label columns; RESTARTS never shows "(… ago)" since
 * knsim's containers do not restart.
 */
import { stringify } from 'yaml';
import { formatAge, formatTimestamp } from '../engine/index.js';
import { must } from '../engine/assert.js';
import { TYPE, type Deployment, type Endpoints, type Node, type Pod, type ReplicaSet } from '../apis/core.js';
import { deepCopy, type KObject } from '../apis/meta.js';
import type { ApiServer } from './api-server.js';

interface KindInfo {
  type: string;
  /** kubectl's plural resource name, used in messages. */
  resource: string;
  namespaced: boolean;
  headers: string[];
  row: (obj: KObject, nowMs: number) => string[];
}

type KindName = 'pod' | 'deployment' | 'replicaset' | 'node' | 'endpoints';

const KINDS: Record<KindName, KindInfo> = {
  pod: { type: TYPE.pod, resource: 'pods', namespaced: true, headers: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], row: (o, now) => podRow(o as Pod, now) },
  deployment: {
    type: TYPE.deployment,
    resource: 'deployments.apps',
    namespaced: true,
    headers: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
    row: (o, now) => deploymentRow(o as Deployment, now),
  },
  replicaset: {
    type: TYPE.replicaSet,
    resource: 'replicasets.apps',
    namespaced: true,
    headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
    row: (o, now) => replicaSetRow(o as ReplicaSet, now),
  },
  node: {
    type: TYPE.node,
    resource: 'nodes',
    namespaced: false,
    headers: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
    row: (o, now) => nodeRow(o as Node, now),
  },
  endpoints: {
    type: TYPE.endpoints,
    resource: 'endpoints',
    namespaced: true,
    headers: ['NAME', 'ENDPOINTS', 'AGE'],
    row: (o, now) => endpointsRow(o as Endpoints, now),
  },
};

const ALIASES: Record<string, KindName> = {
  po: 'pod',
  pod: 'pod',
  pods: 'pod',
  deploy: 'deployment',
  deployment: 'deployment',
  deployments: 'deployment',
  'deployment.apps': 'deployment',
  rs: 'replicaset',
  replicaset: 'replicaset',
  replicasets: 'replicaset',
  'replicaset.apps': 'replicaset',
  no: 'node',
  node: 'node',
  nodes: 'node',
  ep: 'endpoints',
  endpoints: 'endpoints',
};

/** The API type key for a kubectl kind name or alias (`po`, `deploy`, `rs`, `no`, `ep`…), or undefined. */
export function resolveKind(kind: string): string | undefined {
  const canonical = Object.hasOwn(ALIASES, kind.toLowerCase()) ? ALIASES[kind.toLowerCase()] : undefined;
  return canonical === undefined ? undefined : KINDS[canonical].type;
}

interface TableOptions {
  /** Namespace to show (default `default`); ignored for nodes. */
  namespace?: string;
  /** Only this object. */
  name?: string;
  /** All namespaces, with a NAMESPACE column (kubectl -A). */
  allNamespaces?: boolean;
}

/**
 * `kubectl get <kind>` as text. Unknown kinds and missing objects give kubectl's error
 * text; an empty list gives `No resources found in <ns> namespace.`
 */
export function renderTable(api: ApiServer, kind: string, nowMs: number, options: TableOptions = {}): string {
  const canonical = Object.hasOwn(ALIASES, kind.toLowerCase()) ? ALIASES[kind.toLowerCase()] : undefined;
  if (canonical === undefined) return `error: the server doesn't have a resource type "${kind}"`;
  const info = KINDS[canonical];
  const namespace = options.namespace ?? 'default';
  const withNamespace = info.namespaced && options.allNamespaces === true;
  let objects: KObject[];
  if (options.name !== undefined) {
    const one = api.get(info.type, info.namespaced ? namespace : '', options.name);
    if (one === undefined) return `Error from server (NotFound): ${info.resource} "${options.name}" not found`;
    objects = [one];
  } else {
    objects = api.list(info.type, info.namespaced && !withNamespace ? { namespace } : {});
  }
  if (objects.length === 0) return !info.namespaced || withNamespace ? 'No resources found' : `No resources found in ${namespace} namespace.`;
  const headers = withNamespace ? ['NAMESPACE', ...info.headers] : info.headers;
  const rows = objects.map((o) => (withNamespace ? [o.metadata.namespace ?? '', ...info.row(o, nowMs)] : info.row(o, nowMs)));
  return formatColumns([headers, ...rows]);
}

/** Aligns cells as kubectl's tab writer does: each column as wide as its widest cell + 3, at least 6; the last column unpadded. */
export function formatColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(Math.max(6, must(widths[i], 'a width for every column') + 3))))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

function age(obj: KObject, nowMs: number): string {
  return formatAge(nowMs - (obj.metadata.creationTimestamp ?? nowMs));
}

/** kubectl's pod STATUS: the phase, overridden by a container's waiting/terminated reason, then Terminating. */
function podStatusReason(pod: Pod): string {
  let reason: string = pod.status?.phase ?? 'Pending';
  const statuses = pod.status?.containerStatuses ?? [];
  let hasRunning = false;
  for (const s of statuses.slice().reverse()) {
    if (s.state.waiting?.reason) reason = s.state.waiting.reason;
    else if (s.state.terminated?.reason) reason = s.state.terminated.reason;
    else if (s.state.running !== undefined && s.ready) hasRunning = true;
  }
  if (reason === 'Completed' && hasRunning) reason = 'Running';
  if (pod.metadata.deletionTimestamp !== undefined) reason = 'Terminating';
  return reason;
}

function podRow(pod: Pod, nowMs: number): string[] {
  const statuses = pod.status?.containerStatuses ?? [];
  const total = pod.spec.containers?.length ?? statuses.length;
  const ready = statuses.filter((s) => s.ready).length;
  const restarts = statuses.reduce((n, s) => n + s.restartCount, 0);
  return [pod.metadata.name, `${ready}/${total}`, podStatusReason(pod), String(restarts), age(pod, nowMs)];
}

function deploymentRow(d: Deployment, nowMs: number): string[] {
  const s = d.status ?? {};
  return [d.metadata.name, `${s.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`, String(s.updatedReplicas ?? 0), String(s.availableReplicas ?? 0), age(d, nowMs)];
}

function replicaSetRow(rs: ReplicaSet, nowMs: number): string[] {
  return [rs.metadata.name, String(rs.spec.replicas ?? 1), String(rs.status?.replicas ?? 0), String(rs.status?.readyReplicas ?? 0), age(rs, nowMs)];
}

function nodeRow(node: Node, nowMs: number): string[] {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  let status = ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'NotReady' : 'Unknown';
  if (node.spec?.unschedulable === true) status += ',SchedulingDisabled';
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .sort();
  return [node.metadata.name, status, roles.length > 0 ? roles.join(',') : '<none>', age(node, nowMs), node.status?.nodeInfo?.kubeletVersion ?? ''];
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

const TIMESTAMP_KEY = /(Timestamp|Time|At)$/;

/** `kubectl get -o yaml`: keys sorted as kubectl prints them, virtual-ms timestamps as RFC 3339. */
export function renderYaml(obj: unknown): string {
  return stringify(convertTimestamps(deepCopy(obj), ''), { sortMapEntries: true, lineWidth: 0 });
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
