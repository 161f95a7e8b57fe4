/**
 * The Ingress a Route programs: a rule for the public host (weighted splits), a rule
 * for the in-cluster hosts with the same splits, and the same pair per tag routing 100%
 * to that tag's revision. Fidelity: knative/serving pkg/reconciler/route/resources/ingress.go
 * (MakeIngressSpec), simplified to knsim's routing-table Ingress (no paths, headers,
 * retries or TLS). Splits with 0% are left out, as in Knative.
 */
import type { DomainConfig } from '../../../apis/config/domain.js';
import type { NetworkConfig } from '../../../apis/config/network.js';
import { makeControllerRef } from '../../../apis/meta.js';
import { LABEL, NETWORKING_API_VERSION, type Ingress, type IngressRule, type Route } from '../../../apis/serving-types.js';
import { clusterLocalHosts, externalHost, tagName } from './domains.js';
import { mainSplits, type ResolvedTarget } from './traffic.js';

function rulesFor(
  route: Route,
  name: string,
  splits: { revisionName: string; percent: number }[],
  domains: DomainConfig,
  network: NetworkConfig,
): IngressRule[] {
  const ns = route.metadata.namespace ?? '';
  const withNs = splits.map((s) => ({ revisionName: s.revisionName, serviceNamespace: ns, percent: s.percent }));
  const rules: IngressRule[] = [];
  const external = externalHost(route, name, domains, network);
  if (external !== undefined) rules.push({ hosts: [external], visibility: 'ExternalIP', splits: withNs });
  rules.push({ hosts: clusterLocalHosts(name, ns), visibility: 'ClusterLocal', splits: withNs.map((s) => ({ ...s })) });
  return rules;
}

export function makeIngress(route: Route, targets: readonly ResolvedTarget[], domains: DomainConfig, network: NetworkConfig): Ingress {
  const rules = rulesFor(route, route.metadata.name, mainSplits(targets), domains, network);
  const tags = [...new Set(targets.filter((t) => t.tag).map((t) => t.tag as string))];
  for (const tag of tags) {
    const target = targets.find((t) => t.tag === tag) as ResolvedTarget;
    rules.push(...rulesFor(route, tagName(route.metadata.name, tag, network), [{ revisionName: target.revisionName, percent: 100 }], domains, network));
  }
  const labels: Record<string, string> = { [LABEL.route]: route.metadata.name, 'serving.knative.dev/routeNamespace': route.metadata.namespace ?? '' };
  const service = route.metadata.labels?.[LABEL.service];
  if (service !== undefined) labels[LABEL.service] = service;
  return {
    apiVersion: NETWORKING_API_VERSION,
    kind: 'Ingress',
    metadata: { name: route.metadata.name, namespace: route.metadata.namespace, labels, ownerReferences: [makeControllerRef(route)] },
    spec: { rules },
  };
}
