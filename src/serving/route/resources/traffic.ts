/**
 * Resolution of a Route's traffic targets to revisions: configurationName targets
 * follow the configuration's latestReadyRevisionName; identical (tag, revision,
 * latestRevision) targets are merged by summing their percents. A target that cannot
 * be resolved yields the AllTrafficAssigned condition Knative would set, and the Route
 * is then not reprogrammed.
 * Fidelity: knative/serving pkg/reconciler/route/traffic/traffic.go (BuildTrafficConfiguration,
 * consolidation, RevisionNotOwned for Service-owned Routes) and route_lifecycle.go messages.
 */
import { getCondition } from '../../../apis/conditions.js';
import type { ConditionStatus } from '../../../apis/meta.js';
import { COND, MESSAGE, REASON } from '../../../apis/serving-lifecycle.js';
import { LABEL, type Configuration, type Revision, type TrafficTarget } from '../../../apis/serving-types.js';

interface TrafficLookup {
  configuration(name: string): Configuration | undefined;
  revision(name: string): Revision | undefined;
}

/** A resolved target as it appears in Route status.traffic (without url). */
export interface ResolvedTarget {
  tag?: string;
  revisionName: string;
  configurationName?: string;
  latestRevision: boolean;
  percent: number;
}

type TrafficResult = { ok: true; targets: ResolvedTarget[] } | { ok: false; status: ConditionStatus; reason: string; message: string };

const isReady = (r: Revision): boolean =>
  r.status?.observedGeneration === r.metadata.generation && getCondition(r.status?.conditions, COND.ready)?.status === 'True';
const isFailed = (r: Revision): boolean =>
  r.status?.observedGeneration === r.metadata.generation && getCondition(r.status?.conditions, COND.ready)?.status === 'False';

/**
 * Resolves every target. `owningService` is the Route's Service (label), whose Routes may
 * only use that Service's revisions. Failures (False) win over waits (Unknown), as the
 * first error of the worse kind is what Knative reports.
 */
export function resolveTraffic(traffic: readonly TrafficTarget[], lookup: TrafficLookup, owningService: string | undefined): TrafficResult {
  const targets: ResolvedTarget[] = [];
  let wait: TrafficResult | undefined;
  for (const t of traffic) {
    let revisionName: string;
    if (t.configurationName) {
      const config = lookup.configuration(t.configurationName);
      if (config === undefined) return fail('False', REASON.configurationMissing, MESSAGE.missingTarget('Configuration', t.configurationName));
      const ready = config.status?.latestReadyRevisionName;
      if (!ready) {
        const failed = getCondition(config.status?.conditions, COND.ready)?.status === 'False';
        if (failed) return fail('False', REASON.revisionMissing, MESSAGE.configurationFailed(t.configurationName));
        wait ??= fail('Unknown', REASON.revisionMissing, MESSAGE.configurationNotReady(t.configurationName));
        continue;
      }
      revisionName = ready;
    } else if (t.revisionName) {
      const rev = lookup.revision(t.revisionName);
      if (rev === undefined) return fail('False', REASON.revisionMissing, MESSAGE.missingTarget('Revision', t.revisionName));
      const revService = rev.metadata.labels?.[LABEL.service] ?? '';
      if (owningService !== undefined && revService !== owningService)
        return fail('False', REASON.revisionNotOwned, MESSAGE.revisionNotOwned(t.revisionName, owningService, revService));
      if (!isReady(rev)) {
        if (isFailed(rev)) return fail('False', REASON.revisionMissing, MESSAGE.revisionFailedToBecomeReady(t.revisionName));
        wait ??= fail('Unknown', REASON.revisionMissing, MESSAGE.revisionNotReady(t.revisionName));
        continue;
      }
      revisionName = t.revisionName;
    } else continue;
    const resolved: ResolvedTarget = { revisionName, latestRevision: t.latestRevision ?? !t.revisionName, percent: t.percent ?? 0 };
    if (t.tag) resolved.tag = t.tag;
    if (t.configurationName) resolved.configurationName = t.configurationName;
    const same = targets.find((x) => x.tag === resolved.tag && x.revisionName === resolved.revisionName && x.latestRevision === resolved.latestRevision);
    if (same !== undefined) same.percent += resolved.percent;
    else targets.push(resolved);
  }
  return wait ?? { ok: true, targets };
}

function fail(status: ConditionStatus, reason: string, message: string): TrafficResult {
  return { ok: false, status, reason, message };
}

/** One target of a traffic name after consolidation: a revision with its share of that name's host. */
export interface GroupTarget {
  revisionName: string;
  configurationName?: string;
  latestRevision: boolean;
  percent: number;
}

/**
 * The targets behind each traffic name: '' (the main host) takes every target, each tag
 * its own. Within a name, targets of the same revision merge (the first one's flags win,
 * percents add) and a lone target gets 100%.
 * Fidelity: traffic.go addFlattenedTarget and consolidate.
 * Example: [{A 90}, {B 10, tag v2}] → '' → [A 90, B 10]; 'v2' → [B 100].
 */
export function trafficGroups(targets: readonly ResolvedTarget[]): Map<string, GroupTarget[]> {
  const raw = new Map<string, ResolvedTarget[]>();
  const add = (name: string, t: ResolvedTarget): void => {
    const list = raw.get(name);
    if (list === undefined) raw.set(name, [t]);
    else list.push(t);
  };
  for (const t of targets) {
    add('', t);
    if (t.tag) add(t.tag, t);
  }
  const out = new Map<string, GroupTarget[]>();
  for (const name of [...raw.keys()].sort()) {
    const merged: GroupTarget[] = [];
    for (const t of raw.get(name) ?? []) {
      const same = merged.find((m) => m.revisionName === t.revisionName);
      if (same !== undefined) {
        same.percent += t.percent;
        continue;
      }
      const g: GroupTarget = { revisionName: t.revisionName, latestRevision: t.latestRevision, percent: t.percent };
      if (t.configurationName !== undefined) g.configurationName = t.configurationName;
      merged.push(g);
    }
    const only = merged[0];
    if (merged.length === 1 && only !== undefined) only.percent = 100;
    out.set(name, merged);
  }
  return out;
}
