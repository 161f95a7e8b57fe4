/**
 * The Configuration and Route a Service owns, both named as the Service.
 * Fidelity: knative/serving pkg/reconciler/service/resources/{configuration,route}.go.
 * The Configuration carries the Service's labels plus `serving.knative.dev/service` and
 * `serviceUID`, its annotations (minus kubectl's last-applied and the rollout duration,
 * which only the Route reads) and the template. The Route
 * carries the traffic block with `configurationName: <service>` filled in for every
 * target without a revisionName.
 */
import { deepCopy, makeControllerRef } from '../../../apis/meta.js';
import { ANNOTATION, LABEL, SERVING_API_VERSION, type Configuration, type KnService, type Route } from '../../../apis/serving-types.js';
import { ROLLOUT_DURATION_KEYS } from '../../../apis/serving-validation.js';
import { listAnnotation, withoutKeys } from '../../shared.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export function makeConfiguration(service: KnService, existing?: Configuration): Configuration {
  const annotations = withoutKeys(service.metadata.annotations, [LAST_APPLIED, ...ROLLOUT_DURATION_KEYS]);
  const routes = new Set(listAnnotation(existing?.metadata.annotations?.[ANNOTATION.routes]));
  routes.add(service.metadata.name);
  annotations[ANNOTATION.routes] = [...routes].sort().join(',');
  return {
    apiVersion: SERVING_API_VERSION,
    kind: 'Configuration',
    metadata: {
      name: service.metadata.name,
      namespace: service.metadata.namespace,
      labels: { ...(service.metadata.labels ?? {}), [LABEL.service]: service.metadata.name, [LABEL.serviceUID]: service.metadata.uid ?? '' },
      annotations,
      ownerReferences: [makeControllerRef(service)],
    },
    spec: { template: deepCopy(service.spec.template) },
  };
}

export function makeRoute(service: KnService): Route {
  const traffic = deepCopy(service.spec.traffic ?? []);
  for (const t of traffic) if (!t.revisionName) t.configurationName = service.metadata.name;
  return {
    apiVersion: SERVING_API_VERSION,
    kind: 'Route',
    metadata: {
      name: service.metadata.name,
      namespace: service.metadata.namespace,
      labels: { ...(service.metadata.labels ?? {}), [LABEL.service]: service.metadata.name },
      annotations: withoutKeys(service.metadata.annotations, [LAST_APPLIED]),
      ownerReferences: [makeControllerRef(service)],
    },
    spec: { traffic },
  };
}
