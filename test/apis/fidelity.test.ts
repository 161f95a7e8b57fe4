// Nothing silently ignored: every field and annotation knsim accepts without modelling is a
// SCENARIO_NOT_MODELLED warning naming it, the fields Knative never admits are refused as its
// field masks refuse them (pkg/apis/serving/fieldmask.go), and the README's fidelity table
// lists them all.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { annotationNotModelled, notModelled, WARNED_FIELDS } from '../../src/apis/fidelity.js';
import { DISALLOWED_CONTAINER_FIELDS, DISALLOWED_POD_FIELDS, validateRoute, validateService } from '../../src/apis/serving-validation.js';
import { defaultService } from '../../src/apis/serving-defaults.js';
import { TYPE } from '../../src/apis/core.js';
import type { KObject } from '../../src/apis/meta.js';
import type { KnService, Route } from '../../src/apis/serving-types.js';
import { loadScenarioText } from '../../src/sim/index.js';

function service(template: Record<string, unknown>, meta: Record<string, unknown> = {}): KnService {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: 'hello', namespace: 'default', ...meta },
    spec: { template },
  } as unknown as KnService;
}

describe('not modelled: warnings', () => {
  it('a minimal service and everything knsim models give no warning (probes included)', () => {
    const s = service(
      {
        metadata: { annotations: { 'autoscaling.knative.dev/min-scale': '1', 'client.knative.dev/user-image': 'x', 'example.com/team': 'a' } },
        spec: {
          containerConcurrency: 10,
          timeoutSeconds: 60,
          responseStartTimeoutSeconds: 10,
          idleTimeoutSeconds: 5,
          containers: [
            {
              image: 'x',
              name: 'app',
              ports: [{ containerPort: 8080 }],
              resources: { requests: { cpu: '100m', memory: '128Mi' } },
              readinessProbe: { httpGet: { path: '/' } },
              livenessProbe: { httpGet: { path: '/' } },
              startupProbe: { tcpSocket: { port: 8080 } },
            },
          ],
        },
      },
      { labels: { 'networking.knative.dev/visibility': 'cluster-local', team: 'a' }, annotations: { 'serving.knative.dev/rollout-duration': '60s' } },
    );
    expect(notModelled(s, TYPE.knService)).toEqual([]);
  });

  it('names every field of a template it does not model', () => {
    const spec: Record<string, unknown> = { containers: [{ image: 'x' }] };
    for (const f of [...WARNED_FIELDS.pod, ...WARNED_FIELDS.podBehindFeatureFlag]) spec[f] = f === 'automountServiceAccountToken' ? false : {};
    const container = spec.containers as Record<string, unknown>[];
    for (const f of WARNED_FIELDS.container) (container[0] as Record<string, unknown>)[f] = [];
    const paths = notModelled(service({ spec }), TYPE.knService).map((w) => w.path);
    for (const f of [...WARNED_FIELDS.pod, ...WARNED_FIELDS.podBehindFeatureFlag]) expect(paths).toContain(`spec.template.spec.${f}`);
    for (const f of WARNED_FIELDS.container) expect(paths).toContain(`spec.template.spec.containers[0].${f}`);
  });

  it.each([
    [
      'queue.sidecar.serving.knative.dev/cpu-resource-request',
      '100m',
      'template',
      "is accepted but not modelled: the queue-proxy's resources change nothing here",
    ],
    [
      'autoscaling.knative.dev/metric',
      'queue-depth',
      'template',
      'is "queue-depth" (a custom metric), which is accepted but not modelled: no custom metrics adapter runs, so the HPA cannot read it',
    ],
    ['autoscaling.knative.dev/minscale', '1', 'template', 'is not an annotation Knative reads (it ignores it)'],
    ['serving.knative.dev/rollout-duration', '60s', 'template', 'is read only on a Service or Route (Knative ignores it here)'],
    ['networking.knative.dev/ingress.class', 'kourier.ingress.networking.knative.dev', 'service', 'is accepted but not modelled'],
    ['features.knative.dev/http-full-duplex', 'Enabled', 'template', 'is accepted but not modelled'],
  ] as const)('annotation %s=%s on a %s', (key, value, place, message) => {
    expect(annotationNotModelled(key, value, place)?.message).toBe(message);
  });

  // The HPA class and its resource metrics are modelled (autoscaler/hpa, k8s/hpa): no warning.
  it.each([
    ['autoscaling.knative.dev/class', 'hpa.autoscaling.knative.dev'],
    ['autoscaling.knative.dev/metric', 'cpu'],
    ['autoscaling.knative.dev/metric', 'memory'],
  ] as const)('annotation %s=%s on a template is modelled', (key, value) => {
    expect(annotationNotModelled(key, value, 'template')).toBeUndefined();
  });

  it('cpu and memory limits are modelled; other limits are warned', () => {
    const spec = { containers: [{ image: 'x', resources: { limits: { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': '1' } } }] };
    expect(notModelled(service({ spec }), TYPE.knService).map((w) => w.path)).toEqual(['spec.template.spec.containers[0].resources.limits.nvidia.com/gpu']);
  });

  it('a DomainMapping: spec.tls, and a ref to an Addressable other than a Knative Service or Route', () => {
    const dm = (ref: Record<string, unknown>, tls?: unknown): KObject => ({
      apiVersion: 'serving.knative.dev/v1beta1',
      kind: 'DomainMapping',
      metadata: { name: 'app.example.com', namespace: 'default' },
      spec: { ref, ...(tls === undefined ? {} : { tls }) },
    });
    const ksvc = { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'hello' };
    expect(notModelled(dm(ksvc), TYPE.domainMapping)).toEqual([]);
    expect(notModelled(dm({ ...ksvc, kind: 'Route' }), TYPE.domainMapping)).toEqual([]);
    expect(
      notModelled(dm({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'b' }, { secretName: 's' }), TYPE.domainMapping).map((w) => w.path),
    ).toEqual(['spec.tls', 'spec.ref']);
  });

  it('reaches `validate` as warnings at the field, and a ConfigMap knsim does not read is warned', () => {
    const loaded = loadScenarioText(
      `
name: x
duration: 1m
timeline:
  - at: 0s
    apply: |
      apiVersion: serving.knative.dev/v1
      kind: Service
      metadata: {name: hello}
      spec:
        template:
          spec:
            containers:
              - image: x
                volumeMounts: [{name: v, mountPath: /v}]
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: config-features, namespace: knative-serving}
      data: {kubernetes.podspec-nodeselector: enabled}
`,
      { file: 'x.yaml' },
    );
    expect(loaded.scenario).toBeDefined();
    expect(loaded.diagnostics.map((d) => [d.severity, d.code, d.line, d.message])).toEqual([
      [
        'warning',
        'SCENARIO_NOT_MODELLED',
        15,
        'Service "hello": spec.template.spec.containers[0].volumeMounts is accepted but not modelled: the volume and its source are not checked',
      ],
      [
        'warning',
        'SCENARIO_NOT_MODELLED',
        19,
        'ConfigMap "config-features" is accepted but not read by knsim (it reads config-autoscaler, config-defaults, config-deployment, config-domain, config-gc, config-network)',
      ],
    ]);
  });
});

describe('refused as Knative refuses', () => {
  it('PodSpec and container fields outside the field masks: must not set the field(s)', () => {
    const spec: Record<string, unknown> = { containers: [{ image: 'x', lifecycle: {}, tty: true }], restartPolicy: 'Always', nodeName: 'n' };
    const s = service({ spec });
    defaultService(s);
    expect(validateService(s)).toEqual([
      { path: 'spec.template.spec.restartPolicy, spec.template.spec.nodeName', message: 'must not set the field(s)' },
      { path: 'spec.template.spec.containers[0].lifecycle, spec.template.spec.containers[0].tty', message: 'must not set the field(s)' },
    ]);
    expect(DISALLOWED_POD_FIELDS).toContain('terminationGracePeriodSeconds');
    expect(DISALLOWED_CONTAINER_FIELDS).toContain('volumeDevices');
  });

  it('autoscaling annotations on a Service or Route', () => {
    const s = service({ spec: { containers: [{ image: 'x' }] } }, { annotations: { 'autoscaling.knative.dev/min-scale': '1' } });
    defaultService(s);
    const message =
      'invalid key name "autoscaling.knative.dev/min-scale": autoscaling annotations must be put under "spec.template.metadata.annotations" to work';
    expect(validateService(s)).toEqual([{ path: 'metadata.annotations.autoscaling.knative.dev/min-scale', message }]);
    const r = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Route',
      metadata: { name: 'r', annotations: { 'autoscaling.knative.dev/window': '10s' } },
      spec: { traffic: [{ revisionName: 'r-1', percent: 100 }] },
    } as unknown as Route;
    expect(validateRoute(r).map((e) => e.path)).toEqual(['metadata.annotations.autoscaling.knative.dev/window']);
  });
});

describe("README's fidelity table", () => {
  const readme = readFileSync('README.md', 'utf8');
  const table = readme.slice(readme.indexOf('## Fidelity'), readme.indexOf('## Development'));
  it('lists every field knsim warns about or refuses', () => {
    for (const f of [
      ...WARNED_FIELDS.pod,
      ...WARNED_FIELDS.podBehindFeatureFlag,
      ...WARNED_FIELDS.container,
      ...DISALLOWED_POD_FIELDS,
      ...DISALLOWED_CONTAINER_FIELDS,
    ]) {
      expect(table, f).toContain(`\`${f}\``);
    }
  });
});
