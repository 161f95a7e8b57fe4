// config-autoscaler / config-deployment parsing and the autoscaling annotation webhook rules,
// after knative/serving pkg/autoscaler/config/config_test.go and
// pkg/apis/autoscaling/annotation_validation_test.go.
import { describe, expect, it } from 'vitest';
import { defaultAutoscalerConfig, parseAutoscalerConfig, type AutoscalerConfig } from '../../src/apis/config/autoscaler.js';
import { parseDeploymentConfig } from '../../src/apis/config/deployment.js';
import { resolveInitialScale, resolvePanicWindowMs, resolveTargets, validateAutoscalingAnnotations } from '../../src/apis/autoscaling-annotations.js';

const A = 'autoscaling.knative.dev/';

describe('parseAutoscalerConfig', () => {
  it('gives Knative defaults for a missing ConfigMap', () => {
    const r = parseAutoscalerConfig(undefined);
    expect(r).toEqual({ config: defaultAutoscalerConfig() });
    const c = (r as { config: AutoscalerConfig }).config;
    expect([
      c.stableWindowMs,
      c.scaleToZeroGracePeriodMs,
      c.targetBurstCapacity,
      c.containerConcurrencyTargetFraction,
      c.maxScaleUpRate,
      c.maxScaleDownRate,
    ]).toEqual([60_000, 30_000, 211, 0.7, 1000, 2]);
  });

  it('reads every key', () => {
    const r = parseAutoscalerConfig({
      'container-concurrency-target-percentage': '80',
      'container-concurrency-target-default': '10',
      'requests-per-second-target-default': '50',
      'target-burst-capacity': '-1',
      'stable-window': '2m',
      'panic-window-percentage': '20',
      'panic-threshold-percentage': '300',
      'max-scale-up-rate': '5',
      'max-scale-down-rate': '3',
      'enable-scale-to-zero': 'false',
      'scale-to-zero-grace-period': '45s',
      'scale-to-zero-pod-retention-period': '1m',
      'scale-down-delay': '10s',
      'activator-capacity': '50',
      'initial-scale': '0',
      'allow-zero-initial-scale': 'true',
      'min-scale': '1',
      'max-scale': '5',
      'max-scale-limit': '10',
      'pod-autoscaler-class': 'hpa.autoscaling.knative.dev',
    });
    expect(r).toEqual({
      config: {
        ...defaultAutoscalerConfig(),
        containerConcurrencyTargetFraction: 0.8,
        containerConcurrencyTargetDefault: 10,
        rpsTargetDefault: 50,
        targetBurstCapacity: -1,
        stableWindowMs: 120_000,
        panicWindowPercentage: 20,
        panicThresholdPercentage: 300,
        maxScaleUpRate: 5,
        maxScaleDownRate: 3,
        enableScaleToZero: false,
        scaleToZeroGracePeriodMs: 45_000,
        scaleToZeroPodRetentionPeriodMs: 60_000,
        scaleDownDelayMs: 10_000,
        activatorCapacity: 50,
        initialScale: 0,
        allowZeroInitialScale: true,
        minScale: 1,
        maxScale: 5,
        maxScaleLimit: 10,
        podAutoscalerClass: 'hpa.autoscaling.knative.dev',
      },
    });
  });

  it('takes a target percentage in (0, 1] as a fraction already', () => {
    expect(
      (parseAutoscalerConfig({ 'container-concurrency-target-percentage': '0.5' }) as { config: AutoscalerConfig }).config.containerConcurrencyTargetFraction,
    ).toBe(0.5);
  });

  const bad: [string, Record<string, string>, string, string][] = [
    [
      'unparsable float',
      { 'max-scale-up-rate': 'fast' },
      'max-scale-up-rate',
      'failed to parse data: failed to parse "max-scale-up-rate": strconv.ParseFloat: parsing "fast": invalid syntax',
    ],
    [
      'unparsable duration',
      { 'stable-window': '60' },
      'stable-window',
      'failed to parse data: failed to parse "stable-window": time: missing unit in duration "60"',
    ],
    ['unparsable bool', { 'enable-scale-to-zero': 'yes' }, 'enable-scale-to-zero', 'failed to parse data: strconv.ParseBool: parsing "yes": invalid syntax'],
    ['grace period 0', { 'scale-to-zero-grace-period': '0s' }, 'scale-to-zero-grace-period', 'scale-to-zero-grace-period must be positive, was: 0s'],
    ['negative scale-down delay', { 'scale-down-delay': '-1s' }, 'scale-down-delay', 'scale-down-delay cannot be negative, was: -1s'],
    [
      'sub-second scale-down delay',
      { 'scale-down-delay': '1.5s' },
      'scale-down-delay',
      'scale-down-delay = 1.5s, must be specified with at most second precision',
    ],
    [
      'TBC -2',
      { 'target-burst-capacity': '-2' },
      'target-burst-capacity',
      'target-burst-capacity must be either non-negative or -1 (for unlimited), was: -2.000000',
    ],
    [
      'target percentage 0',
      { 'container-concurrency-target-percentage': '0' },
      'container-concurrency-target-percentage',
      'container-concurrency-target-percentage = 0.000000 is outside of valid range of (0, 100]',
    ],
    [
      'target percentage 200',
      { 'container-concurrency-target-percentage': '200' },
      'container-concurrency-target-percentage',
      'container-concurrency-target-percentage = 2.000000 is outside of valid range of (0, 100]',
    ],
    [
      'tiny target',
      { 'container-concurrency-target-default': '0.001' },
      'container-concurrency-target-default',
      "container-concurrency-target-percentage and container-concurrency-target-default yield target concurrency of 0.0007, can't be less than 0.01",
    ],
    [
      'rps target',
      { 'requests-per-second-target-default': '0' },
      'requests-per-second-target-default',
      'requests-per-second-target-default must be at least 0.01, was: 0',
    ],
    ['activator capacity', { 'activator-capacity': '0.5' }, 'activator-capacity', 'activator-capacity = 0.5, must be at least 1'],
    ['scale-up rate 1', { 'max-scale-up-rate': '1' }, 'max-scale-up-rate', 'max-scale-up-rate = 1, must be greater than 1.0'],
    ['scale-down rate 1', { 'max-scale-down-rate': '1.0' }, 'max-scale-down-rate', 'max-scale-down-rate = 1, must be greater than 1.0'],
    ['stable window 5s', { 'stable-window': '5s' }, 'stable-window', 'stable-window = 5s, must be in [6s; 1h0m0s] range'],
    ['stable window 2h', { 'stable-window': '2h' }, 'stable-window', 'stable-window = 2h0m0s, must be in [6s; 1h0m0s] range'],
    ['stable window sub-second', { 'stable-window': '61.5s' }, 'stable-window', 'stable-window = 1m1.5s, must be specified with at most second precision'],
    ['panic window 101', { 'panic-window-percentage': '101' }, 'panic-window-percentage', 'panic-window-percentage = 101, must be in [1, 100] interval'],
    [
      'initial scale 0 not allowed',
      { 'initial-scale': '0' },
      'initial-scale',
      'initial-scale = 0, must be at least 0 (or at least 1 when allow-zero-initial-scale is false)',
    ],
    ['negative min scale', { 'min-scale': '-1' }, 'min-scale', 'min-scale = -1, must be at least 0'],
    ['max above limit', { 'max-scale': '11', 'max-scale-limit': '10' }, 'max-scale', 'max-scale = 11, must be in [1, max-scale-limit(10)] range'],
    ['unlimited max with a limit', { 'max-scale-limit': '10' }, 'max-scale', 'max-scale = 0, must be in [1, max-scale-limit(10)] range'],
    ['min above max', { 'min-scale': '3', 'max-scale': '2' }, 'min-scale', 'min-scale (3) must be less than max-scale (2)'],
    [
      'int out of range',
      { 'max-scale': '3000000000' },
      'max-scale',
      'failed to parse data: failed to parse "max-scale": strconv.ParseInt: parsing "3000000000": value out of range',
    ],
  ];
  for (const [name, data, path, message] of bad) {
    it(`rejects ${name} with Knative's message naming the key`, () => {
      expect(parseAutoscalerConfig(data)).toEqual({ errors: [{ path, message }] });
    });
  }
});

describe('parseDeploymentConfig', () => {
  it('defaults progress-deadline to 600s and reads both spellings (kebab-case wins)', () => {
    const skip = ['kind.local', 'ko.local', 'dev.local'];
    expect(parseDeploymentConfig(undefined)).toEqual({ config: { progressDeadlineMs: 600_000, registriesSkippingTagResolving: skip } });
    expect(parseDeploymentConfig({ progressDeadline: '60s', 'progress-deadline': '120s' })).toEqual({
      config: { progressDeadlineMs: 120_000, registriesSkippingTagResolving: skip },
    });
  });
  it('reads registries-skipping-tag-resolving as a trimmed comma list (the legacy spelling first)', () => {
    expect(parseDeploymentConfig({ registriesSkippingTagResolving: 'a.io', 'registries-skipping-tag-resolving': ' ko.local , registry.example.com' })).toEqual({
      config: { progressDeadlineMs: 600_000, registriesSkippingTagResolving: ['ko.local', 'registry.example.com'] },
    });
  });
  it('rejects non-positive and sub-second deadlines', () => {
    expect(parseDeploymentConfig({ 'progress-deadline': '0s' })).toEqual({
      errors: [{ path: 'progress-deadline', message: 'progress-deadline cannot be a non-positive duration, was 0s' }],
    });
    expect(parseDeploymentConfig({ 'progress-deadline': '1.5s' })).toEqual({
      errors: [{ path: 'progress-deadline', message: 'progress-deadline must be rounded to a whole second, was: 1.5s' }],
    });
  });
});

describe('validateAutoscalingAnnotations', () => {
  const cfg = defaultAutoscalerConfig();
  const p = (k: string) => `metadata.annotations.${A}${k}`;
  const rows: [string, Record<string, string>, { path: string; message: string }[], AutoscalerConfig?][] = [
    ['valid set', { [A + 'min-scale']: '1', [A + 'max-scale']: '5', [A + 'target']: '10', [A + 'window']: '30s', [A + 'metric']: 'rps' }, []],
    ['bad class', { [A + 'class']: 'foo.knative.dev' }, [{ path: p('class'), message: 'invalid value: foo.knative.dev' }]],
    // knsim refuses a class Knative would leave to a custom autoscaler (none runs in knsim), with Knative's message.
    ['a custom class is refused', { [A + 'class']: 'example.com/mine' }, [{ path: p('class'), message: 'invalid value: example.com/mine' }]],
    ['negative min-scale', { [A + 'min-scale']: '-1' }, [{ path: p('min-scale'), message: 'expected 0 <= -1 <= 2147483647' }]],
    ['legacy alias min-scale', { [A + 'minScale']: 'x' }, [{ path: p('minScale'), message: 'invalid value: x' }]],
    [
      'max < min',
      { [A + 'min-scale']: '5', [A + 'max-scale']: '2' },
      [{ path: `${p('max-scale')}, ${p('min-scale')}`, message: 'max-scale=2 is less than min-scale=5' }],
    ],
    ['max above limit', { [A + 'max-scale']: '20' }, [{ path: p('max-scale'), message: 'expected 1 <= 20 <= 10' }], { ...cfg, maxScaleLimit: 10 }],
    [
      'unlimited max with limit',
      { [A + 'max-scale']: '0' },
      [{ path: p('max-scale'), message: 'max-scale=0 (unlimited), must be less than 10' }],
      { ...cfg, maxScaleLimit: 10 },
    ],
    [
      'activation below min',
      { [A + 'min-scale']: '3', [A + 'activation-scale']: '2' },
      [{ path: p('activation-scale'), message: 'min-scale=3 is greater than activation-scale=2' }],
    ],
    [
      'activation above max',
      { [A + 'max-scale']: '3', [A + 'activation-scale']: '4' },
      [{ path: p('activation-scale'), message: 'max-scale=3 is less than activation-scale=4' }],
    ],
    ['activation 1', { [A + 'activation-scale']: '1' }, [{ path: p('activation-scale'), message: 'activation-scale=1 must be greater than 1' }]],
    ['panic window 0.5', { [A + 'panic-window-percentage']: '0.5' }, [{ path: p('panic-window-percentage'), message: 'expected 1 <= 0.5 <= 100' }]],
    ['panic threshold 100', { [A + 'panic-threshold-percentage']: '100' }, [{ path: p('panic-threshold-percentage'), message: 'expected 110 <= 100 <= 1000' }]],
    ['target 0', { [A + 'target']: '0' }, [{ path: p('target'), message: 'target 0 should be at least 0.01' }]],
    ['utilization 0', { [A + 'target-utilization-percentage']: '0' }, [{ path: p('target-utilization-percentage'), message: 'expected 1 <= 0 <= 100' }]],
    ['tbc -2', { [A + 'target-burst-capacity']: '-2' }, [{ path: p('target-burst-capacity'), message: 'invalid value: -2' }]],
    ['window 5s', { [A + 'window']: '5s' }, [{ path: p('window'), message: 'expected 6s <= 5s <= 1h0m0s' }]],
    ['window sub-second', { [A + 'window']: '6500ms' }, [{ path: p('window'), message: 'must be specified with at most second precision' }]],
    [
      'retention 2h',
      { [A + 'scale-to-zero-pod-retention-period']: '2h' },
      [{ path: p('scale-to-zero-pod-retention-period'), message: 'expected 0s <= 2h <= 1h0m0s' }],
    ],
    ['scale-down delay bad', { [A + 'scale-down-delay']: 'soon' }, [{ path: p('scale-down-delay'), message: 'invalid value: soon' }]],
    ['metric cpu on KPA', { [A + 'metric']: 'cpu' }, [{ path: p('metric'), message: 'invalid value: cpu' }]],
    ['metric cpu on HPA', { [A + 'class']: 'hpa.autoscaling.knative.dev', [A + 'metric']: 'cpu' }, []],
    // validateMetric per class: KPA takes concurrency and rps; HPA any non-empty name; the class
    // annotation wins, else config-autoscaler's pod-autoscaler-class.
    ['metric memory on HPA', { [A + 'class']: 'hpa.autoscaling.knative.dev', [A + 'metric']: 'memory' }, []],
    ['metric concurrency on HPA (a custom metric)', { [A + 'class']: 'hpa.autoscaling.knative.dev', [A + 'metric']: 'concurrency' }, []],
    ['empty metric on HPA', { [A + 'class']: 'hpa.autoscaling.knative.dev', [A + 'metric']: '' }, [{ path: p('metric'), message: 'invalid value: ' }]],
    ['metric rps on KPA', { [A + 'class']: 'kpa.autoscaling.knative.dev', [A + 'metric']: 'rps' }, []],
    [
      'metric memory on KPA',
      { [A + 'class']: 'kpa.autoscaling.knative.dev', [A + 'metric']: 'memory' },
      [{ path: p('metric'), message: 'invalid value: memory' }],
    ],
    ['metric cpu with HPA as the cluster default', { [A + 'metric']: 'cpu' }, [], { ...cfg, podAutoscalerClass: 'hpa.autoscaling.knative.dev' }],
    [
      'metric cpu with an explicit KPA class over an HPA default',
      { [A + 'class']: 'kpa.autoscaling.knative.dev', [A + 'metric']: 'cpu' },
      [{ path: p('metric'), message: 'invalid value: cpu' }],
      { ...cfg, podAutoscalerClass: 'hpa.autoscaling.knative.dev' },
    ],
    ['algorithm unchecked for HPA', { [A + 'class']: 'hpa.autoscaling.knative.dev', [A + 'metric-aggregation-algorithm']: 'median' }, []],
    [
      'bad algorithm with KPA class',
      { [A + 'class']: 'kpa.autoscaling.knative.dev', [A + 'metric-aggregation-algorithm']: 'median' },
      [{ path: p('metric-aggregation-algorithm'), message: 'invalid value: median' }],
    ],
    ['algorithm unchecked without class', { [A + 'metric-aggregation-algorithm']: 'median' }, []],
    ['initial scale 0 not allowed', { [A + 'initial-scale']: '0' }, [{ path: `${p('initial-scale')}=0 not allowed by cluster`, message: 'invalid value: 0' }]],
    ['initial scale 0 allowed', { [A + 'initial-scale']: '0' }, [], { ...cfg, allowZeroInitialScale: true }],
    [
      'progress deadline sub-second',
      { 'serving.knative.dev/progress-deadline': '1.5s' },
      [{ path: 'metadata.annotations.serving.knative.dev/progress-deadline', message: 'progress-deadline=1.5s is not at second precision' }],
    ],
  ];
  for (const [name, annotations, want, config] of rows) {
    it(`${name}`, () => {
      expect(validateAutoscalingAnnotations(annotations, config ?? cfg)).toEqual(want);
    });
  }
});

describe('target resolution (target.go) and windows', () => {
  const cfg = defaultAutoscalerConfig();
  it('resolves the documented defaults', () => {
    expect(resolveTargets({ annotations: {} }, cfg)).toEqual({ metric: 'concurrency', target: 70, total: 100 });
    expect(resolveTargets({ annotations: {}, containerConcurrency: 10 }, cfg)).toEqual({ metric: 'concurrency', target: 7, total: 10 });
    expect(resolveTargets({ annotations: { [A + 'metric']: 'rps' } }, cfg)).toEqual({ metric: 'rps', target: 140, total: 200 });
  });
  it('caps a target annotation at containerConcurrency and applies the utilization annotation', () => {
    expect(resolveTargets({ annotations: { [A + 'target']: '50' }, containerConcurrency: 10 }, cfg)).toEqual({ metric: 'concurrency', target: 7, total: 10 });
    expect(resolveTargets({ annotations: { [A + 'target']: '50', [A + 'target-utilization-percentage']: '100' } }, cfg)).toEqual({
      metric: 'concurrency',
      target: 50,
      total: 50,
    });
    expect(resolveTargets({ annotations: { [A + 'target']: '0.001' } }, cfg).target).toBe(0.01);
  });
  it('rounds the panic window to the second, at least 1s', () => {
    expect(resolvePanicWindowMs({}, cfg)).toBe(6000);
    expect(resolvePanicWindowMs({ [A + 'panic-window-percentage']: '51' }, cfg)).toBe(31_000);
    expect(resolvePanicWindowMs({ [A + 'window']: '10s' }, cfg)).toBe(1000);
    expect(resolvePanicWindowMs({ [A + 'window']: '6s', [A + 'panic-window-percentage']: '1' }, cfg)).toBe(1000);
  });
  it('falls back to the config initial scale for a disallowed 0', () => {
    expect(resolveInitialScale({ [A + 'initial-scale']: '0' }, cfg)).toBe(1);
    expect(resolveInitialScale({ [A + 'initialScale']: '3' }, cfg)).toBe(3);
  });
});
