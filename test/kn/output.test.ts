/**
 * kn's output, byte for byte. Each expected text is worked out from knative/client's formatting
 * code (pkg/printers: a tab writer with min width 0 and padding 2 for describe pages, min width 6
 * and padding 3 for list tables; pkg/commands/describe.go's conditions table `%-2s %-Ns %6s %-s`;
 * each command's human_readable_flags.go and describe.go) and the facts kn's own tests assert
 * (`@latest (rev1) #latest`, `rev2 (current @latest)`, `Replicas: 0/1`, `[1]`, the `++`/`!!`
 * marks, the 50-character cut of revision cells), for objects built here by hand at known
 * virtual times. Trailing spaces are kn's: its tab writer pads a cell before an empty one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { ApiServer } from '../../src/k8s/api-server.js';
import { TYPE } from '../../src/apis/core.js';
import type { Condition, KObject } from '../../src/apis/meta.js';
import { LABEL, SERVING_API_VERSION, type KnService, type Revision, type Route } from '../../src/apis/serving-types.js';
import { revisionDescribe, routeDescribe, serviceDescribe } from '../../src/kn/describe.js';
import { revisionList, routeList, serviceList } from '../../src/kn/list.js';
import { computeTraffic, parseKn, runKn } from '../../src/kn/index.js';
import { knErrorText } from '../../src/kn/run.js';

const S = 1000;
const NOW = 300 * S;

const ok = (type: string, atMs: number, extra: Partial<Condition> = {}): Condition => ({ type, status: 'True', lastTransitionTime: atMs, ...extra });

function revision(name: string, service: string, generation: number, image: string, more: (r: Revision) => void = () => undefined): Revision {
  const r: Revision = {
    apiVersion: SERVING_API_VERSION,
    kind: 'Revision',
    metadata: {
      name,
      namespace: 'default',
      labels: { [LABEL.service]: service, [LABEL.configuration]: service, [LABEL.configurationGeneration]: String(generation) },
      annotations: { 'serving.knative.dev/routes': service },
    },
    spec: { containers: [{ name: 'user-container', image }], containerConcurrency: 0, timeoutSeconds: 300 },
  };
  more(r);
  return r;
}

/** Objects created at given virtual times in an API server with no controllers, then their statuses written. */
function world(): { engine: Engine; api: ApiServer } {
  const engine = new Engine({ seed: 1 });
  const api = new ApiServer(engine);
  const createAt = (ms: number, obj: KObject, status: unknown): void => {
    engine.run({ untilMs: ms });
    const stored = api.create(obj);
    api.updateStatus({ ...stored, status });
  };
  createAt(0, revision('hello-00001', 'hello', 1, 'rainbows:v1'), {
    conditions: [
      ok('Active', 200 * S, { status: 'False', severity: 'Info', reason: 'NoTraffic' }),
      ok('ContainerHealthy', 20 * S),
      ok('Ready', 20 * S),
      ok('ResourcesAvailable', 20 * S),
    ],
    containerStatuses: [{ name: 'user-container', imageDigest: 'rainbows:v1' }],
    actualReplicas: 0,
    desiredReplicas: 0,
  });
  const service: KnService = {
    apiVersion: SERVING_API_VERSION,
    kind: 'Service',
    metadata: { name: 'hello', namespace: 'default' },
    spec: { template: { spec: { containers: [{ image: 'rainbows:v2' }] } } },
  };
  createAt(0, service, {
    url: 'http://hello.default.example.com',
    address: { url: 'http://hello.default.svc.cluster.local' },
    latestCreatedRevisionName: 'hello-00002',
    latestReadyRevisionName: 'hello-00002',
    traffic: [
      { revisionName: 'hello-00002', latestRevision: true, percent: 80 },
      { revisionName: 'hello-00001', latestRevision: false, percent: 20, tag: 'old', url: 'http://old-hello.default.example.com' },
    ],
    conditions: [ok('ConfigurationsReady', 90 * S), ok('Ready', 90 * S), ok('RoutesReady', 95 * S)],
  });
  createAt(30 * S, revision('api-00001', 'api', 1, 'registry/api:broken'), {
    conditions: [
      { type: 'ContainerHealthy', status: 'Unknown', lastTransitionTime: 30 * S },
      {
        type: 'Ready',
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: 'Initial scale was never achieved for the revision api-00001',
        lastTransitionTime: 150 * S,
      },
      { type: 'ResourcesAvailable', status: 'False', reason: 'ProgressDeadlineExceeded', lastTransitionTime: 150 * S },
    ],
  });
  createAt(
    60 * S,
    revision('hello-00002', 'hello', 2, 'rainbows:v2', (r) => {
      r.metadata.annotations = {
        ...r.metadata.annotations,
        'client.knative.dev/user-image': 'rainbows:v2',
        'autoscaling.knative.dev/min-scale': '1',
        'autoscaling.knative.dev/max-scale': '3',
        'autoscaling.knative.dev/target': '50',
        'autoscaling.knative.dev/window': '30s',
        'autoscaling.knative.dev/target-utilization-percentage': '80',
      };
      const c = r.spec.containers[0];
      if (c !== undefined) {
        c.env = [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ];
        c.ports = [{ containerPort: 8080 }];
        c.resources = { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } };
      }
      r.spec.containerConcurrency = 10;
    }),
    {
      conditions: [ok('Active', 70 * S, { severity: 'Info' }), ok('ContainerHealthy', 70 * S), ok('Ready', 70 * S), ok('ResourcesAvailable', 70 * S)],
      containerStatuses: [{ name: 'user-container', imageDigest: 'rainbows:v2' }],
      actualReplicas: 2,
      desiredReplicas: 2,
    },
  );
  const route: Route = {
    apiVersion: SERVING_API_VERSION,
    kind: 'Route',
    metadata: {
      name: 'hello',
      namespace: 'default',
      ownerReferences: [{ apiVersion: SERVING_API_VERSION, kind: 'Service', name: 'hello', uid: 'u-1', controller: true }],
    },
    spec: {},
  };
  createAt(60 * S, route, {
    url: 'http://hello.default.example.com',
    traffic: [
      { revisionName: 'hello-00002', latestRevision: true, percent: 80 },
      { revisionName: 'hello-00001', latestRevision: false, percent: 20, tag: 'old', url: 'http://old-hello.default.example.com' },
    ],
    conditions: [
      ok('AllTrafficAssigned', 61 * S),
      ok('CertificateProvisioned', 61 * S, { reason: 'TLSNotEnabled' }),
      ok('IngressReady', 95 * S),
      ok('Ready', 95 * S),
    ],
  });
  engine.run({ untilMs: NOW });
  return { engine, api };
}

describe('kn service describe', () => {
  let w: { engine: Engine; api: ApiServer };
  beforeAll(() => {
    w = world();
  });
  const svc = (): KnService => w.api.get<KnService>(TYPE.knService, 'default', 'hello') as KnService;

  it('prints metadata, the targeted revisions newest first with short ages, and the conditions table', () => {
    // Column 0 of each block is its widest label + 2; "Revisions:" and "Conditions:" stand alone in
    // theirs, so they end in two spaces. Bullets: "%3d%%" after two spaces, padded to 8.
    expect(serviceDescribe(w.api, NOW, svc())).toBe(
      [
        'Name:       hello',
        'Namespace:  default',
        'Age:        5m',
        'URL:        http://hello.default.example.com',
        '',
        'Revisions:  ',
        '   80%  @latest (hello-00002) [2] (4m)',
        '        Image:     rainbows:v2 (pinned to rainbows:v2)',
        '        Replicas:  2/2',
        '   20%  hello-00001 #old [1] (5m)',
        '        Image:     rainbows:v1 (at rainbows:v1)',
        '        Replicas:  0/0',
        '',
        'Conditions:  ',
        '  OK TYPE                   AGE REASON',
        '  ++ Ready                   3m ',
        '  ++ ConfigurationsReady     3m ',
        '  ++ RoutesReady             3m ',
        '',
      ].join('\n'),
    );
  });

  it('with --verbose adds the cluster URL, each revision details and the condition messages', () => {
    expect(serviceDescribe(w.api, NOW, svc(), { verbose: true })).toBe(
      [
        'Name:       hello',
        'Namespace:  default',
        'Age:        5m',
        'URL:        http://hello.default.example.com',
        'Cluster:    http://hello.default.svc.cluster.local',
        '',
        'Revisions:  ',
        '   80%  @latest (hello-00002) [2] (4m)',
        '        Image:                rainbows:v2 (pinned to rainbows:v2)',
        '        Replicas:             2/2',
        '        Port:                 8080',
        '        Env:                  A=1',
        '                              B=2',
        '        Scale:                1 ... 3',
        '        Concurrency:          ',
        '          Limit:              10',
        '          Target:             50',
        '          Window:             30s',
        '          TargetUtilization:  80',
        '        Memory:               64Mi ... 128Mi',
        '        CPU:                  100m',
        '   20%  hello-00001 #old [1] (5m)',
        '        Image:     rainbows:v1 (at rainbows:v1)',
        '        Replicas:  0/0',
        '',
        'Conditions:  ',
        '  OK TYPE                   AGE REASON',
        '  ++ Ready                   3m ',
        '  ++ ConfigurationsReady     3m ',
        '  ++ RoutesReady             3m ',
        '',
      ].join('\n'),
    );
  });
});

describe('kn revision describe', () => {
  it('prints image, replicas, port, env, scale, the Concurrency section, resources; conditions Ready first, Info last', () => {
    const w = world();
    const rev = w.api.get<Revision>(TYPE.revision, 'default', 'hello-00002') as Revision;
    // Annotations: kn's own keys left out, cut at 100 - len("Annotations") - 2 = 87 characters.
    expect(revisionDescribe(w.api, NOW, rev)).toBe(
      [
        'Name:                 hello-00002',
        'Namespace:            default',
        'Annotations:          autoscaling.knative.dev/max-scale=3, autoscaling.knative.dev/min-scale=1, autoscali ...',
        'Age:                  4m',
        'Image:                rainbows:v2 (pinned to rainbows:v2)',
        'Replicas:             2/2',
        'Port:                 8080',
        'Env:                  A=1, B=2',
        'Scale:                1 ... 3',
        'Concurrency:          ',
        '  Limit:              10',
        '  Target:             50',
        '  Window:             30s',
        '  TargetUtilization:  80',
        'Memory:               64Mi ... 128Mi',
        'CPU:                  100m',
        'Service:              hello',
        '',
        'Conditions:  ',
        '  OK TYPE                  AGE REASON',
        '  ++ Ready                  3m ',
        '  ++ ContainerHealthy       3m ',
        '  ++ ResourcesAvailable     3m ',
        '  ++ Active                 3m ',
        '',
      ].join('\n'),
    );
  });

  it("marks a failed revision !!, an unknown condition ??; Knative's own labels and annotations stay out", () => {
    const w = world();
    const api = w.api.get<Revision>(TYPE.revision, 'default', 'api-00001') as Revision;
    expect(revisionDescribe(w.api, NOW, api)).toBe(
      [
        'Name:       api-00001',
        'Namespace:  default',
        'Age:        4m',
        'Image:      registry/api:broken',
        'Service:    api',
        '',
        'Conditions:  ',
        '  OK TYPE                  AGE REASON',
        '  !! Ready                  2m ProgressDeadlineExceeded',
        '  ?? ContainerHealthy       4m ',
        '  !! ResourcesAvailable     2m ProgressDeadlineExceeded',
        '',
      ].join('\n'),
    );
    // --verbose looks the service up: it is gone, so kn fails.
    expect(() => revisionDescribe(w.api, NOW, api, { verbose: true })).toThrow('services.serving.knative.dev "api" not found');
  });

  it('with --verbose lists every label and annotation, the service facts, and " I" for an Info condition with its message', () => {
    const w = world();
    const old = w.api.get<Revision>(TYPE.revision, 'default', 'hello-00001') as Revision;
    // One column block from Name to Tags: the sub-attributes widen it to 27 + 2.
    expect(revisionDescribe(w.api, NOW, old, { verbose: true })).toBe(
      [
        'Name:                        hello-00001',
        'Namespace:                   default',
        'Labels:                      serving.knative.dev/configuration=hello',
        '                             serving.knative.dev/configurationGeneration=1',
        '                             serving.knative.dev/service=hello',
        'Annotations:                 serving.knative.dev/routes=hello',
        'Age:                         5m',
        'Image:                       rainbows:v1 (at rainbows:v1)',
        'Replicas:                    0/0',
        'Service:                     hello',
        '  Configuration Generation:  1',
        '  Latest Created:            false',
        '  Latest Ready:              false',
        '  Traffic:                   20%',
        '  Tags:                      old',
        '',
        'Conditions:  ',
        '  OK TYPE                  AGE REASON',
        '  ++ Ready                  4m ',
        '  ++ ContainerHealthy       4m ',
        '  ++ ResourcesAvailable     4m ',
        '   I Active                 1m NoTraffic ()',
        '',
      ].join('\n'),
    );
  });
});

describe('kn route describe', () => {
  it('prints the Service owner, the traffic targets with tag URLs and the conditions', () => {
    const w = world();
    const route = w.api.get<Route>(TYPE.route, 'default', 'hello') as Route;
    expect(routeDescribe(NOW, route)).toBe(
      [
        'Name:       hello',
        'Namespace:  default',
        'Age:        4m',
        'URL:        http://hello.default.example.com',
        'Service:    hello',
        '',
        'Traffic Targets:  ',
        '   80%  @latest (hello-00002)',
        '   20%  hello-00001 #old',
        '        URL:  http://old-hello.default.example.com',
        '',
        'Conditions:  ',
        '  OK TYPE                      AGE REASON',
        '  ++ Ready                      3m ',
        '  ++ AllTrafficAssigned         3m ',
        '  ++ CertificateProvisioned     3m TLSNotEnabled',
        '  ++ IngressReady               3m ',
        '',
      ].join('\n'),
    );
  });
});

describe('kn list tables', () => {
  let w: { engine: Engine; api: ApiServer };
  beforeAll(() => {
    w = world();
  });

  it('kn service list: NAME URL LATEST AGE CONDITIONS READY REASON, long ages, trailing pad before an empty REASON', () => {
    expect(serviceList(w.api, NOW, { namespace: 'default' })).toBe(
      [
        'NAME    URL                                LATEST        AGE   CONDITIONS   READY   REASON',
        'hello   http://hello.default.example.com   hello-00002   5m    3 OK / 3     True    ',
      ].join('\n'),
    );
    expect(serviceList(w.api, NOW, { namespace: undefined, noHeaders: true })).toBe(
      // Without the header, READY is as wide as "True" + 3.
      'default   hello   http://hello.default.example.com   hello-00002   5m    3 OK / 3   True   ',
    );
    expect(serviceList(w.api, NOW, { namespace: 'default', name: 'nope' })).toBe('No services found.');
  });

  it('kn revision list: by service, newest generation first; traffic and tags from the service; cells cut at 50', () => {
    expect(revisionList(w.api, NOW, { namespace: 'default' })).toBe(
      [
        'NAME          SERVICE   TRAFFIC   TAGS   GENERATION   AGE     CONDITIONS   READY   REASON',
        'api-00001     api                        1            4m30s   0 OK / 3     False   ProgressDeadlineExceeded : Initial scale was n ...',
        'hello-00002   hello     80%              2            4m      4 OK / 4     True    ',
        'hello-00001   hello     20%       old    1            5m      3 OK / 4     True    ',
      ].join('\n'),
    );
    expect(revisionList(w.api, NOW, { namespace: undefined, service: 'hello' }).split('\n')[0]).toBe(
      'NAMESPACE   NAME          SERVICE   TRAFFIC   TAGS   GENERATION   AGE   CONDITIONS   READY   REASON',
    );
    expect(revisionList(w.api, NOW, { namespace: 'default', name: 'hello-00001' }).split('\n')).toHaveLength(2);
    expect(revisionList(w.api, NOW, { namespace: 'other' })).toBe('No revisions found.');
  });

  it('kn route list: NAME URL READY only, no namespace column even with -A', () => {
    const table = ['NAME    URL                                READY', 'hello   http://hello.default.example.com   True'].join('\n');
    expect(routeList(w.api, { namespace: 'default' })).toBe(table);
    expect(routeList(w.api, { namespace: undefined })).toBe(table);
    expect(routeList(w.api, { namespace: 'default', name: 'x' })).toBe('No routes found.');
  });
});

describe('kn errors and exit behaviour', () => {
  it('prints Error: and the help hint naming the command quoted in the message', () => {
    expect(knErrorText('services.serving.knative.dev "x" not found')).toBe('Error: services.serving.knative.dev "x" not found\nRun \'kn --help\' for usage');
    expect(knErrorText("'kn revision describe' requires name of the revision as single argument")).toBe(
      "Error: 'kn revision describe' requires name of the revision as single argument\nRun 'kn revision describe --help' for usage",
    );
  });

  const traffic: [string, string][] = [
    ['@latest=110', 'invalid value for traffic percent 110, expected 0 <= percent <= 100'],
    ['@latest=-5', 'invalid value for traffic percent -5, expected 0 <= percent <= 100'],
    ['@latest=ten', 'error converting given ten to integer value for traffic distribution'],
    ['a=50,a=50', 'repetition of revision reference a is not allowed, use only once with --traffic flag'],
    ['@latest=50,@latest=50', 'repetition of identifier @latest is not allowed, use only once with --traffic flag'],
    ['a=60,b=50', 'given traffic percents sum to 110, want <=100'],
    ['a==5', 'expecting the value format in value1=value2, given a==5'],
  ];
  it.each(traffic)('--traffic %s is refused as kn refuses it', (flag, message) => {
    const p = parseKn(`kn service update hello --traffic ${flag}`);
    expect(p).toMatchObject({ ok: false, error: message });
    expect(computeTraffic([], { traffic: flag.split(','), tag: [], untag: [], revisions: [], newRevision: false })).toEqual({ ok: false, error: message });
  });

  it('refuses extra list arguments and a second @latest tag in kn words', () => {
    expect(parseKn('kn service list a b')).toMatchObject({ ok: false, error: "'kn service list' accepts maximum 1 argument" });
    expect(parseKn('kn revision list a b')).toMatchObject({ ok: false, error: "'kn revision list' accepts maximum 1 argument, not 2 arguments as given" });
    expect(parseKn('kn route list a b')).toMatchObject({ ok: false, error: "'kn route list' accepts only one additional argument" });
    expect(parseKn('kn service update x --tag @latest=a,@latest=b')).toMatchObject({
      ok: false,
      error: 'repetition of identifier @latest is not allowed, use only once with --tag flag',
    });
  });

  it('a missing object fails the command with the API error and the hint; revision list -s checks the service first', () => {
    const w = world();
    const run = (line: string): { ok: boolean; output: string } => {
      const p = parseKn(line);
      if (!p.ok) throw new Error(p.error);
      return runKn(w, p.command);
    };
    expect(run('kn service describe nope')).toMatchObject({
      ok: false,
      output: 'Error: services.serving.knative.dev "nope" not found\nRun \'kn --help\' for usage',
    });
    expect(run('kn revision list -s nope')).toMatchObject({
      ok: false,
      output: 'Error: services.serving.knative.dev "nope" not found\nRun \'kn --help\' for usage',
    });
    expect(run('kn route describe hello')).toMatchObject({ ok: true });
  });
});
