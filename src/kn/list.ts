/**
 * kn's list tables: `kn service list`, `kn revision list`, `kn route list`, as kn prints them
 * through its tab writer (min width 6, padding 3: every cell but a line's last is padded, so
 * a row whose REASON is empty ends in spaces), with `NAMESPACE` first under `-A` (service and
 * revision lists only: kn's route table has no namespace column) and `--no-headers`.
 *
 * Mirrors knative/client pkg/commands/{service,revision,route}/{list.go,human_readable_flags.go}:
 * services sorted by namespace and name; revisions by namespace, service, generation (newest
 * first) and name, their TRAFFIC and TAGS taken from their Service's status, each revision cell
 * cut to 50 characters (46 and " ..."); AGE in the long form (`119s`, `3m20s`); nothing found is
 * `No services found.` (`revisions`, `routes`). Fidelity: no `-o` machine-readable output.
 */
import type { ApiServer } from '../k8s/api-server.js';
import { KN_TABLE, tabulate } from '../k8s/tabwriter.js';
import { TYPE } from '../apis/core.js';
import type { KObject } from '../apis/meta.js';
import { LABEL, type KnService, type Revision, type Route } from '../apis/serving-types.js';
import { conditionsValue, listAge, nonReadyConditionReason, readyCondition } from './printers.js';

export interface ListOptions {
  /** undefined lists every namespace (`-A`), with a NAMESPACE column where kn prints one. */
  namespace: string | undefined;
  /** Only the object of this name (`kn service list NAME`). */
  name?: string;
  noHeaders?: boolean;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A kn table through the tab writer, NAMESPACE first when asked, without the header under --no-headers. */
export function table(header: string[], rows: string[][], opts: ListOptions, withNamespace: boolean): string {
  const head = withNamespace ? ['NAMESPACE', ...header] : header;
  return tabulate(opts.noHeaders === true ? rows : [head, ...rows], KN_TABLE).replace(/\n$/, '');
}

/** The objects of a type in the namespace (every namespace when undefined), only the named one when given. */
export function listed<T extends KObject>(api: ApiServer, type: string, opts: ListOptions): T[] {
  const all = api.list<T>(type, opts.namespace === undefined ? {} : { namespace: opts.namespace });
  return opts.name === undefined ? all : all.filter((o) => o.metadata.name === opts.name);
}

export function serviceList(api: ApiServer, nowMs: number, opts: ListOptions): string {
  const services = listed<KnService>(api, TYPE.knService, opts).sort(
    (a, b) => compare(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || compare(a.metadata.name, b.metadata.name),
  );
  if (services.length === 0) return 'No services found.';
  const all = opts.namespace === undefined;
  const rows = services.map((s) => {
    const c = s.status?.conditions;
    const row = [
      s.metadata.name,
      s.status?.url ?? '',
      s.status?.latestReadyRevisionName ?? '',
      listAge(nowMs, s.metadata.creationTimestamp),
      conditionsValue(c),
      readyCondition(c),
      nonReadyConditionReason(c),
    ];
    return all ? [s.metadata.namespace ?? '', ...row] : row;
  });
  return table(['NAME', 'URL', 'LATEST', 'AGE', 'CONDITIONS', 'READY', 'REASON'], rows, opts, all);
}

/** kn cuts a revision table cell longer than 50 characters to 46 and " ...". */
function trunc(cell: string): string {
  return cell.length <= 50 ? cell : `${cell.slice(0, 46)} ...`;
}

const generationOf = (r: Revision): number | undefined => {
  const text = r.metadata.labels?.[LABEL.configurationGeneration] ?? '';
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
};

/** kn's order: namespace, service, generation (newest first), name. */
function revisionOrder(a: Revision, b: Revision): number {
  const byNamespace = compare(a.metadata.namespace ?? '', b.metadata.namespace ?? '');
  if (byNamespace !== 0) return byNamespace;
  const byService = compare(a.metadata.labels?.[LABEL.service] ?? '', b.metadata.labels?.[LABEL.service] ?? '');
  if (byService !== 0) return byService;
  const ga = generationOf(a);
  const gb = generationOf(b);
  if (ga === undefined || gb === undefined || ga === gb) return compare(a.metadata.name, b.metadata.name);
  return gb - ga;
}

/** `kn revision list [NAME] [-s SERVICE]`; the service filter is checked by the caller. */
export function revisionList(api: ApiServer, nowMs: number, opts: ListOptions & { service?: string }): string {
  let revisions = listed<Revision>(api, TYPE.revision, opts);
  if (opts.service !== undefined) revisions = revisions.filter((r) => r.metadata.labels?.[LABEL.service] === opts.service);
  if (revisions.length === 0) return 'No revisions found.';
  revisions.sort(revisionOrder);
  const all = opts.namespace === undefined;
  const rows = revisions.map((r) => {
    const service = r.metadata.labels?.[LABEL.service] ?? '';
    const ksvc = service === '' ? undefined : api.get<KnService>(TYPE.knService, r.metadata.namespace ?? '', service);
    let percent = 0;
    const tags: string[] = [];
    for (const t of ksvc?.status?.traffic ?? []) {
      if (t.revisionName !== r.metadata.name) continue;
      percent += t.percent ?? 0;
      if (t.tag) tags.push(t.tag);
    }
    const c = r.status?.conditions;
    const row = [
      r.metadata.name,
      service,
      percent !== 0 ? `${percent}%` : '',
      tags.join(','),
      r.metadata.labels?.[LABEL.configurationGeneration] ?? '',
      listAge(nowMs, r.metadata.creationTimestamp),
      conditionsValue(c),
      readyCondition(c),
      nonReadyConditionReason(c),
    ].map(trunc);
    return all ? [trunc(r.metadata.namespace ?? ''), ...row] : row;
  });
  return table(['NAME', 'SERVICE', 'TRAFFIC', 'TAGS', 'GENERATION', 'AGE', 'CONDITIONS', 'READY', 'REASON'], rows, opts, all);
}

/** `kn route list [NAME]`: NAME URL READY (kn prints no namespace column, even with -A). */
export function routeList(api: ApiServer, opts: ListOptions): string {
  const routes = listed<Route>(api, TYPE.route, opts);
  if (routes.length === 0) return 'No routes found.';
  const rows = routes.map((r) => [r.metadata.name, r.status?.url ?? '', readyCondition(r.status?.conditions)]);
  return table(['NAME', 'URL', 'READY'], rows, opts, false);
}
