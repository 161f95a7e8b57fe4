/**
 * The Ingress a Route programs: for the main target and for each tag, a rule for the
 * public host (unless that name is cluster-local) and a rule for the in-cluster hosts,
 * with weighted splits. A latest-revision target in a gradual rollout is split over the
 * rollout's revisions; the rollout state rides on the annotation
 * `networking.internal.knative.dev/rollout`.
 * Fidelity: knative/serving pkg/reconciler/route/resources/ingress.go
 * (MakeIngressWithRollout, makeIngressSpec, makeBaseIngressPath), simplified to knsim's
 * routing-table Ingress (no paths, headers, retries or TLS; no ingress-class annotation).
 * Splits with 0% are left out, as in Knative.
 */
import type { DomainConfig } from '../../../apis/config/domain.js';
import type { NetworkConfig } from '../../../apis/config/network.js';
import { makeControllerRef } from '../../../apis/meta.js';
import { LABEL, NETWORKING_API_VERSION, type Ingress, type IngressRule, type Route } from '../../../apis/serving-types.js';
import { clusterLocalHosts, externalHost, tagName } from './domains.js';
import type { Visibility } from './placeholder.js';
import { ROLLOUT_ANNOTATION, rolloutConfig, rolloutsByTag, serializeRollout, type Rollout } from './rollout.js';
import type { GroupTarget } from './traffic.js';

/** The weighted backends of one traffic name: each target's share, or its rollout's revisions. */
function splitsOf(targets: readonly GroupTarget[], rollout: Rollout, name: string): { revisionName: string; percent: number }[] {
  const configs = rolloutsByTag(rollout, name);
  const out: { revisionName: string; percent: number }[] = [];
  for (const t of targets) {
    if (t.percent === 0) continue;
    const cfg = t.latestRevision ? rolloutConfig(t.configurationName, configs) : undefined;
    if (cfg === undefined || cfg.revisions.length < 2) out.push({ revisionName: t.revisionName, percent: t.percent });
    else for (const rev of cfg.revisions) out.push({ revisionName: rev.revisionName, percent: rev.percent });
  }
  return out;
}

function rulesFor(
  route: Route,
  hostname: string,
  splits: { revisionName: string; percent: number }[],
  visibility: Visibility,
  domains: DomainConfig,
  network: NetworkConfig,
): IngressRule[] {
  const ns = route.metadata.namespace ?? '';
  const withNs = splits.map((s) => ({ revisionName: s.revisionName, serviceNamespace: ns, percent: s.percent }));
  const rules: IngressRule[] = [];
  const external = visibility === 'ExternalIP' ? externalHost(route, hostname, domains, network) : undefined;
  if (external !== undefined) rules.push({ hosts: [external], visibility: 'ExternalIP', splits: withNs });
  rules.push({ hosts: clusterLocalHosts(hostname, ns), visibility: 'ClusterLocal', splits: withNs.map((s) => ({ ...s })) });
  return rules;
}

/**
 * The desired Ingress: `groups` are the consolidated targets per traffic name ('' first),
 * `rollout` the effective rollout, `visibility` each name's visibility.
 */
export function makeIngress(
  route: Route,
  groups: ReadonlyMap<string, readonly GroupTarget[]>,
  rollout: Rollout,
  visibility: ReadonlyMap<string, Visibility>,
  domains: DomainConfig,
  network: NetworkConfig,
): Ingress {
  const rules: IngressRule[] = [];
  for (const name of [...groups.keys()].sort()) {
    const hostname = name === '' ? route.metadata.name : tagName(route.metadata.name, name, network);
    rules.push(...rulesFor(route, hostname, splitsOf(groups.get(name) ?? [], rollout, name), visibility.get(name) ?? 'ExternalIP', domains, network));
  }
  const labels: Record<string, string> = { [LABEL.route]: route.metadata.name, 'serving.knative.dev/routeNamespace': route.metadata.namespace ?? '' };
  const service = route.metadata.labels?.[LABEL.service];
  if (service !== undefined) labels[LABEL.service] = service;
  return {
    apiVersion: NETWORKING_API_VERSION,
    kind: 'Ingress',
    metadata: {
      name: route.metadata.name,
      namespace: route.metadata.namespace,
      labels,
      annotations: { [ROLLOUT_ANNOTATION]: serializeRollout(rollout) },
      ownerReferences: [makeControllerRef(route)],
    },
    spec: { rules },
  };
}
