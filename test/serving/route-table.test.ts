// Single reconciles of the Route reconciler as table rows (knative/serving
// pkg/reconciler/route/table_test.go): traffic resolved to revisions, the Ingress created or
// converged, the status written, and the labeler marking the revisions it routes to.
import { describe, it } from 'vitest';
import type { Ingress, Revision, Route } from '../../src/apis/serving-types.js';
import { ConfigStore } from '../../src/k8s/config-store.js';
import { reconcileRoute } from '../../src/serving/route/reconciler.js';
import { runRow, withAdmission, type Added, type TableRow, type TableWorld } from '../testing/table.js';
import { DEFAULT_NETWORK_CONFIG } from '../../src/apis/config/network.js';
import { TYPE } from '../../src/apis/core.js';
import { makeIngress } from '../../src/serving/route/resources/ingress.js';
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
    objects: [CONFIG(), REV2(), route('foo', [{ configurationName: 'foo', latestRevision: true, percent: 100 }]), (a) => ingressFor(a)],
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
    objects: [CONFIG(), REV1(), REV2(), route('foo', [{ revisionName: 'foo-00001', percent: 100 }]), (a) => ingressFor(a, 'foo-00001')],
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
];

/** The Ingress the route controller made earlier for `revision` at 100%, Ready for its generation. */
function ingressFor(a: Added, revision = 'foo-00002'): Ingress {
  const r = a.get<Route>('Route', 'foo');
  const ingress = makeIngress(r, [{ revisionName: revision, latestRevision: true, percent: 100 }], DOMAINS, NETWORK);
  return { ...ingress, status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 0 }] } };
}

function reconcile(world: TableWorld, key: string): void {
  reconcileRoute({ engine: world.engine, api: world.api, configs: new ConfigStore(world.engine, world.api, 'serving-controller') }, key);
}

describe('Route reconciler (table)', () => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => runRow(row, reconcile, withAdmission));
});
