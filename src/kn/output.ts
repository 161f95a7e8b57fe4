/**
 * kn's human-readable views: `service list`, `revision list`, `route list` tables and
 * the `describe` pages. Fidelity: knative/client pkg/commands/{service,revision,route}/human_readable_flags.go
 * and pkg/printers (tabwriter with 3 spaces of padding, cells over 50 characters cut to
 * 46 plus " ..."). AGE is virtual time since creation.
 * Simplified: describe pages show the main fields only (no resources, env, ports).
 */
import type { ApiServer } from '../k8s/api-server.js';
import { TYPE } from '../apis/core.js';
import type { Condition } from '../apis/meta.js';
import { getCondition } from '../apis/conditions.js';
import { LABEL, type KnService, type Revision, type Route } from '../apis/serving-types.js';
import { formatAge } from '../engine/units.js';
import { must } from '../engine/assert.js';

function cut(cell: string): string {
  return cell.length > 50 ? `${cell.slice(0, 46)} ...` : cell;
}

/** Left-aligned columns separated by three spaces, as kn's tabwriter prints them. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows.map((r) => r.map(cut))];
  const widths = header.map((_h, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  // Every row has the header's columns, so each cell has a width.
  return all
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(must(widths[i], 'a width for every column') + 3)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

function conditionsCell(conds: readonly Condition[] | undefined): string {
  const list = conds ?? [];
  return `${list.filter((c) => c.status === 'True').length} OK / ${list.length}`;
}

export function readyCells(conds: readonly Condition[] | undefined): [string, string] {
  const ready = getCondition(conds, 'Ready');
  const status = ready?.status ?? 'Unknown';
  const reason = status === 'True' || ready === undefined ? '' : [ready.reason, ready.message].filter((x) => x).join(' : ');
  return [status, reason];
}

export const age = (nowMs: number, createdMs: number | undefined): string => formatAge(nowMs - (createdMs ?? nowMs));

export function serviceList(api: ApiServer, nowMs: number, namespace: string | undefined): string {
  const services = api.list<KnService>(TYPE.knService, namespace === undefined ? {} : { namespace });
  if (services.length === 0) return namespace === undefined ? 'No services found.' : `No services found in ${namespace} namespace.`;
  const header = ['NAME', 'URL', 'LATEST', 'AGE', 'CONDITIONS', 'READY', 'REASON'];
  const rows = services.map((s) => {
    const row = [
      s.metadata.name,
      s.status?.url ?? '',
      s.status?.latestReadyRevisionName ?? '',
      age(nowMs, s.metadata.creationTimestamp),
      conditionsCell(s.status?.conditions),
      ...readyCells(s.status?.conditions),
    ];
    return namespace === undefined ? [s.metadata.namespace ?? '', ...row] : row;
  });
  return formatTable(namespace === undefined ? ['NAMESPACE', ...header] : header, rows);
}

export function revisionList(api: ApiServer, nowMs: number, namespace: string | undefined, service: string | undefined): string {
  let revisions = api.list<Revision>(TYPE.revision, namespace === undefined ? {} : { namespace });
  if (service !== undefined) revisions = revisions.filter((r) => r.metadata.labels?.[LABEL.service] === service);
  if (revisions.length === 0) return namespace === undefined ? 'No revisions found.' : `No revisions found in ${namespace} namespace.`;
  const gen = (r: Revision): number => Number(r.metadata.labels?.[LABEL.configurationGeneration] ?? 0);
  const svc = (r: Revision): string => r.metadata.labels?.[LABEL.service] ?? '';
  revisions = [...revisions].sort((a, b) => {
    const na = a.metadata.namespace ?? '';
    const nb = b.metadata.namespace ?? '';
    if (na !== nb) return na < nb ? -1 : 1;
    if (svc(a) !== svc(b)) return svc(a) < svc(b) ? -1 : 1;
    if (gen(a) !== gen(b)) return gen(b) - gen(a);
    return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
  });
  const rows = revisions.map((r) => {
    const ksvc = api.get<KnService>(TYPE.knService, r.metadata.namespace ?? '', svc(r));
    const entries = (ksvc?.status?.traffic ?? []).filter((t) => t.revisionName === r.metadata.name);
    const percent = entries.reduce((s, t) => s + (t.percent ?? 0), 0);
    const tags = entries.filter((t) => t.tag).map((t) => t.tag as string);
    const row = [
      r.metadata.name,
      svc(r),
      percent > 0 ? `${percent}%` : '',
      tags.join(','),
      r.metadata.labels?.[LABEL.configurationGeneration] ?? '',
      age(nowMs, r.metadata.creationTimestamp),
      conditionsCell(r.status?.conditions),
      ...readyCells(r.status?.conditions),
    ];
    return namespace === undefined ? [r.metadata.namespace ?? '', ...row] : row;
  });
  const header = ['NAME', 'SERVICE', 'TRAFFIC', 'TAGS', 'GENERATION', 'AGE', 'CONDITIONS', 'READY', 'REASON'];
  return formatTable(namespace === undefined ? ['NAMESPACE', ...header] : header, rows);
}

export function routeList(api: ApiServer, nowMs: number, namespace: string | undefined): string {
  const routes = api.list<Route>(TYPE.route, namespace === undefined ? {} : { namespace });
  if (routes.length === 0) return namespace === undefined ? 'No routes found.' : `No routes found in ${namespace} namespace.`;
  const rows = routes.map((r) => {
    const row = [
      r.metadata.name,
      r.status?.url ?? '',
      age(nowMs, r.metadata.creationTimestamp),
      conditionsCell(r.status?.conditions),
      readyCells(r.status?.conditions)[0],
    ];
    return namespace === undefined ? [r.metadata.namespace ?? '', ...row] : row;
  });
  const header = ['NAME', 'URL', 'AGE', 'CONDITIONS', 'READY'];
  return formatTable(namespace === undefined ? ['NAMESPACE', ...header] : header, rows);
}

export function conditionsBlock(conds: readonly Condition[] | undefined, nowMs: number): string[] {
  const order = (c: Condition): number => (c.type === 'Ready' ? 0 : 1);
  const sorted = [...(conds ?? [])].sort((a, b) => order(a) - order(b) || (a.type < b.type ? -1 : 1));
  const rows = sorted.map((c) => [
    c.status === 'True' ? '++' : c.status === 'False' ? '!!' : '??',
    c.type,
    formatAge(nowMs - (c.lastTransitionTime ?? nowMs)),
    c.status === 'True' ? '' : (c.reason ?? ''),
  ]);
  return [
    'Conditions:',
    ...formatTable(['OK', 'TYPE', 'AGE', 'REASON'], rows)
      .split('\n')
      .map((l) => `  ${l}`),
  ];
}

export function serviceDescribe(api: ApiServer, nowMs: number, s: KnService): string {
  const lines = [
    `Name:       ${s.metadata.name}`,
    `Namespace:  ${s.metadata.namespace ?? ''}`,
    `Age:        ${age(nowMs, s.metadata.creationTimestamp)}`,
    `URL:        ${s.status?.url ?? ''}`,
    '',
    'Revisions:',
  ];
  for (const t of s.status?.traffic ?? []) {
    const rev = t.revisionName === undefined ? undefined : api.get<Revision>(TYPE.revision, s.metadata.namespace ?? '', t.revisionName);
    const name = t.latestRevision ? `@latest (${t.revisionName})` : (t.revisionName ?? '');
    const tag = t.tag ? ` #${t.tag}` : '';
    lines.push(
      `  ${String(t.percent ?? 0).padStart(3)}%  ${name}${tag} [${rev?.metadata.labels?.[LABEL.configurationGeneration] ?? '?'}] (${age(nowMs, rev?.metadata.creationTimestamp)})`,
    );
    lines.push(`        Image:     ${rev?.spec.containers?.[0]?.image ?? ''}`);
    if (rev?.status?.actualReplicas !== undefined) lines.push(`        Replicas:  ${rev.status.actualReplicas}/${rev.status.desiredReplicas ?? 0}`);
  }
  lines.push('', ...conditionsBlock(s.status?.conditions, nowMs));
  return lines.join('\n');
}

export function revisionDescribe(nowMs: number, r: Revision): string {
  const c = r.spec.containers?.[0];
  const lines = [
    `Name:         ${r.metadata.name}`,
    `Namespace:    ${r.metadata.namespace ?? ''}`,
    `Age:          ${age(nowMs, r.metadata.creationTimestamp)}`,
    `Image:        ${c?.image ?? ''}`,
    `Replicas:     ${r.status?.actualReplicas ?? 0}/${r.status?.desiredReplicas ?? 0}`,
    `Service:      ${r.metadata.labels?.[LABEL.service] ?? ''}`,
    '',
    ...conditionsBlock(r.status?.conditions, nowMs),
  ];
  if (r.spec.containerConcurrency) lines.splice(5, 0, `Concurrency:  ${r.spec.containerConcurrency}`);
  return lines.join('\n');
}

export function routeDescribe(nowMs: number, r: Route): string {
  const lines = [
    `Name:       ${r.metadata.name}`,
    `Namespace:  ${r.metadata.namespace ?? ''}`,
    `Age:        ${age(nowMs, r.metadata.creationTimestamp)}`,
    `URL:        ${r.status?.url ?? ''}`,
    `Service:    ${r.metadata.labels?.[LABEL.service] ?? ''}`,
    '',
    'Traffic Targets:',
  ];
  for (const t of r.status?.traffic ?? []) {
    lines.push(
      `  ${String(t.percent ?? 0).padStart(3)}%  ${t.latestRevision ? `@latest (${t.revisionName})` : (t.revisionName ?? '')}${t.tag ? ` #${t.tag}` : ''}`,
    );
    if (t.url) lines.push(`        URL:  ${t.url}`);
  }
  lines.push('', ...conditionsBlock(r.status?.conditions, nowMs));
  return lines.join('\n');
}
