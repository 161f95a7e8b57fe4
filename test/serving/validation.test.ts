import { describe, expect, it } from 'vitest';
import { validateService, validateRevision, validateTraffic } from '../../src/apis/serving-validation.js';
import { defaultService } from '../../src/apis/serving-defaults.js';
import type { KnService, Revision } from '../../src/apis/serving-types.js';
import { must } from '../../src/engine/assert.js';

function svc(patch: (s: KnService) => void = () => undefined): KnService {
  const s: KnService = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: 'hello', namespace: 'default' },
    spec: { template: { spec: { containers: [{ image: 'img' }] } } },
  };
  patch(s);
  defaultService(s);
  return s;
}

describe('serving defaults', () => {
  it('fills timeout 300, concurrency 0, user-container, the default TCP readiness probe and 100% latest traffic', () => {
    const s = svc();
    expect(s.spec.template.spec).toEqual({
      containers: [{ image: 'img', name: 'user-container', readinessProbe: { tcpSocket: { port: 0 }, successThreshold: 1 } }],
      timeoutSeconds: 300,
      containerConcurrency: 0,
    });
    expect(s.spec.traffic).toEqual([{ latestRevision: true, percent: 100 }]);
  });

  it('skips entries that are not mappings instead of throwing, so validation reports them (bug: TypeError "Cannot create property \'name\' on string")', () => {
    // As the loader hands it over: YAML as parsed, typed by its kind only.
    const parsed: unknown = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'hello' },
      spec: { template: { spec: { containers: ['image: x'] } }, traffic: [null, 'a'] },
    };
    const s = parsed as KnService;
    expect(() => defaultService(s)).not.toThrow();
    expect(s.spec.template.spec).toEqual({ containers: ['image: x'], timeoutSeconds: 300, containerConcurrency: 0 });
    expect(s.spec.traffic).toEqual([null, 'a']);
    const several = { ...s, spec: { template: { spec: { containers: [7, { image: 'b' }] } } } } as unknown as KnService;
    defaultService(several);
    expect(several.spec.template.spec.containers).toEqual([7, { image: 'b', name: 'user-container-1' }]);
    for (const spec of [3, null, 'x', { template: null }, { template: { spec: null } }, { template: { spec: 'x' } }]) {
      expect(() => defaultService({ ...s, spec } as unknown as KnService)).not.toThrow();
    }
  });
});

describe('validateService', () => {
  // Expected errors hold asymmetric matchers (`expect.stringContaining`) as well as strings.
  const rows: [string, (s: KnService) => void, { path: unknown; message: unknown }[]][] = [
    ['accepts a minimal service', () => undefined, []],
    [
      'rejects a timeout over 600',
      (s) => (s.spec.template.spec.timeoutSeconds = 900),
      [{ path: 'spec.template.spec.timeoutSeconds', message: 'expected 0 <= 900 <= 600' }],
    ],
    [
      'rejects containerConcurrency over 1000',
      (s) => (s.spec.template.spec.containerConcurrency = 1001),
      [{ path: 'spec.template.spec.containerConcurrency', message: 'expected 0 <= 1001 <= 1000' }],
    ],
    [
      'requires an image',
      (s) => delete must(s.spec.template.spec.containers[0], 'a container').image,
      [{ path: 'spec.template.spec.containers[0].image', message: 'missing field(s)' }],
    ],
    [
      'refuses failureThreshold and timeoutSeconds on a readiness probe of periodSeconds 0 (queue-proxy probes it aggressively)',
      (s) => (must(s.spec.template.spec.containers[0], 'a container').readinessProbe = { httpGet: { path: '/' }, failureThreshold: 3, timeoutSeconds: 2 }),
      [
        { path: 'spec.template.spec.containers[0].readinessProbe.failureThreshold', message: 'failureThreshold is disallowed when periodSeconds is zero' },
        { path: 'spec.template.spec.containers[0].readinessProbe.timeoutSeconds', message: 'timeoutSeconds is disallowed when periodSeconds is zero' },
      ],
    ],
    [
      'requires exactly one probe handler, and a named port to be the container port',
      (s) => {
        const c = must(s.spec.template.spec.containers[0], 'a container');
        c.livenessProbe = { httpGet: { port: 'metrics' }, tcpSocket: {} };
        c.startupProbe = { periodSeconds: 1 };
      },
      [
        { path: 'spec.template.spec.containers[0].livenessProbe.httpGet.port', message: 'invalid value: metrics: Probe port must match container port' },
        {
          path: 'spec.template.spec.containers[0].livenessProbe.httpGet, spec.template.spec.containers[0].livenessProbe.tcpSocket',
          message: 'expected exactly one, got both',
        },
        {
          path: 'spec.template.spec.containers[0].startupProbe.httpGet, spec.template.spec.containers[0].startupProbe.tcpSocket, spec.template.spec.containers[0].startupProbe.exec, spec.template.spec.containers[0].startupProbe.grpc',
          message: 'expected exactly one, got neither',
        },
      ],
    ],
    [
      'bounds a readiness probe with a period (a zero timeout is defaulted to 1 first)',
      (s) =>
        (must(s.spec.template.spec.containers[0], 'a container').readinessProbe = {
          tcpSocket: {},
          periodSeconds: 5,
          timeoutSeconds: -1,
          failureThreshold: -1,
          successThreshold: 1,
        }),
      [
        { path: 'spec.template.spec.containers[0].readinessProbe.timeoutSeconds', message: 'expected 1 <= -1 <= 2147483647' },
        { path: 'spec.template.spec.containers[0].readinessProbe.failureThreshold', message: 'expected 1 <= -1 <= 2147483647' },
      ],
    ],
    [
      'requires percents to sum to 100',
      (s) => (s.spec.traffic = [{ latestRevision: true, percent: 90 }]),
      [{ path: 'spec.traffic', message: 'Traffic targets sum to 90, want 100' }],
    ],
    [
      'rejects duplicate tags',
      (s) =>
        (s.spec.traffic = [
          { latestRevision: true, percent: 100, tag: 'a' },
          { revisionName: 'hello-00001', percent: 0, tag: 'a' },
        ]),
      [{ path: 'spec.traffic[0].tag, spec.traffic[1].tag', message: 'Multiple definitions for "a"' }],
    ],
    [
      'rejects a tag that is not a DNS-1035 label',
      (s) => (s.spec.traffic = [{ latestRevision: true, percent: 100, tag: '1bad' }]),
      [{ path: 'spec.traffic.tag[0]', message: expect.stringContaining('not a DNS 1035 label') }],
    ],
    [
      'rejects configurationName inside a Service',
      (s) => (s.spec.traffic = [{ configurationName: 'x', percent: 100 }]),
      [{ path: 'spec.traffic[0].configurationName', message: 'must not set the field(s)' }],
    ],
    [
      'rejects latestRevision with a revisionName',
      (s) => (s.spec.traffic = [{ revisionName: 'hello-00001', latestRevision: true, percent: 100 }]),
      [{ path: 'spec.traffic[0].latestRevision', message: 'may not set revisionName "hello-00001" when latestRevision is true' }],
    ],
    [
      'rejects url in spec',
      (s) => (s.spec.traffic = [{ latestRevision: true, percent: 100, url: 'http://x' }]),
      [{ path: 'spec.traffic[0].url', message: 'must not set the field(s)' }],
    ],
    [
      'requires the BYO name prefix',
      (s) => (s.spec.template.metadata = { name: 'other-v1' }),
      [{ path: 'spec.template.metadata.name', message: 'invalid value: "other-v1" must have prefix "hello-"' }],
    ],
    [
      'rejects min-scale above max-scale',
      (s) => (s.spec.template.metadata = { annotations: { 'autoscaling.knative.dev/min-scale': '5', 'autoscaling.knative.dev/max-scale': '2' } }),
      [{ path: expect.stringContaining('spec.template.metadata.annotations.autoscaling.knative.dev/'), message: 'max-scale=2 is less than min-scale=5' }],
    ],
  ];
  for (const [title, patch, want] of rows) {
    it(title, () => {
      expect(validateService(svc(patch))).toEqual(want);
    });
  }

  it('rejects a template change under the same BYO name', () => {
    const old = svc((s) => (s.spec.template.metadata = { name: 'hello-v1' }));
    const next = svc((s) => {
      s.spec.template.metadata = { name: 'hello-v1' };
      must(s.spec.template.spec.containers[0], 'a container').image = 'other';
    });
    expect(validateService(next, old).map((e) => e.path)).toEqual(['spec.template.metadata.name']);
  });
});

describe('validateRevision', () => {
  it('refuses any spec change after creation', () => {
    const rev: Revision = { apiVersion: 'serving.knative.dev/v1', kind: 'Revision', metadata: { name: 'hello-00001' }, spec: { containers: [{ image: 'a' }] } };
    const changed: Revision = { ...rev, spec: { containers: [{ image: 'b' }] } };
    const errors = validateRevision(changed, rev);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.path).toBe('spec');
    expect(errors[0]?.message).toMatch(/^Immutable fields changed \(-old \+new\)/);
    expect(validateRevision(rev, rev)).toEqual([]);
  });
});

describe('validateTraffic', () => {
  it('requires a target in a standalone Route to name a revision or configuration', () => {
    expect(validateTraffic([{ percent: 100 }], 'spec.traffic', false)).toEqual([
      { path: 'spec.traffic[0].configurationName, spec.traffic[0].revisionName', message: 'expected exactly one, got neither' },
    ]);
  });
});
