/**
 * `knsim get` as kubectl prints it, byte for byte, for objects built by hand: the server-side
 * tables of Knative's CRDs (NAME and exactly the CRD's additionalPrinterColumns, an absent value
 * an empty cell, no AGE), kubectl's tab writer (min width 6, padding 3, a pad before an empty
 * last cell), `-o wide`, `-A`, names as kubectl resolves them, `-o json` (four spaces, sorted
 * keys, RFC 3339 times) and `-o yaml` (sorted keys, sequences not indented, YAML 1.1 quoting),
 * with `kind: List` for lists, and kubectl's messages.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { ApiServer } from '../../src/k8s/api-server.js';
import type { KObject } from '../../src/apis/meta.js';
import { AUTOSCALING_API_VERSION, LABEL, NETWORKING_API_VERSION, SERVING_API_VERSION } from '../../src/apis/serving-types.js';
import { getObjects } from '../../src/sim/get.js';

const NOW = 300_000;

function world(): ApiServer {
  const engine = new Engine({ seed: 1 });
  const api = new ApiServer(engine);
  const at = (ms: number, obj: KObject, status?: unknown): void => {
    engine.run({ untilMs: ms });
    const stored = api.create(obj);
    if (status !== undefined) api.updateStatus({ ...stored, status });
  };
  const meta = (name: string, labels?: Record<string, string>): KObject['metadata'] => ({ name, namespace: 'default', ...(labels ? { labels } : {}) });
  at(
    0,
    { apiVersion: SERVING_API_VERSION, kind: 'Service', metadata: meta('hello'), spec: { template: { spec: { containers: [{ image: 'rainbows' }] } } } },
    {
      url: 'http://hello.default.example.com',
      latestCreatedRevisionName: 'hello-00002',
      latestReadyRevisionName: 'hello-00001',
      conditions: [{ type: 'Ready', status: 'Unknown', reason: 'RevisionMissing', lastTransitionTime: 60_000 }],
    },
  );
  at(
    0,
    {
      apiVersion: SERVING_API_VERSION,
      kind: 'Revision',
      metadata: meta('hello-00001', { [LABEL.configuration]: 'hello', [LABEL.configurationGeneration]: '1' }),
      spec: { containers: [{ image: 'rainbows' }] },
    },
    { actualReplicas: 1, desiredReplicas: 1, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 20_000 }] },
  );
  at(
    0,
    { apiVersion: SERVING_API_VERSION, kind: 'Route', metadata: meta('hello'), spec: { traffic: [{ latestRevision: true, percent: 100 }] } },
    { url: 'http://hello.default.example.com', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 21_000 }] },
  );
  at(
    0,
    { apiVersion: AUTOSCALING_API_VERSION, kind: 'PodAutoscaler', metadata: meta('hello-00001'), spec: {} },
    { desiredScale: 0, actualScale: 1, conditions: [{ type: 'Ready', status: 'False', reason: 'NoTraffic', lastTransitionTime: 200_000 }] },
  );
  at(
    0,
    { apiVersion: NETWORKING_API_VERSION, kind: 'ServerlessService', metadata: meta('hello-00001'), spec: { mode: 'Proxy', numActivators: 2 } },
    { serviceName: 'hello-00001', privateServiceName: 'hello-00001-private', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 20_000 }] },
  );
  at(10_000, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('hello-00001-private'),
    spec: { selector: { [LABEL.revision]: 'hello-00001' }, ports: [{ port: 80 }, { port: 9090 }] },
  });
  at(60_000, {
    apiVersion: SERVING_API_VERSION,
    kind: 'Revision',
    metadata: meta('hello-00002', { [LABEL.configuration]: 'hello', [LABEL.configurationGeneration]: '2' }),
    spec: { containers: [{ image: 'rainbows:v2' }] },
  });
  engine.run({ untilMs: NOW });
  return api;
}

const get = (kind: string, options: Partial<Parameters<typeof getObjects>[2]> = {}): ReturnType<typeof getObjects> =>
  getObjects(world(), kind, { nowMs: NOW, ...options });

describe('kubectl get, Knative kinds: the CRD printer columns', () => {
  it('ksvc: NAME URL LATESTCREATED LATESTREADY READY REASON, no AGE', () => {
    expect(get('ksvc')).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'NAME    URL                                LATESTCREATED   LATESTREADY   READY     REASON',
        'hello   http://hello.default.example.com   hello-00002     hello-00001   Unknown   RevisionMissing',
        '',
      ].join('\n'),
    });
  });

  it('revisions: an absent value is an empty cell; a pad before an empty REASON; -o wide adds nothing (no priority-1 column)', () => {
    const table = [
      'NAME          CONFIG NAME   GENERATION   READY   REASON   ACTUAL REPLICAS   DESIRED REPLICAS',
      'hello-00001   hello         1            True             1                 1',
      'hello-00002   hello         2                                               ',
      '',
    ].join('\n');
    expect(get('revisions').stdout).toBe(table);
    expect(get('rev', { output: 'wide' }).stdout).toBe(table);
  });

  it('route, podautoscaler, serverlessservice', () => {
    expect(get('rt').stdout).toBe(
      ['NAME    URL                                READY   REASON', 'hello   http://hello.default.example.com   True    ', ''].join('\n'),
    );
    expect(get('kpa').stdout).toBe(
      ['NAME          DESIREDSCALE   ACTUALSCALE   READY   REASON', 'hello-00001   0              1             False   NoTraffic', ''].join('\n'),
    );
    expect(get('serverlessservices.networking.internal.knative.dev').stdout).toBe(
      [
        'NAME          MODE    ACTIVATORS   SERVICENAME   PRIVATESERVICENAME    READY   REASON',
        'hello-00001   Proxy   2            hello-00001   hello-00001-private   True    ',
        '',
      ].join('\n'),
    );
  });

  it('-A puts NAMESPACE first; names resolve as kubectl resolves them', () => {
    expect(get('kservice', { allNamespaces: true }).stdout.split('\n')[0]).toBe(
      'NAMESPACE   NAME    URL                                LATESTCREATED   LATESTREADY   READY     REASON',
    );
    for (const name of ['ksvc', 'KSVC', 'kservice', 'services.serving.knative.dev', 'service.serving.knative.dev'])
      expect(get(name).stdout, name).toBe(get('ksvc').stdout);
    for (const name of ['pa', 'podautoscaler', 'podautoscalers', 'podautoscalers.autoscaling.internal.knative.dev'])
      expect(get(name).stdout, name).toBe(get('kpa').stdout);
    for (const name of ['cfg', 'config', 'configurations'])
      expect(get(name)).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
  });
});

describe('kubectl get, core kinds and messages', () => {
  it('service means Kubernetes Services (with -o wide, the SELECTOR)', () => {
    expect(get('svc', { output: 'wide' }).stdout).toBe(
      [
        'NAME                  TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)           AGE     SELECTOR',
        'hello-00001-private   ClusterIP   <none>       <none>        80/TCP,9090/TCP   4m50s   serving.knative.dev/revision=hello-00001',
        '',
      ].join('\n'),
    );
  });

  it("kubectl's words for what is not there", () => {
    expect(get('widgets')).toEqual({ code: 1, stdout: '', stderr: 'error: the server doesn\'t have a resource type "widgets"\n' });
    expect(get('ksvc', { name: 'nope' })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): services.serving.knative.dev "nope" not found\n',
    });
    expect(get('pods', { namespace: 'prod' })).toEqual({ code: 0, stdout: '', stderr: 'No resources found in prod namespace.\n' });
    expect(get('nodes')).toEqual({ code: 0, stdout: '', stderr: 'No resources found\n' });
  });
});

describe('kubectl get -o json | yaml', () => {
  it('one object by name: four spaces, sorted keys, RFC 3339 times', () => {
    expect(get('route', { name: 'hello', output: 'json' }).stdout).toBe(`{
    "apiVersion": "serving.knative.dev/v1",
    "kind": "Route",
    "metadata": {
        "creationTimestamp": "2026-01-01T00:00:00Z",
        "generation": 1,
        "name": "hello",
        "namespace": "default",
        "resourceVersion": "6",
        "uid": "00000000-0000-4000-8000-000000000003"
    },
    "spec": {
        "traffic": [
            {
                "latestRevision": true,
                "percent": 100
            }
        ]
    },
    "status": {
        "conditions": [
            {
                "lastTransitionTime": "2026-01-01T00:00:21Z",
                "status": "True",
                "type": "Ready"
            }
        ],
        "url": "http://hello.default.example.com"
    }
}
`);
  });

  it('a list is kind: List, with YAML sequences flush with their key and 1.1 quoting', () => {
    expect(get('kpa', { output: 'yaml' }).stdout).toBe(`apiVersion: v1
items:
- apiVersion: autoscaling.internal.knative.dev/v1alpha1
  kind: PodAutoscaler
  metadata:
    creationTimestamp: "2026-01-01T00:00:00Z"
    generation: 1
    name: hello-00001
    namespace: default
    resourceVersion: "8"
    uid: 00000000-0000-4000-8000-000000000004
  spec: {}
  status:
    actualScale: 1
    conditions:
    - lastTransitionTime: "2026-01-01T00:03:20Z"
      reason: NoTraffic
      status: "False"
      type: Ready
    desiredScale: 0
kind: List
metadata:
  resourceVersion: ""
`);
    const empty = JSON.parse(get('cfg', { output: 'json' }).stdout) as unknown;
    expect(empty).toEqual({ apiVersion: 'v1', items: [], kind: 'List', metadata: { resourceVersion: '' } });
  });
});
