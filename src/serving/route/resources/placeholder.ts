/**
 * A Route's placeholder Kubernetes Services and the visibility they carry. For each traffic
 * name (the main target and every tag) the Route owns a core Service named after the host
 * (`hello`, `candidate-hello`): an ExternalName to the Route's domain, so the cluster-local
 * names resolve and nothing else can take them. Labelling one of them
 * `networking.knative.dev/visibility: cluster-local` (e.g. `kubectl label service
 * candidate-hello networking.knative.dev/visibility=cluster-local`) makes that target
 * reachable only from inside the cluster; the Route's own visibility, when cluster-local,
 * applies to every target.
 *
 * Fidelity: knative/serving pkg/reconciler/route/resources/service.go
 * (MakeK8sPlaceholderService, makeServiceObjectMeta: the Route's labels minus visibility,
 * plus `serving.knative.dev/route`, and its annotations) and
 * pkg/reconciler/route/visibility/visibility.go (GetVisibility: the lower of the Route's
 * and the placeholder's visibility). The Service keeps its ExternalName: knsim's Ingress
 * has no load-balancer status to point it at (updatePlaceholderServices is not modelled).
 */
import type { K8sService } from '../../../apis/core.js';
import { makeControllerRef } from '../../../apis/meta.js';
import { LABEL, type Route } from '../../../apis/serving-types.js';

export type Visibility = 'ExternalIP' | 'ClusterLocal';

/** The placeholder Service for one traffic name: `hostname` is the route name or its tag-template expansion. */
export function makePlaceholderService(route: Route, hostname: string, externalName: string): K8sService {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(route.metadata.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) if (k !== LABEL.visibility) labels[k] = v;
  labels[LABEL.route] = route.metadata.name;
  const metadata: K8sService['metadata'] = { name: hostname, namespace: route.metadata.namespace, labels, ownerReferences: [makeControllerRef(route)] };
  if (route.metadata.annotations !== undefined) metadata.annotations = { ...route.metadata.annotations };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: { type: 'ExternalName', externalName: externalName, sessionAffinity: 'None', ports: [{ name: 'http2', port: 80, targetPort: 80 }] },
  };
}

/**
 * The visibility of each traffic name: cluster-local when the Route is, or when the
 * placeholder Service of that name (found by name among `services`) carries the label.
 */
export function resolveVisibility(
  names: readonly string[],
  hostnameOf: (name: string) => string,
  routeClusterLocal: boolean,
  services: readonly K8sService[],
): Map<string, Visibility> {
  const byName = new Map(services.map((s) => [s.metadata.name, s] as const));
  const out = new Map<string, Visibility>();
  for (const name of names) {
    const labelled = byName.get(hostnameOf(name))?.metadata.labels?.[LABEL.visibility] === 'cluster-local';
    out.set(name, routeClusterLocal || labelled ? 'ClusterLocal' : 'ExternalIP');
  }
  return out;
}
