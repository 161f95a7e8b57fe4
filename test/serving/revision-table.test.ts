// Single reconciles of the Revision reconciler as table rows (knative/serving
// pkg/reconciler/revision/table_test.go): the objects before, the exact writes after.
import { describe, expect, it } from 'vitest';
import type { ContainerStatus, Deployment, Pod } from '../../src/apis/core.js';
import type { Revision } from '../../src/apis/serving-types.js';
import { ConfigStore } from '../../src/k8s/config-store.js';
import { reconcileRevision } from '../../src/serving/revision/reconciler.js';
import { runRow, withAdmission, type Added, type TableRow, type TableWorld } from '../testing/table.js';
import {
  condition,
  deploymentOf,
  paInactive,
  paReady,
  podAutoscalerOf,
  revision,
  withContainerConcurrency,
  withDeploymentReady,
  withImage,
  withoutOwner,
  withProgressDeadlineExceeded,
} from '../testing/serving.js';

const rev = (added: Added): Revision => added.get<Revision>('Revision', 'foo-00001');

/** A pod of the Deployment whose user container ended as given (queue-proxy runs). */
function crashingPod(d: Deployment, user: Partial<ContainerStatus>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${d.metadata.name}-abc-xyz12`, namespace: 'default', labels: { ...(d.spec.template.metadata?.labels ?? {}) } },
    spec: { containers: d.spec.template.spec.containers },
    status: {
      phase: 'Running',
      containerStatuses: [
        { name: 'user-container', image: 'busybox', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, ...user },
        { name: 'queue-proxy', image: 'queue', ready: true, restartCount: 0, state: { running: { startedAt: 0 } } },
      ],
    },
  };
}
/** Deployment status: one replica wanted, none ready or available, still progressing. */
const withNoneAvailable = (d: Deployment): void => {
  d.status = { replicas: 1, readyReplicas: 0, availableReplicas: 0, conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }] };
};
const crashRow = (name: string, terminated: NonNullable<ContainerStatus['lastState']>['terminated'], reason: string, message: string): TableRow => ({
  name,
  objects: [
    revision('foo-00001'),
    (a) => deploymentOf(rev(a), withNoneAvailable),
    (a) => podAutoscalerOf(rev(a), dep(a)),
    (a) => crashingPod(dep(a), { lastState: { terminated } }),
  ],
  key: 'default/foo-00001',
  want: [
    { verb: 'update', kind: 'PodAutoscaler', name: 'foo-00001', spec: { reachability: 'Unreachable' } },
    { verb: 'create', kind: 'ServerlessService', name: 'foo-00001' },
    {
      verb: 'updateStatus',
      kind: 'Revision',
      name: 'foo-00001',
      status: {
        conditions: [
          condition('Active', 'Unknown', 'Deploying', undefined, 'Info'),
          condition('ContainerHealthy', 'False', reason, message),
          condition('Ready', 'False', reason, message),
          // The Deployment is still progressing: its resources count as available.
          condition('ResourcesAvailable', 'True'),
        ],
      },
    },
  ],
});
const dep = (added: Added): Deployment => added.get<Deployment>('Deployment', 'foo-00001-deployment');
const deploying = 'Deploying';

const ROWS: TableRow[] = [
  {
    name: 'a revision that is gone needs nothing',
    objects: [],
    key: 'default/foo-00001',
    want: [],
  },
  {
    name: 'first reconcile: creates the Deployment and reports Deploying',
    objects: [revision('foo-00001', withContainerConcurrency(1))],
    key: 'default/foo-00001',
    want: [
      {
        verb: 'create',
        kind: 'Deployment',
        name: 'foo-00001-deployment',
        spec: { replicas: 1, template: { spec: { containers: [{ name: 'user-container', image: 'busybox' }, { name: 'queue-proxy' }] } } },
      },
      {
        verb: 'updateStatus',
        kind: 'Revision',
        name: 'foo-00001',
        status: {
          observedGeneration: 1,
          containerStatuses: [{ name: 'user-container', imageDigest: 'busybox' }],
          conditions: [
            condition('ContainerHealthy', 'Unknown', deploying),
            condition('Ready', 'Unknown', deploying),
            condition('ResourcesAvailable', 'Unknown', deploying),
          ],
        },
      },
    ],
    wantTrace: [
      { component: 'revision-controller', object: 'foo-00001', message: 'Created Deployment "foo-00001-deployment"' },
      { component: 'revision-controller', object: 'foo-00001', message: 'Ready=Unknown (Deploying)' },
    ],
  },
  {
    name: 'the Deployment exists: creates the PodAutoscaler and the ServerlessService',
    objects: [revision('foo-00001'), (a) => deploymentOf(rev(a))],
    key: 'default/foo-00001',
    want: [
      {
        verb: 'create',
        kind: 'PodAutoscaler',
        name: 'foo-00001',
        spec: { containerConcurrency: 0, reachability: 'Reachable', scaleTargetRef: { kind: 'Deployment', name: 'foo-00001-deployment' } },
      },
      { verb: 'create', kind: 'ServerlessService', name: 'foo-00001', spec: { mode: 'Proxy', numActivators: 2 } },
      // ContainerHealthy stays as initialized: nothing is known of the containers yet.
      {
        verb: 'updateStatus',
        kind: 'Revision',
        name: 'foo-00001',
        status: {
          conditions: [
            condition('Active', 'Unknown', deploying, undefined, 'Info'),
            condition('ContainerHealthy', 'Unknown'),
            condition('Ready', 'Unknown', deploying),
            condition('ResourcesAvailable', 'Unknown', deploying),
          ],
        },
      },
    ],
  },
  {
    name: 'a Deployment another object controls: ResourcesAvailable False NotOwned, nothing else touched',
    objects: [revision('foo-00001'), (a) => deploymentOf(rev(a), withoutOwner)],
    key: 'default/foo-00001',
    want: [
      {
        verb: 'updateStatus',
        kind: 'Revision',
        name: 'foo-00001',
        status: {
          conditions: [
            condition('ContainerHealthy', 'Unknown'),
            condition('Ready', 'False', 'NotOwned', 'There is an existing Deployment "foo-00001-deployment" that we do not own.'),
            condition('ResourcesAvailable', 'False', 'NotOwned', 'There is an existing Deployment "foo-00001-deployment" that we do not own.'),
          ],
        },
      },
    ],
  },
  {
    name: 'a drifted Deployment is converged back to the revision, keeping the replicas the autoscaler set',
    objects: [
      revision('foo-00001'),
      (a) => deploymentOf(rev(a), withImage('evil'), withDeploymentReady(3)),
      (a) => podAutoscalerOf(rev(a), dep(a), paReady(3)),
    ],
    key: 'default/foo-00001',
    want: [
      {
        verb: 'update',
        kind: 'Deployment',
        name: 'foo-00001-deployment',
        spec: { replicas: 3, template: { spec: { containers: [{ image: 'busybox' }, { name: 'queue-proxy' }] } } },
      },
      { verb: 'create', kind: 'ServerlessService', name: 'foo-00001' },
      {
        verb: 'updateStatus',
        kind: 'Revision',
        name: 'foo-00001',
        status: {
          actualReplicas: 3,
          desiredReplicas: 3,
          conditions: [
            condition('Active', 'True', undefined, undefined, 'Info'),
            condition('ContainerHealthy', 'True'),
            condition('Ready', 'True'),
            condition('ResourcesAvailable', 'True'),
          ],
        },
      },
    ],
  },
  {
    name: 'the progress deadline passed without a ready pod: ResourcesAvailable False ProgressDeadlineExceeded',
    objects: [revision('foo-00001'), (a) => deploymentOf(rev(a), withProgressDeadlineExceeded), (a) => podAutoscalerOf(rev(a), dep(a))],
    key: 'default/foo-00001',
    want: [
      // A failed revision with pods wanted and none ready is unreachable: the PA may scale it to zero.
      { verb: 'update', kind: 'PodAutoscaler', name: 'foo-00001', spec: { reachability: 'Unreachable' } },
      { verb: 'create', kind: 'ServerlessService', name: 'foo-00001' },
      {
        verb: 'updateStatus',
        kind: 'Revision',
        name: 'foo-00001',
        status: {
          conditions: [
            condition('Active', 'Unknown', deploying, undefined, 'Info'),
            condition('ContainerHealthy', 'Unknown'),
            condition('Ready', 'False', 'ProgressDeadlineExceeded', 'ReplicaSet "foo-00001-deployment-abc" has timed out progressing.'),
            condition('ResourcesAvailable', 'False', 'ProgressDeadlineExceeded'),
          ],
        },
      },
    ],
  },
  crashRow(
    'a crashing user container (no pod available, the first pod restarted): ContainerHealthy False ExitCode<n> with its termination message',
    { exitCode: 2, reason: 'Error', message: 'panic: boom', startedAt: 0, finishedAt: 1 },
    'ExitCode2',
    'Container failed with: panic: boom',
  ),
  crashRow(
    'a container that exited 0 without a message is still a failure, worded as Knative words it',
    { exitCode: 0, reason: 'Completed' },
    'ExitCode0',
    'Container failed with: container exited with no error',
  ),
  {
    name: 'scaled to zero: Active False NoTraffic, the revision stays Ready',
    objects: [revision('foo-00001'), (a) => deploymentOf(rev(a), withDeploymentReady(0)), (a) => podAutoscalerOf(rev(a), dep(a), paInactive)],
    key: 'default/foo-00001',
    want: [
      { verb: 'create', kind: 'ServerlessService', name: 'foo-00001' },
      {
        verb: 'updateStatus',
        kind: 'Revision',
        name: 'foo-00001',
        status: {
          actualReplicas: 0,
          desiredReplicas: 0,
          conditions: [
            condition('Active', 'False', 'NoTraffic', 'The target is not receiving traffic.', 'Info'),
            condition('ContainerHealthy', 'True'),
            condition('Ready', 'True'),
            condition('ResourcesAvailable', 'True'),
          ],
        },
      },
    ],
  },
];

function reconcile(world: TableWorld, key: string): void {
  reconcileRevision({ engine: world.engine, api: world.api, configs: new ConfigStore(world.engine, world.api, 'serving-controller') }, key);
}

describe('Revision reconciler (table)', () => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => runRow(row, reconcile, withAdmission));

  it('an image its registry does not have: ContainerHealthy False ContainerMissing, and no Deployment', () => {
    const registry = { has: (image: string) => image !== 'busybox:nope' };
    runRow(
      {
        name: 'container missing',
        objects: [revision('foo-00001', (r) => void ((r.spec.containers[0] as { image?: string }).image = 'busybox:nope'))],
        key: 'default/foo-00001',
        want: [
          {
            verb: 'updateStatus',
            kind: 'Revision',
            name: 'foo-00001',
            status: {
              conditions: [
                condition(
                  'ContainerHealthy',
                  'False',
                  'ContainerMissing',
                  expect.stringContaining(
                    'Unable to fetch image "busybox:nope": failed to resolve image to digest: GET https://index.docker.io/v2/library/busybox/manifests/nope',
                  ) as string,
                ),
                condition('Ready', 'False', 'ContainerMissing'),
                condition('ResourcesAvailable', 'Unknown'),
              ],
            },
          },
        ],
      },
      (world, key) =>
        reconcileRevision({ engine: world.engine, api: world.api, configs: new ConfigStore(world.engine, world.api, 'serving-controller'), registry }, key),
      withAdmission,
    );
  });

  it('does not resolve images of registries that skip tag resolution (dev.local…) or given by digest: their Deployment is made', () => {
    const registry = { has: () => false };
    for (const image of ['dev.local/app:v1', 'registry.example.com/app@sha256:0123']) {
      runRow(
        {
          name: image,
          objects: [revision('foo-00001', (r) => void ((r.spec.containers[0] as { image?: string }).image = image))],
          key: 'default/foo-00001',
          want: [
            { verb: 'create', kind: 'Deployment', name: 'foo-00001-deployment' },
            { verb: 'updateStatus', kind: 'Revision', name: 'foo-00001', status: { containerStatuses: [{ name: 'user-container', imageDigest: image }] } },
          ],
        },
        (world, key) =>
          reconcileRevision({ engine: world.engine, api: world.api, configs: new ConfigStore(world.engine, world.api, 'serving-controller'), registry }, key),
        withAdmission,
      );
    }
  });
});
