// Single reconciles of the Route reconciler as table rows (knative/serving
// pkg/reconciler/route/table_test.go): traffic resolved to revisions, the Ingress created or
// converged, the status written, and the labeler marking the revisions it routes to.
import { describe, it } from 'vitest';
import type { Ingress, Revision, Route } from '../../src/apis/serving-types.js';
import { ConfigStore } from '../../src/k8s/config-store.js';
import { reconcileRoute } from '../../src/serving/route/reconciler.js';
import { runRow, withAdmission, type Added, type TableRow, type TableWorld } from '../testing/table.js';
import { DEFAULT_NETWORK_CONFIG } from '../../src/apis/config/network.js';
import { TYPE, type K8sService } from '../../src/apis/core.js';
import { makePlaceholderService } from '../../src/serving/route/resources/placeholder.js';
import { makeIngress } from '../../src/serving/route/resources/ingress.js';
import { buildRollout, noParams, type RolloutParams } from '../../src/serving/route/resources/rollout.js';
import { SIMULATION_EPOCH_MS } from '../../src/engine/units.js';
import { condition, configuration, revision, route, withLatestRevisions, type Option } from '../testing/serving.js';

const readyRevision: Option<Revision> = (r) =>
  void (r.status = { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 0 }] });
const withLabel =
  (key: string, value: string): Option<Revision> =>
  (r) =>
    void ((r.metadata.labels ??= {})[key] = value);
const DOMAINS = { entries: [{ domain: 'example.com', selector: {} }] };
const NETWORK = { ...DEFAULT_NETWORK_CONFIG };

const CONFIG = () => configuration('foo', withLatestRevisions('foo-00002', 'foo-00002'));
const REV1 = () => revision('foo-00001', readyRevision, withLabel('serving.knative.dev/routingState', 'pending'));
const REV2 = () => revision('foo-00002', readyRevision, withLabel('serving.knative.dev/routingState', 'pending'));

const LATEST = { configurationName: 'foo', latestRevision: true, percent: 100 };
const withRolloutDuration =
  (value: string): Option<Route> =>
  (r) =>
    void ((r.metadata.annotations ??= {})['serving.knative.dev/rollout-duration'] = value);
/** The Route as it was before this reconcile: Ready at generation 1. */
const steadyRoute: Option<Route> = (r) =>
  void (r.status = {
    observedGeneration: 1,
    conditions: [
      condition('AllTrafficAssigned', 'True'),
      condition('CertificateProvisioned', 'True'),
      condition('IngressReady', 'True'),
      condition('Ready', 'True'),
    ],
  });
/** The Route in a rollout: IngressReady Unknown RolloutInProgress. */
const rollingRoute: Option<Route> = (r) =>
  void (r.status = {
    observedGeneration: 1,
    conditions: [
      condition('AllTrafficAssigned', 'True'),
      condition('CertificateProvisioned', 'True'),
      condition('IngressReady', 'Unknown', 'RolloutInProgress'),
      condition('Ready', 'Unknown', 'RolloutInProgress'),
    ],
  });
/** Virtual ms as the annotation's Unix nanoseconds. */
const unixNs = (ms: number): string => String(BigInt(SIMULATION_EPOCH_MS) * 1_000_000n + BigInt(Math.trunc(ms * 1e6)));

const ROWS: TableRow[] = [
  {
    name: 'a route that is gone needs nothing',
    objects: [],
    key: 'default/foo',
    want: [],
  },
  {
    name: 'first reconcile: 90/10 between a revision and the latest ready one: Ingress created, status written, both revisions labelled active',
    objects: [
      CONFIG(),
      REV1(),
      REV2(),
      route('foo', [
        { revisionName: 'foo-00001', percent: 90 },
        { configurationName: 'foo', latestRevision: true, percent: 10 },
      ]),
    ],
    key: 'default/foo',
    nowMs: 5000,
    want: [
      {
        verb: 'create',
        kind: 'Service',
        name: 'foo',
        metadata: { labels: { 'serving.knative.dev/route': 'foo' } },
        spec: { type: 'ExternalName', externalName: 'foo.default.example.com' },
      },
      {
        verb: 'create',
        kind: 'Ingress',
        name: 'foo',
        spec: {
          rules: [
            {
              hosts: ['foo.default.example.com'],
              visibility: 'ExternalIP',
              splits: [
                { revisionName: 'foo-00001', percent: 90 },
                { revisionName: 'foo-00002', percent: 10 },
              ],
            },
            {
              hosts: ['foo.default', 'foo.default.svc', 'foo.default.svc.cluster.local'],
              visibility: 'ClusterLocal',
              splits: [
                { revisionName: 'foo-00001', percent: 90 },
                { revisionName: 'foo-00002', percent: 10 },
              ],
            },
          ],
        },
      },
      {
        verb: 'updateStatus',
        kind: 'Route',
        name: 'foo',
        status: {
          url: 'http://foo.default.example.com',
          address: { url: 'http://foo.default.svc.cluster.local' },
          traffic: [
            { revisionName: 'foo-00001', latestRevision: false, percent: 90 },
            { revisionName: 'foo-00002', latestRevision: true, percent: 10 },
          ],
          conditions: [
            condition('AllTrafficAssigned', 'True'),
            condition('CertificateProvisioned', 'True', 'TLSNotEnabled', 'external-domain-tls is not enabled'),
            condition('IngressReady', 'Unknown', 'IngressNotConfigured', 'Ingress has not yet been reconciled.'),
            condition('Ready', 'Unknown', 'IngressNotConfigured', 'Ingress has not yet been reconciled.'),
          ],
        },
      },
      {
        verb: 'update',
        kind: 'Revision',
        name: 'foo-00001',
        metadata: {
          labels: { 'serving.knative.dev/routingState': 'active' },
          annotations: { 'serving.knative.dev/routes': 'foo', 'serving.knative.dev/routingStateModified': '2026-01-01T00:00:05Z' },
        },
      },
      {
        verb: 'update',
        kind: 'Revision',
        name: 'foo-00002',
        metadata: { labels: { 'serving.knative.dev/routingState': 'active' }, annotations: { 'serving.knative.dev/routes': 'foo' } },
      },
    ],
  },
  {
    name: 'a target that does not exist: AllTrafficAssigned False, no Ingress',
    objects: [route('foo', [{ revisionName: 'foo-00009', percent: 100 }])],
    key: 'default/foo',
    want: [
      {
        verb: 'updateStatus',
        kind: 'Route',
        name: 'foo',
        status: {
          conditions: [
            condition('AllTrafficAssigned', 'False', 'RevisionMissing', 'Revision "foo-00009" referenced in traffic not found.'),
            condition('CertificateProvisioned', 'True', 'TLSNotEnabled'),
            condition('IngressReady', 'Unknown'),
            condition('Ready', 'False', 'RevisionMissing'),
          ],
        },
      },
    ],
  },
  {
    name: 'the Ingress is programmed for this generation: Ready True',
    objects: [
      CONFIG(),
      REV2(),
      route('foo', [{ configurationName: 'foo', latestRevision: true, percent: 100 }]),
      (a) => placeholderFor(a),
      (a) => ingressFor(a),
    ],
    key: 'default/foo',
    want: [
      {
        verb: 'updateStatus',
        kind: 'Route',
        name: 'foo',
        status: {
          conditions: [
            condition('AllTrafficAssigned', 'True'),
            condition('CertificateProvisioned', 'True', 'TLSNotEnabled'),
            condition('IngressReady', 'True'),
            condition('Ready', 'True'),
          ],
        },
      },
      { verb: 'update', kind: 'Revision', name: 'foo-00002', metadata: { labels: { 'serving.knative.dev/routingState': 'active' } } },
    ],
  },
  {
    name: 'traffic moved on: the Ingress is converged to the new split',
    objects: [
      CONFIG(),
      REV1(),
      REV2(),
      route('foo', [{ revisionName: 'foo-00001', percent: 100 }]),
      (a) => placeholderFor(a),
      (a) => ingressFor(a, 'foo-00001'),
    ],
    // The user moved all traffic to foo-00002 since the Ingress was written.
    edit: (api) => {
      const r = api.get<Route>(TYPE.route, 'default', 'foo') as Route;
      api.update({ ...r, spec: { traffic: [{ revisionName: 'foo-00002', percent: 100 }] } });
    },
    key: 'default/foo',
    want: [
      {
        verb: 'update',
        kind: 'Ingress',
        name: 'foo',
        spec: { rules: [{ splits: [{ revisionName: 'foo-00002', percent: 100 }] }, { splits: [{ revisionName: 'foo-00002', percent: 100 }] }] },
      },
      { verb: 'updateStatus', kind: 'Route', name: 'foo', status: { traffic: [{ revisionName: 'foo-00002', latestRevision: false, percent: 100 }] } },
      { verb: 'update', kind: 'Revision', name: 'foo-00002', metadata: { labels: { 'serving.knative.dev/routingState': 'active' } } },
    ],
  },
  {
    name: 'rollout-duration 600s and a new latest revision: the Ingress moves 1% to it and records when the rollout began',
    objects: [
      CONFIG(),
      REV1(),
      REV2(),
      route('foo', [LATEST], withRolloutDuration('600s'), steadyRoute),
      (a) => placeholderFor(a),
      (a) => ingressFor(a, 'foo-00001'),
    ],
    key: 'default/foo',
    nowMs: 60_000,
    want: [
      {
        verb: 'update',
        kind: 'Ingress',
        name: 'foo',
        metadata: {
          annotations: {
            'networking.internal.knative.dev/rollout': `{"configurations":[{"configurationName":"foo","percent":100,"revisions":[{"revisionName":"foo-00001","percent":99},{"revisionName":"foo-00002","percent":1}],"stepParams":{"starttime":${unixNs(60_000)}}}]}`,
          },
        },
        spec: {
          rules: [
            {
              splits: [
                { revisionName: 'foo-00001', percent: 99 },
                { revisionName: 'foo-00002', percent: 1 },
              ],
            },
            {},
          ],
        },
      },
      {
        verb: 'updateStatus',
        kind: 'Route',
        name: 'foo',
        status: {
          traffic: [
            { revisionName: 'foo-00001', latestRevision: true, percent: 99 },
            { revisionName: 'foo-00002', latestRevision: true, percent: 1 },
          ],
          conditions: [
            condition('AllTrafficAssigned', 'True'),
            condition('CertificateProvisioned', 'True', 'TLSNotEnabled'),
            condition('IngressReady', 'Unknown', 'RolloutInProgress', 'A gradual rollout of the latest revision(s) is in progress.'),
            condition('Ready', 'Unknown', 'RolloutInProgress'),
          ],
        },
      },
      { verb: 'update', kind: 'Revision', name: 'foo-00001', metadata: { labels: { 'serving.knative.dev/routingState': 'active' } } },
      { verb: 'update', kind: 'Revision', name: 'foo-00002', metadata: { labels: { 'serving.knative.dev/routingState': 'active' } } },
    ],
    wantTrace: [
      { component: 'route-controller', object: 'foo', data: { shares: 'foo-00001=99,foo-00002=1' } },
      { component: 'route-controller', object: 'foo' },
      { component: 'labeler', object: 'foo-00001' },
      { component: 'labeler', object: 'foo-00002' },
    ],
  },
  {
    name: 'the 1% step is programmed 2 s later: steps of 1% every (600 − 2)/99 s, the next one requeued',
    objects: [
      CONFIG(),
      REV1(),
      REV2(),
      route('foo', [LATEST], withRolloutDuration('600s'), rollingRoute),
      (a) => placeholderFor(a),
      (a) =>
        ingressWithRollout(
          a,
          [
            ['foo-00001', 99],
            ['foo-00002', 1],
          ],
          { startTime: 60e9 },
        ),
    ],
    key: 'default/foo',
    nowMs: 62_000,
    want: [
      {
        verb: 'update',
        kind: 'Ingress',
        name: 'foo',
        metadata: {
          annotations: {
            'networking.internal.knative.dev/rollout': `{"configurations":[{"configurationName":"foo","percent":100,"revisions":[{"revisionName":"foo-00001","percent":99},{"revisionName":"foo-00002","percent":1}],"stepParams":{"starttime":${unixNs(60_000)},"nextStepTime":${unixNs(62_000 + 598_000 / 99)},"stepDuration":6040404040,"stepSize":1}}]}`,
          },
        },
      },
      // The Ingress changed again, but a rollout in flight reports RolloutInProgress.
      { verb: 'updateStatus', kind: 'Route', name: 'foo', status: { conditions: [{}, {}, condition('IngressReady', 'Unknown', 'RolloutInProgress'), {}] } },
      { verb: 'update', kind: 'Revision', name: 'foo-00001' },
      { verb: 'update', kind: 'Revision', name: 'foo-00002' },
    ],
    wantTrace: [
      { component: 'route-controller', object: 'foo', data: { stepSize: 1, stepMs: 6040.40404 } },
      { component: 'route-controller', object: 'foo' },
      { component: 'labeler', object: 'foo-00001' },
      { component: 'labeler', object: 'foo-00002' },
    ],
  },
  {
    name: 'a rollout step is due: 1% more moves to the new revision',
    objects: [
      CONFIG(),
      REV1(),
      REV2(),
      route('foo', [LATEST], withRolloutDuration('600s'), rollingRoute),
      (a) => placeholderFor(a),
      (a) =>
        ingressWithRollout(
          a,
          [
            ['foo-00001', 99],
            ['foo-00002', 1],
          ],
          { startTime: 60e9, nextStepTime: 68e9, stepDuration: 6e9, stepSize: 1 },
        ),
    ],
    key: 'default/foo',
    nowMs: 68_000,
    want: [
      {
        verb: 'update',
        kind: 'Ingress',
        name: 'foo',
        spec: {
          rules: [
            {
              splits: [
                { revisionName: 'foo-00001', percent: 98 },
                { revisionName: 'foo-00002', percent: 2 },
              ],
            },
            {},
          ],
        },
      },
      {
        verb: 'updateStatus',
        kind: 'Route',
        name: 'foo',
        status: {
          traffic: [
            { revisionName: 'foo-00001', latestRevision: true, percent: 98 },
            { revisionName: 'foo-00002', latestRevision: true, percent: 2 },
          ],
        },
      },
      { verb: 'update', kind: 'Revision', name: 'foo-00001' },
      { verb: 'update', kind: 'Revision', name: 'foo-00002' },
    ],
  },
  {
    name: 'a tag whose placeholder Service is labelled cluster-local has no public host and a cluster-local URL',
    objects: [
      CONFIG(),
      REV1(),
      REV2(),
      route('foo', [
        { revisionName: 'foo-00001', percent: 100 },
        { revisionName: 'foo-00002', percent: 0, tag: 'exp' },
      ]),
      (a) => placeholderFor(a),
      (a) => {
        const svc = placeholderFor(a, 'exp-foo');
        return { ...svc, metadata: { ...svc.metadata, labels: { ...svc.metadata.labels, 'networking.knative.dev/visibility': 'cluster-local' } } };
      },
    ],
    key: 'default/foo',
    want: [
      {
        verb: 'create',
        kind: 'Ingress',
        name: 'foo',
        spec: {
          rules: [
            { hosts: ['foo.default.example.com'], visibility: 'ExternalIP' },
            { hosts: ['foo.default', 'foo.default.svc', 'foo.default.svc.cluster.local'], visibility: 'ClusterLocal' },
            {
              hosts: ['exp-foo.default', 'exp-foo.default.svc', 'exp-foo.default.svc.cluster.local'],
              visibility: 'ClusterLocal',
              splits: [{ revisionName: 'foo-00002', percent: 100 }],
            },
          ],
        },
      },
      {
        verb: 'updateStatus',
        kind: 'Route',
        name: 'foo',
        status: {
          url: 'http://foo.default.example.com',
          traffic: [
            { revisionName: 'foo-00001', latestRevision: false, percent: 100 },
            { tag: 'exp', revisionName: 'foo-00002', latestRevision: false, percent: 0, url: 'http://exp-foo.default.svc.cluster.local' },
          ],
        },
      },
      { verb: 'update', kind: 'Revision', name: 'foo-00001' },
      { verb: 'update', kind: 'Revision', name: 'foo-00002' },
    ],
  },
  {
    name: 'a placeholder name taken by a Service the Route does not own: IngressReady False NotOwned',
    objects: [
      CONFIG(),
      REV2(),
      route('foo', [LATEST]),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'foo', namespace: 'default' }, spec: { type: 'ClusterIP' } },
    ],
    key: 'default/foo',
    want: [
      {
        verb: 'updateStatus',
        kind: 'Route',
        name: 'foo',
        status: {
          conditions: [
            condition('AllTrafficAssigned', 'True'),
            condition('CertificateProvisioned', 'True', 'TLSNotEnabled'),
            condition('IngressReady', 'False', 'NotOwned', 'There is an existing placeholder Service "foo" that we do not own.'),
            condition('Ready', 'False', 'NotOwned'),
          ],
        },
      },
      { verb: 'update', kind: 'Revision', name: 'foo-00002' },
    ],
  },
];

/** The Ingress of a rollout in flight, Ready for its generation. */
function ingressWithRollout(a: Added, revisions: [string, number][], params: Partial<RolloutParams>): Ingress {
  const r = a.get<Route>('Route', 'foo');
  const groups = new Map([['', [{ revisionName: 'foo-00002', configurationName: 'foo', latestRevision: true, percent: 100 }]]]);
  const rollout = {
    configurations: [
      {
        configurationName: 'foo',
        tag: '',
        percent: 100,
        revisions: revisions.map(([revisionName, percent]) => ({ revisionName, percent })),
        stepParams: { ...noParams(), ...params },
      },
    ],
  };
  const ingress = makeIngress(r, groups, rollout, new Map(), DOMAINS, NETWORK);
  return { ...ingress, status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 0 }] } };
}

/** The placeholder Service the route controller made earlier for `hostname`. */
function placeholderFor(a: Added, hostname = 'foo'): K8sService {
  return makePlaceholderService(a.get<Route>('Route', 'foo'), hostname, `${hostname}.default.example.com`);
}

/** The Ingress the route controller made earlier for `revision` at 100%, Ready for its generation. */
function ingressFor(a: Added, revision = 'foo-00002'): Ingress {
  const r = a.get<Route>('Route', 'foo');
  const groups = new Map([['', [{ revisionName: revision, configurationName: 'foo', latestRevision: true, percent: 100 }]]]);
  const ingress = makeIngress(r, groups, buildRollout(groups), new Map(), DOMAINS, NETWORK);
  return { ...ingress, status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 0 }] } };
}

function reconcile(world: TableWorld, key: string): void {
  reconcileRoute({ engine: world.engine, api: world.api, configs: new ConfigStore(world.engine, world.api, 'serving-controller') }, key);
}

describe('Route reconciler (table)', () => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => runRow(row, reconcile, withAdmission));
});
