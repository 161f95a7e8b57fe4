// config-network and config-defaults read as Knative reads them (knative/networking
// pkg/config/config.go, knative/serving pkg/apis/config/defaults.go), and the defaulting and
// validation that depend on them (revision_defaults.go, metadata_validation.go).
import { describe, expect, it } from 'vitest';
import { expandTemplate, parseNetworkConfig } from '../../src/apis/config/network.js';
import { parseDefaultsConfig, type DefaultsConfig } from '../../src/apis/config/defaults.js';
import { defaultService } from '../../src/apis/serving-defaults.js';
import { validateRolloutDurationAnnotation, validateRoute, validateService } from '../../src/apis/serving-validation.js';
import type { KnService, Route } from '../../src/apis/serving-types.js';
import { must } from '../../src/engine/assert.js';

function parsed<T>(r: { config: T } | { errors: { path: string; message: string }[] }): T {
  if ('errors' in r) throw new Error(`unexpected errors: ${JSON.stringify(r.errors)}`);
  return r.config;
}
function errorsOf<T>(r: { config: T } | { errors: { path: string; message: string }[] }): { path: string; message: string }[] {
  return 'errors' in r ? r.errors : [];
}

describe('config-network rollout-duration', () => {
  it('is read as whole seconds with strconv.ParseInt, as knative/networking does', () => {
    expect(parsed(parseNetworkConfig({ 'rollout-duration': '120' })).rolloutDurationSecs).toBe(120);
    expect(parsed(parseNetworkConfig(undefined)).rolloutDurationSecs).toBe(0);
    // The legacy camelCase key is read first, the new one wins.
    expect(parsed(parseNetworkConfig({ rolloutDuration: '30', 'rollout-duration': '60' })).rolloutDurationSecs).toBe(60);
    expect(parsed(parseNetworkConfig({ rolloutDuration: '30' })).rolloutDurationSecs).toBe(30);
  });

  it('refuses a duration string and a negative number with Knative texts', () => {
    expect(errorsOf(parseNetworkConfig({ 'rollout-duration': '120s' }))).toEqual([
      { path: 'rollout-duration', message: 'failed to parse "rollout-duration": strconv.ParseInt: parsing "120s": invalid syntax' },
    ]);
    expect(errorsOf(parseNetworkConfig({ 'rollout-duration': '-5' }))).toEqual([
      { path: 'rollout-duration', message: 'rollout-duration must be a positive integer, but was -5' },
    ]);
  });

  it('reads autocreate-cluster-domain-claims as a Go bool (default false)', () => {
    expect(parsed(parseNetworkConfig(undefined)).autocreateClusterDomainClaims).toBe(false);
    expect(parsed(parseNetworkConfig({ 'autocreate-cluster-domain-claims': 'true' })).autocreateClusterDomainClaims).toBe(true);
    expect(errorsOf(parseNetworkConfig({ 'autocreate-cluster-domain-claims': 'yes' }))[0]?.message).toBe(
      'failed to parse "autocreate-cluster-domain-claims": strconv.ParseBool: parsing "yes": invalid syntax',
    );
  });
});

describe('config-defaults', () => {
  it('has Knative defaults; the response-start default follows the revision timeout', () => {
    const c = parsed(parseDefaultsConfig(undefined));
    expect(c).toMatchObject({
      revisionTimeoutSeconds: 300,
      maxRevisionTimeoutSeconds: 600,
      revisionResponseStartTimeoutSeconds: 300,
      revisionIdleTimeoutSeconds: 0,
    });
    expect(parsed(parseDefaultsConfig({ 'revision-timeout-seconds': '120' })).revisionResponseStartTimeoutSeconds).toBe(120);
  });

  it.each([
    [{ 'revision-timeout-seconds': '700' }, 'revision-timeout-seconds (700) cannot be greater than max-revision-timeout-seconds (600)'],
    [
      { 'revision-response-start-timeout-seconds': '400' },
      'revision-response-start-timeout-seconds (400) cannot be greater than revision-timeout-seconds (300)',
    ],
    [{ 'revision-idle-timeout-seconds': '301' }, 'revision-idle-timeout-seconds (301) cannot be greater than revision-timeout-seconds (300)'],
    [{ 'revision-timeout-seconds': '5m' }, 'failed to parse "revision-timeout-seconds": strconv.ParseInt: parsing "5m": invalid syntax'],
    [{ 'container-concurrency': '2000' }, 'expected 0 <= 2000 <= 1000: container-concurrency'],
  ])('refuses %j', (data, message) => {
    expect(errorsOf(parseDefaultsConfig(data))[0]?.message).toBe(message);
  });
});

function service(spec: Record<string, unknown>, defaults?: DefaultsConfig): KnService {
  const s = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: 'hello', namespace: 'default' },
    spec: { template: { spec: { containers: [{ image: 'img' }], ...spec } } },
  } as unknown as KnService;
  defaultService(s, defaults);
  return s;
}

describe('revision timeouts: defaulting', () => {
  it('turns timeoutSeconds 0 into the 300 s default, as revision_defaults.go does', () => {
    expect(service({ timeoutSeconds: 0 }).spec.template.spec.timeoutSeconds).toBe(300);
    expect(service({}).spec.template.spec.timeoutSeconds).toBe(300);
  });

  it('honours config-defaults revision-timeout-seconds', () => {
    const cfg = parsed(parseDefaultsConfig({ 'revision-timeout-seconds': '45' }));
    expect(service({ timeoutSeconds: 0 }, cfg).spec.template.spec.timeoutSeconds).toBe(45);
  });

  it('gives a revision longer than the response-start default a 300 s response-start timeout', () => {
    const spec = service({ timeoutSeconds: 600 }).spec.template.spec;
    expect(spec.responseStartTimeoutSeconds).toBe(300);
    expect(spec.idleTimeoutSeconds).toBeUndefined();
    expect(service({}).spec.template.spec.responseStartTimeoutSeconds).toBeUndefined();
  });

  it('validates timeoutSeconds against config-defaults max-revision-timeout-seconds', () => {
    const cfg = parsed(parseDefaultsConfig({ 'max-revision-timeout-seconds': '900' }));
    const s = service({ timeoutSeconds: 800 }, cfg);
    expect(validateService(s, undefined, { defaults: cfg })).toEqual([]);
    expect(validateService(s)).toEqual([{ path: 'spec.template.spec.timeoutSeconds', message: 'expected 0 <= 800 <= 600' }]);
  });
});

describe('rollout-duration annotation (ValidateRolloutDurationAnnotation)', () => {
  it.each([
    ['380s', []],
    ['10m', []],
    ['0', []],
    ['1500ms', ['rollout-duration=1500ms is not at second precision']],
    ['-5s', ['rollout-duration=-5s must be positive']],
    ['soon', ['invalid value: soon']],
    ['120', ['invalid value: 120']],
  ])('%s', (value, messages) => {
    const errors = validateRolloutDurationAnnotation({ 'serving.knative.dev/rollout-duration': value });
    expect(errors.map((e) => e.message)).toEqual(messages);
    for (const e of errors) expect(e.path).toBe('metadata.annotations.serving.knative.dev/rollout-duration');
  });

  it('is checked on Services and Routes, also under its legacy key', () => {
    const s = service({});
    s.metadata.annotations = { 'serving.knative.dev/rolloutDuration': '2.5s' };
    expect(validateService(s)).toEqual([
      { path: 'metadata.annotations.serving.knative.dev/rolloutDuration', message: 'rollout-duration=2.5s is not at second precision' },
    ]);
    const r: Route = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Route',
      metadata: { name: 'r', namespace: 'default', annotations: { 'serving.knative.dev/rollout-duration': '1500ms' } },
      spec: { traffic: [{ revisionName: 'r-00001', percent: 100 }] },
    };
    expect(must(validateRoute(r)[0], 'an error').message).toBe('rollout-duration=1500ms is not at second precision');
  });
});

describe('config-network domain-template and tag-template', () => {
  it('expand their {{.Field}} actions, each as often as it appears, and keep the text between them', () => {
    expect(expandTemplate('{{.Name}}.{{.Namespace}}.{{.Domain}}', { Name: 'hello', Namespace: 'default', Domain: 'example.com' })).toEqual({
      ok: true,
      text: 'hello.default.example.com',
    });
    expect(expandTemplate('{{ .Tag }}-{{.Name}}', { Name: 'hello', Tag: 'v1' })).toEqual({ ok: true, text: 'v1-hello' });
    expect(expandTemplate('x{{.Name}}{{.Name}}y', { Name: 'a' })).toEqual({ ok: true, text: 'xaay' });
    expect(expandTemplate('static.example.com', { Name: 'a' })).toEqual({ ok: true, text: 'static.example.com' });
    // The same template again (it is compiled once) gives the new values.
    expect(expandTemplate('{{.Name}}.{{.Namespace}}.{{.Domain}}', { Name: 'b', Namespace: 'ns', Domain: 'd' })).toEqual({ ok: true, text: 'b.ns.d' });
  });

  it('are refused with an unknown field or an action knsim does not expand, as Knative refuses them', () => {
    expect(expandTemplate('{{.Name}}.{{.Cluster}}.{{.Zone}}', { Name: 'a' })).toEqual({ ok: false, message: "can't evaluate field Cluster" });
    expect(expandTemplate('{{.Name}}.{{ printf "%s" .Domain }}', { Name: 'a', Domain: 'd' })).toEqual({ ok: false, message: 'unsupported template action' });
    expect(errorsOf(parseNetworkConfig({ 'domain-template': '{{.Name}}.{{.Bogus}}' }))).toEqual([
      { path: 'domain-template', message: expect.stringContaining("can't evaluate field Bogus") as string },
    ]);
    expect(parsed(parseNetworkConfig({ 'tag-template': '{{.Name}}-{{.Tag}}' })).tagTemplate).toBe('{{.Name}}-{{.Tag}}');
  });
});
