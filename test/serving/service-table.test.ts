// Single reconciles of the Service reconciler as table rows (knative/serving
// pkg/reconciler/service/table_test.go): children created or converged, NotOwned, and the
// children's status summarised in the Service's.
import { describe, it } from 'vitest';
import { TYPE } from '../../src/apis/core.js';
import type { Configuration, KnService, Route } from '../../src/apis/serving-types.js';
import { ConfigStore } from '../../src/k8s/config-store.js';
import { reconcileService } from '../../src/serving/service/reconciler.js';
import { makeConfiguration, makeRoute } from '../../src/serving/service/resources/children.js';
import { runRow, withAdmission, type Added, type TableRow, type TableWorld } from '../testing/table.js';
import { condition, service, withoutOwner, type Option } from '../testing/serving.js';

const svc = (a: Added): KnService => a.get<KnService>('Service', 'foo');
const ready =
  (status: object): Option<Configuration | Route> =>
  (o) =>
    void (o.status = { observedGeneration: 1, ...status, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 0 }] });

const ROWS: TableRow[] = [
  {
    name: 'first reconcile: creates the Configuration and the Route; both out of date',
    objects: [service('foo')],
    key: 'default/foo',
    want: [
      {
        verb: 'create',
        kind: 'Configuration',
        name: 'foo',
        metadata: { labels: { 'serving.knative.dev/service': 'foo' }, annotations: { 'serving.knative.dev/routes': 'foo' } },
        spec: { template: { spec: { containers: [{ image: 'busybox' }] } } },
      },
      { verb: 'create', kind: 'Route', name: 'foo', spec: { traffic: [{ configurationName: 'foo', latestRevision: true, percent: 100 }] } },
      {
        verb: 'updateStatus',
        kind: 'Service',
        name: 'foo',
        status: {
          observedGeneration: 1,
          conditions: [
            condition('ConfigurationsReady', 'Unknown', 'OutOfDate', 'The Configuration is still working to reflect the latest desired specification.'),
            condition('Ready', 'Unknown', 'OutOfDate', 'The Route is still working to reflect the latest desired specification.'),
            condition('RoutesReady', 'Unknown', 'OutOfDate', 'The Route is still working to reflect the latest desired specification.'),
          ],
        },
      },
    ],
    wantTrace: [
      { component: 'service-controller', object: 'foo', message: 'Created Configuration "foo"' },
      { component: 'service-controller', object: 'foo', message: 'Created Route "foo"' },
      { component: 'service-controller', object: 'foo', message: 'Ready=Unknown (OutOfDate)' },
    ],
  },
  {
    name: 'a Configuration of the same name that the Service does not own: ConfigurationsReady False NotOwned',
    objects: [service('foo'), (a) => withOwnerRemoved(makeConfiguration(svc(a)))],
    key: 'default/foo',
    want: [
      {
        verb: 'updateStatus',
        kind: 'Service',
        name: 'foo',
        status: {
          conditions: [
            condition('ConfigurationsReady', 'False', 'NotOwned', 'There is an existing Configuration "foo" that we do not own.'),
            condition('Ready', 'False', 'NotOwned'),
            condition('RoutesReady', 'Unknown'),
          ],
        },
      },
    ],
  },
  {
    name: 'both children ready: the Service is Ready with their URL, revisions and traffic',
    objects: [
      service('foo'),
      (a) => withStatus(makeConfiguration(svc(a)), ready({ latestCreatedRevisionName: 'foo-00001', latestReadyRevisionName: 'foo-00001' })),
      (a) =>
        withStatus(
          makeRoute(svc(a)),
          ready({ url: 'http://foo.default.example.com', traffic: [{ revisionName: 'foo-00001', latestRevision: true, percent: 100 }] }),
        ),
    ],
    key: 'default/foo',
    want: [
      {
        verb: 'updateStatus',
        kind: 'Service',
        name: 'foo',
        status: {
          url: 'http://foo.default.example.com',
          latestCreatedRevisionName: 'foo-00001',
          latestReadyRevisionName: 'foo-00001',
          traffic: [{ revisionName: 'foo-00001', latestRevision: true, percent: 100 }],
          conditions: [condition('ConfigurationsReady', 'True'), condition('Ready', 'True'), condition('RoutesReady', 'True')],
        },
      },
    ],
  },
  {
    name: 'a new template: the Configuration is converged to it (and goes out of date)',
    objects: [
      service('foo'),
      (a) => withStatus(makeConfiguration(svc(a)), ready({ latestCreatedRevisionName: 'foo-00001', latestReadyRevisionName: 'foo-00001' })),
      (a) => makeRoute(svc(a)),
    ],
    edit: (api) => {
      const s = api.get<KnService>(TYPE.knService, 'default', 'foo') as KnService;
      api.update({ ...s, spec: { ...s.spec, template: { spec: { containers: [{ image: 'busybox:2' }] } } } });
    },
    key: 'default/foo',
    want: [
      { verb: 'update', kind: 'Configuration', name: 'foo', spec: { template: { spec: { containers: [{ image: 'busybox:2' }] } } } },
      {
        verb: 'updateStatus',
        kind: 'Service',
        name: 'foo',
        status: {
          observedGeneration: 2,
          conditions: [
            condition('ConfigurationsReady', 'Unknown', 'OutOfDate'),
            condition('Ready', 'Unknown', 'OutOfDate'),
            condition('RoutesReady', 'Unknown', 'OutOfDate'),
          ],
        },
      },
    ],
  },
];

function withOwnerRemoved<T extends Configuration | Route>(o: T): T {
  withoutOwner(o);
  return o;
}

function withStatus<T extends Configuration | Route>(o: T, option: Option<Configuration | Route>): T {
  option(o);
  return o;
}

function reconcile(world: TableWorld, key: string): void {
  reconcileService({ engine: world.engine, api: world.api, configs: new ConfigStore(world.engine, world.api, 'serving-controller') }, key);
}

describe('Service reconciler (table)', () => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => runRow(row, reconcile, withAdmission));
});
