// Single reconciles of the PodAutoscaler (KPA) reconciler as table rows (knative/serving
// pkg/reconciler/autoscaling/kpa/kpa_test.go TestReconcile): the SKS created or converged,
// the scale target patched, and the PA status written.
import { describe, it } from 'vitest';
import type { Deployment, Pod } from '../../src/apis/core.js';
import type { Condition } from '../../src/apis/meta.js';
import { LABEL, type PodAutoscaler, type Revision, type ServerlessService } from '../../src/apis/serving-types.js';
import { KpaReconciler } from '../../src/autoscaler/kpa/reconciler.js';
import { MultiScaler } from '../../src/autoscaler/multiscaler.js';
import { ConfigStore } from '../../src/k8s/config-store.js';
import { reconcileKind } from '../../src/k8s/reconcile-kind.js';
import { makeServerlessService } from '../../src/serving/revision/resources/pa.js';
import { runRow, withAdmission, type Added, type TableRow, type TableWorld } from '../testing/table.js';
import { condition, deploymentOf, podAutoscalerOf, revision, withDeploymentReady, type Option } from '../testing/serving.js';

const rev = (a: Added): Revision => a.get<Revision>('Revision', 'foo-00001');
const dep = (a: Added): Deployment => a.get<Deployment>('Deployment', 'foo-00001-deployment');
const pa = (a: Added): PodAutoscaler => a.get<PodAutoscaler>('PodAutoscaler', 'foo-00001');
const cond = (type: string, status: Condition['status'], reason?: string, message?: string): Condition => ({
  type,
  status,
  ...(reason ? { reason } : {}),
  ...(message ? { message } : {}),
  lastTransitionTime: 0,
});

/** The SKS as the SKS reconciler leaves it once the private service has ready endpoints. */
const sksReady: Option<ServerlessService> = (s) =>
  void (s.status = {
    observedGeneration: 1,
    privateServiceName: `${s.metadata.name}-private`,
    serviceName: s.metadata.name,
    conditions: [
      cond('ActivatorEndpointsPopulated', 'True', 'ActivatorEndpointsPopulated', 'Revision is backed by Activator'),
      cond('EndpointsPopulated', 'True'),
      cond('Ready', 'True'),
    ],
  });

function readyPod(name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { [LABEL.revision]: 'foo-00001' } },
    spec: { containers: [{ name: 'user-container', image: 'busybox' }] },
    status: { phase: 'Running', podIP: '10.0.0.1', conditions: [cond('Ready', 'True')] },
  };
}

const withAnnotation =
  (key: string, value: string): Option<PodAutoscaler> =>
  (p) =>
    void ((p.metadata.annotations ??= {})[key] = value);

const ROWS: TableRow[] = [
  {
    name: 'a PodAutoscaler of another class is left to its own reconciler',
    objects: [
      revision('foo-00001'),
      (a) => deploymentOf(rev(a)),
      (a) => podAutoscalerOf(rev(a), dep(a), withAnnotation('autoscaling.knative.dev/class', 'hpa.autoscaling.knative.dev')),
    ],
    key: 'default/foo-00001',
    want: [],
  },
  {
    name: 'no SKS yet: creates it in Proxy mode with two activators; SKSReady Unknown, activating',
    objects: [revision('foo-00001'), (a) => deploymentOf(rev(a)), (a) => podAutoscalerOf(rev(a), dep(a))],
    key: 'default/foo-00001',
    want: [
      {
        verb: 'create',
        kind: 'ServerlessService',
        name: 'foo-00001',
        spec: { mode: 'Proxy', numActivators: 2, objectRef: { kind: 'Deployment', name: 'foo-00001-deployment' } },
      },
      {
        verb: 'updateStatus',
        kind: 'PodAutoscaler',
        name: 'foo-00001',
        status: {
          desiredScale: -1,
          actualScale: 0,
          conditions: [
            condition('Active', 'Unknown', 'Queued', 'Requests to the target are being buffered as resources are provisioned.'),
            condition('Ready', 'Unknown', 'Queued', 'Requests to the target are being buffered as resources are provisioned.'),
            condition('SKSReady', 'Unknown', 'NotReady', 'No Private Service Name'),
            condition('ScaleTargetInitialized', 'Unknown'),
          ],
        },
      },
    ],
  },
  {
    name: 'the first pod is ready behind a ready SKS: the target is initialized and the PA Active and Ready',
    objects: [
      revision('foo-00001'),
      (a) => deploymentOf(rev(a), withDeploymentReady(1)),
      (a) => podAutoscalerOf(rev(a), dep(a)),
      (a) => withSks(makeServerlessService(pa(a)), sksReady),
      readyPod('foo-00001-deployment-a'),
    ],
    key: 'default/foo-00001',
    want: [
      // One ready pod: the activator count follows the capacity to cover, ceil((1 × 100 + TBC 211) / 100) = 4.
      { verb: 'update', kind: 'ServerlessService', name: 'foo-00001', spec: { mode: 'Proxy', numActivators: 4 } },
      {
        verb: 'updateStatus',
        kind: 'PodAutoscaler',
        name: 'foo-00001',
        status: {
          serviceName: 'foo-00001',
          metricsServiceName: 'foo-00001-private',
          desiredScale: -1,
          actualScale: 1,
          conditions: [condition('Active', 'True'), condition('Ready', 'True'), condition('SKSReady', 'True'), condition('ScaleTargetInitialized', 'True')],
        },
      },
    ],
  },
  {
    name: 'min-scale 3 while activating: the Deployment goes to 3 before the decider has decided',
    objects: [
      revision('foo-00001'),
      (a) => deploymentOf(rev(a), withDeploymentReady(1)),
      (a) => podAutoscalerOf(rev(a), dep(a), withAnnotation('autoscaling.knative.dev/min-scale', '3')),
      (a) => withSks(makeServerlessService(pa(a)), sksReady),
      readyPod('foo-00001-deployment-a'),
    ],
    key: 'default/foo-00001',
    want: [
      { verb: 'update', kind: 'Deployment', name: 'foo-00001-deployment', spec: { replicas: 3 } },
      // No spare burst capacity yet (1 × 100 − 211 < 0): the activator stays in the path.
      { verb: 'update', kind: 'ServerlessService', name: 'foo-00001', spec: { mode: 'Proxy', numActivators: 4 } },
      {
        verb: 'updateStatus',
        kind: 'PodAutoscaler',
        name: 'foo-00001',
        status: {
          desiredScale: 3,
          actualScale: 1,
          conditions: [
            condition('Active', 'Unknown', 'Queued'),
            condition('Ready', 'Unknown', 'Queued'),
            condition('SKSReady', 'True'),
            condition('ScaleTargetInitialized', 'Unknown'),
          ],
        },
      },
    ],
    wantTrace: [
      { component: 'autoscaler', object: 'foo-00001', data: { phase: 'scale', want: 3, boundedFrom: -1, minScale: 3, replicasFrom: 1, replicasTo: 3 } },
    ],
  },
];

function withSks(s: ServerlessService, option: Option<ServerlessService>): ServerlessService {
  option(s);
  return s;
}

function reconcile(world: TableWorld, key: string): void {
  const { engine, api } = world;
  const multiscaler = new MultiScaler(engine, api, { scrape: () => undefined }, () => undefined);
  reconcileKind(engine, api, new KpaReconciler({ engine, api, configs: new ConfigStore(engine, api, 'autoscaler'), multiscaler }), key);
}

describe('PodAutoscaler reconciler (table)', () => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => runRow(row, reconcile, withAdmission));
});
