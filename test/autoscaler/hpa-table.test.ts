// The HPA class, as knative/serving tests it: MakeHPA row by row (pkg/reconciler/autoscaling/hpa/
// resources/hpa_test.go TestMakeHPA, same names), and single reconciles of the HPA-class
// PodAutoscaler reconciler as table rows (pkg/reconciler/autoscaling/hpa/hpa_test.go TestReconcile):
// the HPA and the Serve-mode SKS created, an HPA owned by someone else, a stale spec, and the
// PA status mirrored from the HPA's.
import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../src/apis/core.js';
import { defaultAutoscalerConfig } from '../../src/apis/config/autoscaler.js';
import type { HorizontalPodAutoscaler } from '../../src/apis/autoscaling-v2.js';
import type { Condition } from '../../src/apis/meta.js';
import type { PodAutoscaler, Revision, ServerlessService } from '../../src/apis/serving-types.js';
import { HpaClassReconciler } from '../../src/autoscaler/hpa/reconciler.js';
import { makeHpa } from '../../src/autoscaler/hpa/resources.js';
import { ConfigStore } from '../../src/k8s/config-store.js';
import { startHorizontalPodAutoscaling } from '../../src/k8s/hpa/index.js';
import { reconcileKind } from '../../src/k8s/reconcile-kind.js';
import { PA_CONDITIONS } from '../../src/autoscaler/index.js';
import { makeServerlessService } from '../../src/serving/revision/resources/pa.js';
import { runRow, withAdmission, type Added, type TableRow, type TableWorld } from '../testing/table.js';
import { condition, deploymentOf, podAutoscalerOf, revision, type Option } from '../testing/serving.js';

const A = 'autoscaling.knative.dev/';
const HPA = 'hpa.autoscaling.knative.dev';
const MAX_INT32 = 2147483647;

describe('TestMakeHPA (resources/hpa_test.go)', () => {
  const cfg = defaultAutoscalerConfig();
  const pa = (annotations: Record<string, string> = {}): PodAutoscaler => ({
    apiVersion: 'autoscaling.internal.knative.dev/v1alpha1',
    kind: 'PodAutoscaler',
    metadata: { name: 'test-name', namespace: 'test-namespace', uid: '2006', annotations: { [A + 'class']: HPA, ...annotations } },
    spec: { scaleTargetRef: { apiVersion: 'apps', kind: 'Deployment', name: 'some-name' }, protocolType: 'http1' },
  });
  const base = { scaleTargetRef: { apiVersion: 'apps', kind: 'Deployment', name: 'some-name' }, maxReplicas: MAX_INT32 };
  it.each([
    { name: 'defaults', annotations: {}, spec: base },
    { name: 'with lower bound', annotations: { [A + 'min-scale']: '5' }, spec: { ...base, minReplicas: 5 } },
    { name: 'with upper bound', annotations: { [A + 'max-scale']: '5' }, spec: { ...base, maxReplicas: 5 } },
    {
      name: 'with an actual cpu target',
      annotations: { [A + 'target']: '50', [A + 'metric']: 'cpu' },
      spec: { ...base, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
    },
    {
      name: 'with an actual memory target',
      annotations: { [A + 'target']: '50', [A + 'metric']: 'memory' },
      spec: { ...base, metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '50Mi' } } }] },
    },
    {
      name: 'with an actual fractional target',
      annotations: { [A + 'target']: '1982.4', [A + 'metric']: 'cpu' },
      spec: { ...base, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 1983 } } }] },
    },
    {
      name: 'with window annotation',
      annotations: { [A + 'target']: '50', [A + 'metric']: 'cpu', [A + 'window']: '60s' },
      spec: {
        ...base,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
        behavior: { scaleDown: { stabilizationWindowSeconds: 60 }, scaleUp: { stabilizationWindowSeconds: 60 } },
      },
    },
    {
      name: 'with custom metric',
      annotations: { [A + 'target']: '50', [A + 'metric']: 'customMetric' },
      spec: { ...base, metrics: [{ type: 'Pods', pods: { metric: { name: 'customMetric' }, target: { type: 'AverageValue', averageValue: '50' } } }] },
    },
  ])('$name', (c) => {
    const got = makeHpa(pa(c.annotations), cfg);
    expect(got.spec).toEqual(c.spec);
    expect(got.metadata).toMatchObject({
      name: 'test-name',
      namespace: 'test-namespace',
      annotations: { [A + 'class']: HPA, ...c.annotations },
      ownerReferences: [{ kind: 'PodAutoscaler', name: 'test-name', uid: '2006', controller: true, blockOwnerDeletion: true }],
    });
  });
});

const rev = (a: Added): Revision => a.get<Revision>('Revision', 'foo-00001');
const dep = (a: Added): Deployment => a.get<Deployment>('Deployment', 'foo-00001-deployment');
const paOf = (a: Added): PodAutoscaler => a.get<PodAutoscaler>('PodAutoscaler', 'foo-00001');
const withAnnotation =
  (key: string, value: string): Option<PodAutoscaler> =>
  (p) =>
    void ((p.metadata.annotations ??= {})[key] = value);
const hpaClass = withAnnotation(A + 'class', HPA);
const cond = (type: string, status: Condition['status'], reason?: string, message?: string): Condition => ({
  type,
  status,
  ...(reason ? { reason } : {}),
  ...(message ? { message } : {}),
  lastTransitionTime: 0,
});
const sksReady = (s: ServerlessService): ServerlessService => {
  s.spec = { ...s.spec, mode: 'Serve', numActivators: 0 };
  s.status = {
    observedGeneration: 1,
    privateServiceName: `${s.metadata.name}-private`,
    serviceName: s.metadata.name,
    conditions: [cond('ActivatorEndpointsPopulated', 'False'), cond('EndpointsPopulated', 'True'), cond('Ready', 'True')],
  };
  return s;
};
const hpaWithStatus = (pa: PodAutoscaler, current: number, desired: number): HorizontalPodAutoscaler => ({
  ...makeHpa(pa, defaultAutoscalerConfig()),
  status: { currentReplicas: current, desiredReplicas: desired },
});

const ROWS: TableRow[] = [
  {
    name: 'first reconcile: creates the HPA and a Serve-mode SKS for every activator; Active, SKS not ready yet',
    objects: [
      revision('foo-00001'),
      (a) => deploymentOf(rev(a)),
      (a) => podAutoscalerOf(rev(a), dep(a), hpaClass, withAnnotation(A + 'metric', 'cpu'), withAnnotation(A + 'target', '70')),
    ],
    key: 'default/foo-00001',
    want: [
      {
        verb: 'create',
        kind: 'HorizontalPodAutoscaler',
        name: 'foo-00001',
        spec: {
          scaleTargetRef: { kind: 'Deployment', name: 'foo-00001-deployment' },
          minReplicas: 1,
          maxReplicas: MAX_INT32,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { averageUtilization: 70 } } }],
        },
      },
      { verb: 'create', kind: 'ServerlessService', name: 'foo-00001', spec: { mode: 'Serve', numActivators: 0 } },
      {
        verb: 'updateStatus',
        kind: 'PodAutoscaler',
        name: 'foo-00001',
        status: {
          desiredScale: 0,
          actualScale: 0,
          conditions: [
            condition('Active', 'True'),
            condition('Ready', 'Unknown', 'NotReady', 'SKS Services are not ready yet'),
            condition('SKSReady', 'Unknown', 'NotReady', 'SKS Services are not ready yet'),
            condition('ScaleTargetInitialized', 'Unknown'),
          ],
        },
      },
    ],
  },
  {
    name: 'the HPA has scaled: the PA mirrors its desired and current replicas and is Ready',
    objects: [
      revision('foo-00001'),
      (a) => deploymentOf(rev(a)),
      (a) => podAutoscalerOf(rev(a), dep(a), hpaClass),
      (a) => hpaWithStatus(paOf(a), 2, 3),
      (a) => sksReady(makeServerlessService(paOf(a))),
    ],
    key: 'default/foo-00001',
    want: [
      // The stored HPA was defaulted (minReplicas 1, CPU 80%): MakeHPA's shape differs, the update changes nothing.
      {
        verb: 'updateStatus',
        kind: 'PodAutoscaler',
        name: 'foo-00001',
        status: {
          serviceName: 'foo-00001',
          metricsServiceName: 'foo-00001-private',
          desiredScale: 3,
          actualScale: 2,
          conditions: [condition('Active', 'True'), condition('Ready', 'True'), condition('SKSReady', 'True'), condition('ScaleTargetInitialized', 'True')],
        },
      },
    ],
  },
  {
    name: 'min-scale 3 with 2 replicas: not initialized yet',
    objects: [
      revision('foo-00001'),
      (a) => deploymentOf(rev(a)),
      (a) => podAutoscalerOf(rev(a), dep(a), hpaClass, withAnnotation(A + 'min-scale', '3')),
      (a) => hpaWithStatus(paOf(a), 2, 3),
      (a) => sksReady(makeServerlessService(paOf(a))),
    ],
    key: 'default/foo-00001',
    want: [
      {
        verb: 'updateStatus',
        kind: 'PodAutoscaler',
        name: 'foo-00001',
        status: {
          desiredScale: 3,
          actualScale: 2,
          conditions: [
            condition('Active', 'True'),
            condition('Ready', 'Unknown'),
            condition('SKSReady', 'True'),
            condition('ScaleTargetInitialized', 'Unknown'),
          ],
        },
      },
    ],
  },
  {
    name: 'max-scale changed: the HPA is updated',
    objects: [
      revision('foo-00001'),
      (a) => deploymentOf(rev(a)),
      (a) => podAutoscalerOf(rev(a), dep(a), hpaClass, withAnnotation(A + 'max-scale', '10')),
      (a) => ({ ...hpaWithStatus(paOf(a), 1, 1), spec: { ...hpaWithStatus(paOf(a), 1, 1).spec, maxReplicas: 5 } }),
      (a) => sksReady(makeServerlessService(paOf(a))),
    ],
    key: 'default/foo-00001',
    want: [
      { verb: 'update', kind: 'HorizontalPodAutoscaler', name: 'foo-00001', spec: { maxReplicas: 10 } },
      { verb: 'updateStatus', kind: 'PodAutoscaler', name: 'foo-00001', status: { desiredScale: 1, actualScale: 1 } },
    ],
  },
  {
    name: 'an HPA of the same name not owned by the PA: NotOwned, nothing else written',
    objects: [
      revision('foo-00001'),
      (a) => deploymentOf(rev(a)),
      (a) => podAutoscalerOf(rev(a), dep(a), hpaClass),
      (a) => {
        const h = hpaWithStatus(paOf(a), 1, 1);
        h.metadata.ownerReferences = [];
        return h;
      },
    ],
    key: 'default/foo-00001',
    want: [
      {
        verb: 'updateStatus',
        kind: 'PodAutoscaler',
        name: 'foo-00001',
        status: {
          conditions: [
            condition('Active', 'False', 'NotOwned', 'There is an existing HorizontalPodAutoscaler "foo-00001" that we do not own.'),
            condition('Ready', 'False', 'NotOwned', 'There is an existing HorizontalPodAutoscaler "foo-00001" that we do not own.'),
            condition('SKSReady', 'Unknown'),
            condition('ScaleTargetInitialized', 'Unknown'),
          ],
        },
      },
    ],
  },
];

function reconcile(world: TableWorld, key: string): void {
  const { engine, api } = world;
  const r = new HpaClassReconciler({ engine, api, configs: new ConfigStore(engine, api, 'autoscaler') });
  reconcileKind(
    engine,
    api,
    {
      type: 'PodAutoscaler.autoscaling.internal.knative.dev',
      conditions: PA_CONDITIONS,
      reconcile: (pa, status, now) => r.reconcile(pa as PodAutoscaler, status, now),
    },
    key,
  );
}

function setup(world: TableWorld): void {
  withAdmission(world);
  startHorizontalPodAutoscaling(world.engine, world.api);
}

describe('HPA-class PodAutoscaler reconciler (table)', () => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => runRow(row, reconcile, setup));
});
