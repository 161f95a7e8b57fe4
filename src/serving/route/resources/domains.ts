/**
 * Host names of a Route: `{{.Name}}.{{.Namespace}}.{{.Domain}}` for the public host,
 * `{{.Tag}}-{{.Name}}` for tags, and the in-cluster names `<name>.<ns>`, `<name>.<ns>.svc`,
 * `<name>.<ns>.svc.cluster.local`. A Route labelled `networking.knative.dev/visibility:
 * cluster-local` has no public host; its URL is the cluster-local one.
 * Fidelity: knative/serving pkg/reconciler/route/domains/domains.go and
 * knative/networking pkg/apis/networking/... (in-cluster host names).
 */
import { CLUSTER_LOCAL_DOMAIN, lookupDomain, type DomainConfig } from '../../../apis/config/domain.js';
import { expandTemplate, type NetworkConfig } from '../../../apis/config/network.js';
import { LABEL, type Route } from '../../../apis/serving-types.js';

export function isClusterLocal(route: Route): boolean {
  return route.metadata.labels?.[LABEL.visibility] === 'cluster-local';
}

/** `<name>.<ns>`, `<name>.<ns>.svc`, `<name>.<ns>.svc.cluster.local`. */
export function clusterLocalHosts(name: string, namespace: string): string[] {
  return [`${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.${CLUSTER_LOCAL_DOMAIN}`];
}

/** The public host for `name` (the route name, or the tag-template result), or undefined when cluster-local. */
export function externalHost(route: Route, name: string, domains: DomainConfig, network: NetworkConfig): string | undefined {
  if (isClusterLocal(route)) return undefined;
  const domain = lookupDomain(domains, route.metadata.labels);
  if (domain === CLUSTER_LOCAL_DOMAIN) return `${name}.${route.metadata.namespace ?? ''}.${CLUSTER_LOCAL_DOMAIN}`;
  const host = expandTemplate(network.domainTemplate, { Name: name, Namespace: route.metadata.namespace ?? '', Domain: domain });
  return host.ok ? host.text : `${name}.${route.metadata.namespace ?? ''}.${domain}`;
}

/** `{{.Tag}}-{{.Name}}` → `v1-hello`. */
export function tagName(routeName: string, tag: string, network: NetworkConfig): string {
  const out = expandTemplate(network.tagTemplate, { Name: routeName, Tag: tag });
  return out.ok ? out.text : `${tag}-${routeName}`;
}

/** The URL kn prints: the public host, or the cluster-local one (also for a name made cluster-local by its placeholder Service). */
export function routeUrl(route: Route, name: string, domains: DomainConfig, network: NetworkConfig, clusterLocal = false): string {
  const external = clusterLocal ? undefined : externalHost(route, name, domains, network);
  return `http://${external ?? `${name}.${route.metadata.namespace ?? ''}.${CLUSTER_LOCAL_DOMAIN}`}`;
}
