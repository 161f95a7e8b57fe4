/**
 * The ServerlessService reconciler: a private core Service `<revision>-private` selecting the
 * revision's pods (so the endpoints controller publishes their ready addresses), and the SKS
 * status the KPA and the data plane read: EndpointsPopulated (→ Ready) and
 * ActivatorEndpointsPopulated, whose lastTransitionTime tells how long the activator has been
 * in the path ("proxying since").
 *
 * Fidelity: mirrors knative/serving `pkg/reconciler/serverlessservice/serverlessservice.go` and
 * knative/networking `serverlessservice_lifecycle.go`. Simplified: no public Service or public
 * Endpoints object (the knsim router and activator read the SKS mode directly); the selector is
 * the revision label (Knative copies the Deployment's revisionUID selector: the same pods); the
 * override "no activator endpoints → Serve" never applies because knsim's activator is always up.
 * The override "no ready private endpoints → Proxy" is reflected in ActivatorEndpointsPopulated.
 */
import { makeConditionSet, mark } from '../../apis/conditions.js';
import { TYPE, type Endpoints, type K8sService } from '../../apis/core.js';
import { deepEqual, makeControllerRef, type Condition } from '../../apis/meta.js';
import { LABEL, type ServerlessService, type ServerlessServiceStatus } from '../../apis/serving-types.js';
import type { ApiServer } from '../../k8s/api-server.js';
import { ensureChild, type ChildConvergence, type KindReconciler } from '../../k8s/reconcile-kind.js';

/** SKS conditions: Ready = EndpointsPopulated; ActivatorEndpointsPopulated is informational. */
export const SKS_CONDITIONS = makeConditionSet('Ready', ['EndpointsPopulated']);

/** The private Service's name for an SKS (`names.PrivateService`). */
function privateServiceName(sksName: string): string {
  return `${sksName}-private`;
}

/** The private Service: selects the revision's pods; ports as Knative's (http 80 → queue-proxy 8012, metrics 9090). */
function makePrivateService(sks: ServerlessService): K8sService {
  const revision = sks.metadata.labels?.[LABEL.revision] ?? sks.metadata.name;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: privateServiceName(sks.metadata.name),
      namespace: sks.metadata.namespace,
      labels: { ...(sks.metadata.labels ?? {}), 'networking.internal.knative.dev/serviceType': 'Private' },
      ownerReferences: [makeControllerRef(sks)],
    },
    spec: {
      selector: { [LABEL.revision]: revision },
      ports: [
        { name: 'http', port: 80, targetPort: 8012 },
        { name: 'http-autometric', port: 9090, targetPort: 9090 },
      ],
    },
  };
}

/** Ready addresses of an Endpoints object. */
function readyAddressCount(endpoints: Endpoints | undefined): number {
  let n = 0;
  for (const subset of endpoints?.subsets ?? []) n += subset.addresses?.length ?? 0;
  return n;
}

/** The SKS owns its private Service's selector and ports. */
const CONVERGE_PRIVATE_SERVICE: ChildConvergence<K8sService> = {
  equal: (existing, desired) => deepEqual(existing.spec.selector, desired.spec.selector) && deepEqual(existing.spec.ports, desired.spec.ports),
  converge: (existing, desired) => {
    return { ...existing, spec: { ...existing.spec, selector: desired.spec.selector, ports: desired.spec.ports } };
  },
};

export class SksReconciler implements KindReconciler<ServerlessService, ServerlessServiceStatus> {
  readonly type = TYPE.serverlessService;
  readonly conditions = SKS_CONDITIONS;

  constructor(private readonly api: ApiServer) {}

  reconcile(sks: ServerlessService, status: ServerlessServiceStatus, now: number): void {
    const namespace = sks.metadata.namespace ?? '';
    const conditions = status.conditions as Condition[];

    // Private service: the data source of ready endpoints.
    const want = makePrivateService(sks);
    const outcome = ensureChild(this.api, undefined, this.api.get<K8sService>(TYPE.service, namespace, want.metadata.name), want, CONVERGE_PRIVATE_SERVICE);
    if (outcome.state === 'created')
      mark(SKS_CONDITIONS, conditions, 'EndpointsPopulated', 'Unknown', now, 'CreatingPrivateService', 'K8s Service is not ready');
    else if (outcome.state === 'updated')
      mark(SKS_CONDITIONS, conditions, 'EndpointsPopulated', 'Unknown', now, 'UpdatingPrivateService', 'K8s Service is not ready');
    status.privateServiceName = want.metadata.name;
    status.serviceName = sks.metadata.name;

    const pvtReady = readyAddressCount(this.api.get<Endpoints>(TYPE.endpoints, namespace, want.metadata.name));
    const foundServingEndpoints = pvtReady > 0;
    if (foundServingEndpoints) mark(SKS_CONDITIONS, conditions, 'EndpointsPopulated', 'True', now);
    else mark(SKS_CONDITIONS, conditions, 'EndpointsPopulated', 'Unknown', now, 'NoHealthyBackends', 'K8s Service is not ready');
    // With no ready pods the activator is forced into the path whatever the mode says.
    const activatorInPath = !foundServingEndpoints || sks.spec.mode === 'Proxy';
    mark(
      SKS_CONDITIONS,
      conditions,
      'ActivatorEndpointsPopulated',
      activatorInPath ? 'True' : 'False',
      now,
      'ActivatorEndpointsPopulated',
      'Revision is backed by Activator',
    );
  }
}
