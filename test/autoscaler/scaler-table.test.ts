// The scale-to-zero table of knative/serving pkg/reconciler/autoscaling/kpa/scaler_test.go
// (TestScaler, TestDisableScaleToZero), row by row against the pure `computeScale`. Each row
// keeps Knative's label. Knative's expectations map onto knsim's outcome as:
// - wantReplicas → `want`;
// - wantScaling  → `apply` and want ≠ startReplicas (Knative patches only a changed scale);
// - wantCBCount  → a requeue (`requeueAfterMs`) was asked for;
// - Knative's activator probe succeeds by default; knsim's probe is the SKS condition
//   ActivatorEndpointsPopulated, so the default SKS has it True (for 0 s), and the rows with a
//   failing prober give an SKS without it.
import { describe, expect, it } from 'vitest';
import { initializeConditions, mark } from '../../src/apis/conditions.js';
import { parseAutoscalerConfig, type AutoscalerConfig } from '../../src/apis/config/autoscaler.js';
import { parseDeploymentConfig, type DeploymentConfig } from '../../src/apis/config/deployment.js';
import type { Condition } from '../../src/apis/meta.js';
import type { PodAutoscaler, PodAutoscalerReachability, ServerlessService } from '../../src/apis/serving-types.js';
import { computeScale, PA_CONDITIONS, SKS_CONDITIONS } from '../../src/autoscaler/index.js';

// kpa_test.go's constants and defaultConfigMapData().
const GRACE_MS = 60_000;
const PA_STABLE_WINDOW = '45s';
const PA_STABLE_WINDOW_MS = 45_000;
const PROGRESS_DEADLINE_MS = 121_000;
const STABLE_WINDOW_MS = 300_000;
const ACTIVATION_TIMEOUT_MS = PROGRESS_DEADLINE_MS + 30_000;
const NOW = 10_000_000;

function config(over: Record<string, string> = {}): { autoscaler: AutoscalerConfig; deployment: DeploymentConfig } {
  const as = parseAutoscalerConfig({
    'max-scale-up-rate': '12.0',
    'container-concurrency-target-percentage': '0.5',
    'container-concurrency-target-default': '10',
    'stable-window': '5m',
    'panic-window': '10s',
    'scale-to-zero-grace-period': '60s',
    'tick-interval': '2s',
    'min-scale': '0',
    'target-burst-capacity': '200',
    ...over,
  });
  const dep = parseDeploymentConfig({ 'progress-deadline': '121s' });
  if (!('config' in as) || !('config' in dep)) throw new Error('test configuration does not parse');
  return { autoscaler: as.config, deployment: dep.config };
}

type PaOption = (pa: PodAutoscaler) => void;

/** newKPA: MakePA of a revision with min/max annotations, conditions initialized now. */
function kpa(minScale: number, maxScale: number, ...options: PaOption[]): PodAutoscaler {
  const annotations: Record<string, string> = {};
  if (minScale > 0) annotations['autoscaling.knative.dev/min-scale'] = String(minScale);
  if (maxScale > 0) annotations['autoscaling.knative.dev/max-scale'] = String(maxScale);
  const conditions: Condition[] = [];
  initializeConditions(PA_CONDITIONS, conditions, NOW);
  const pa: PodAutoscaler = {
    apiVersion: 'autoscaling.internal.knative.dev/v1alpha1',
    kind: 'PodAutoscaler',
    metadata: { name: 'test-revision', namespace: 'test-namespace', annotations },
    spec: {
      containerConcurrency: 0,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'test-revision-deployment' },
      protocolType: 'http1',
      reachability: '',
    },
    status: { conditions },
  };
  for (const o of options) o(pa);
  return pa;
}

/** paMarkActive / paMarkInactive / paMarkActivating: mark Active, then set its lastTransitionTime `agoMs` before now. */
function active(status: 'True' | 'False' | 'Unknown', agoMs: number): PaOption {
  return (pa) => {
    const conditions = pa.status?.conditions as Condition[];
    mark(PA_CONDITIONS, conditions, 'Active', status, NOW);
    const c = conditions.find((x) => x.type === 'Active') as Condition;
    c.lastTransitionTime = NOW - agoMs;
  };
}
const annotate =
  (key: string, value: string): PaOption =>
  (pa) =>
    void ((pa.metadata.annotations ??= {})[key] = value);
const reachability =
  (r: PodAutoscalerReachability): PaOption =>
  (pa) =>
    void (pa.spec.reachability = r);
const initialized: PaOption = (pa) => mark(PA_CONDITIONS, pa.status?.conditions as Condition[], 'ScaleTargetInitialized', 'True', NOW);

/** sks("ns", "name"): Serve mode; the activator endpoints populated `proxyForMs` ago, or not at all (a failing probe). */
function sks(options: { mode?: 'Serve' | 'Proxy'; proxyForMs?: number | null } = {}): ServerlessService {
  const conditions: Condition[] = [];
  initializeConditions(SKS_CONDITIONS, conditions, NOW);
  // markSKSInProxyFor: ActivatorEndpointsPopulated True since `proxyForMs` ago.
  if (options.proxyForMs !== null) mark(SKS_CONDITIONS, conditions, 'ActivatorEndpointsPopulated', 'True', NOW - (options.proxyForMs ?? 0));
  return {
    apiVersion: 'networking.internal.knative.dev/v1alpha1',
    kind: 'ServerlessService',
    metadata: { name: 'name', namespace: 'ns' },
    spec: {
      mode: options.mode ?? 'Serve',
      objectRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'test-revision-deployment' },
      protocolType: 'http1',
      numActivators: 2,
    },
    status: { conditions },
  };
}

interface Row {
  label: string;
  startReplicas: number;
  scaleTo: number;
  minScale?: number;
  maxScale?: number;
  wantReplicas: number;
  wantScaling: boolean;
  pa?: PaOption[];
  sks?: { mode?: 'Serve' | 'Proxy'; proxyForMs?: number | null };
  config?: Record<string, string>;
  wantCBCount?: 0 | 1;
}

const TEST_SCALER: Row[] = [
  {
    label: 'waits to scale to zero (just before idle period)',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 1,
    wantScaling: false,
    pa: [active('True', STABLE_WINDOW_MS - 1000)],
    wantCBCount: 1,
  },
  {
    label: 'waits to scale to zero (just before idle period), custom PA window',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 1,
    wantScaling: false,
    pa: [annotate('autoscaling.knative.dev/window', PA_STABLE_WINDOW), active('True', PA_STABLE_WINDOW_MS - 1000)],
    wantCBCount: 1,
  },
  {
    label: 'custom PA window, check for standard window, no probe',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: false,
    pa: [annotate('autoscaling.knative.dev/window', PA_STABLE_WINDOW), active('True', STABLE_WINDOW_MS)],
  },
  {
    label: 'scale to 1 waiting for idle expires',
    startReplicas: 10,
    scaleTo: 0,
    wantReplicas: 1,
    wantScaling: true,
    pa: [active('True', STABLE_WINDOW_MS - 1000)],
    wantCBCount: 1,
  },
  {
    label: 'waits to scale to zero after idle period',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: false,
    pa: [active('True', STABLE_WINDOW_MS)],
  },
  {
    label: 'waits to scale to zero after idle period; sks in proxy mode',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: false,
    pa: [active('True', STABLE_WINDOW_MS)],
    sks: { mode: 'Proxy' },
    wantCBCount: 1,
  },
  {
    label: 'waits to scale to zero after idle period (custom PA window)',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: false,
    pa: [annotate('autoscaling.knative.dev/window', PA_STABLE_WINDOW), active('True', PA_STABLE_WINDOW_MS)],
  },
  {
    label: 'can scale to zero after grace period, but 0 PA retention',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: true,
    pa: [active('False', GRACE_MS), annotate('autoscaling.knative.dev/scale-to-zero-pod-retention-period', '0')],
    config: { 'scale-to-zero-pod-retention-period': '2m' },
  },
  {
    label: "can't scale to zero after grace period, but before last pod retention",
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: false,
    pa: [active('False', GRACE_MS)],
    config: { 'scale-to-zero-pod-retention-period': '2m' },
    wantCBCount: 1,
  },
  {
    label: "can't scale to zero after grace period, but before last pod retention, pa defined",
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: false,
    pa: [active('False', GRACE_MS), annotate('autoscaling.knative.dev/scale-to-zero-pod-retention-period', '2m0s')],
    config: { 'scale-to-zero-pod-retention-period': '0s' },
    wantCBCount: 1,
  },
  {
    label: 'scale to zero after grace period, and after last pod retention',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: true,
    pa: [active('False', GRACE_MS)],
    config: { 'scale-to-zero-pod-retention-period': '60s' },
  },
  { label: 'scale to zero after grace period', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, pa: [active('False', GRACE_MS)] },
  {
    label: 'waits to scale to zero (just before grace period)',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: false,
    pa: [active('False', GRACE_MS - 1000)],
    wantCBCount: 1,
  },
  {
    label: 'waits to scale to zero (just before grace period, sks short)',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: false,
    pa: [active('False', GRACE_MS - 1000)],
    sks: { proxyForMs: GRACE_MS - 1000 },
    wantCBCount: 1,
  },
  {
    label: 'waits to scale to zero (just before grace period, sks in proxy long) and last pod timeout positive',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: true,
    pa: [active('False', GRACE_MS - 1000)],
    config: { 'scale-to-zero-pod-retention-period': '42s' },
    sks: { proxyForMs: GRACE_MS },
  },
  {
    label: 'waits to scale to zero (just before grace period, sks in proxy long)',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: true,
    pa: [active('False', GRACE_MS - 1000)],
    sks: { proxyForMs: GRACE_MS },
  },
  {
    label: 'scale to zero with TBC=-1',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: true,
    pa: [annotate('autoscaling.knative.dev/target-burst-capacity', '-1'), active('False', GRACE_MS)],
    sks: { proxyForMs: null },
  },
  {
    label: 'scale to zero after grace period, but fail prober',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: false,
    pa: [active('False', GRACE_MS)],
    sks: { proxyForMs: null },
    wantCBCount: 1,
  },
  {
    label: 'waits to scale to zero while activating until after deadline exceeded',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: -1,
    wantScaling: false,
    pa: [active('Unknown', ACTIVATION_TIMEOUT_MS / 2)],
    wantCBCount: 1,
  },
  {
    label: 'scale to zero while activating after deadline exceeded',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: true,
    pa: [active('Unknown', ACTIVATION_TIMEOUT_MS + 1000)],
  },
  {
    label: 'scale to zero while activating after revision deadline exceeded',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: true,
    pa: [annotate('serving.knative.dev/progress-deadline', '5s'), active('Unknown', 5000 + 30_000 + 1000)],
  },
  {
    label: 'scale down to minScale before grace period',
    startReplicas: 10,
    scaleTo: 0,
    minScale: 2,
    wantReplicas: 2,
    wantScaling: true,
    pa: [active('False', GRACE_MS - 1000), reachability('Reachable')],
  },
  {
    label: 'scale down to minScale after grace period',
    startReplicas: 10,
    scaleTo: 0,
    minScale: 2,
    wantReplicas: 2,
    wantScaling: true,
    pa: [active('False', GRACE_MS), reachability('Reachable')],
  },
  {
    label: 'scale to zero ignore last pod retention if  revision is unreachable',
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: true,
    pa: [active('False', GRACE_MS), reachability('Unreachable')],
    config: { 'scale-to-zero-pod-retention-period': '10m' },
  },
  {
    label: "can't scale to zero if revision is unreachable, but before deadline",
    startReplicas: 1,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: false,
    pa: [active('False', GRACE_MS - 1000), reachability('Unreachable')],
    config: { 'scale-to-zero-pod-retention-period': '10m' },
    wantCBCount: 1,
  },
  {
    label: 'ignore minScale if unreachable',
    startReplicas: 10,
    scaleTo: 0,
    minScale: 2,
    wantReplicas: 0,
    wantScaling: true,
    pa: [active('False', GRACE_MS), reachability('Unreachable')],
  },
  {
    label: 'observe minScale if reachability unknown',
    startReplicas: 10,
    scaleTo: 0,
    minScale: 2,
    wantReplicas: 2,
    wantScaling: true,
    pa: [active('False', GRACE_MS), reachability('')],
  },
  { label: 'scales up', startReplicas: 1, scaleTo: 10, wantReplicas: 10, wantScaling: true },
  { label: 'scales up to maxScale', startReplicas: 1, scaleTo: 10, maxScale: 8, wantReplicas: 8, wantScaling: true },
  { label: 'scale up inactive revision', startReplicas: 1, scaleTo: 10, wantReplicas: 10, wantScaling: true, pa: [active('False', GRACE_MS / 2)] },
  { label: 'does not scale up from zero with no metrics', startReplicas: 0, scaleTo: -1, wantReplicas: -1, wantScaling: false, pa: [active('False', 0)] },
  { label: 'scales up from zero to desired one', startReplicas: 0, scaleTo: 1, wantReplicas: 1, wantScaling: true },
  { label: 'scales up from zero to desired high scale', startReplicas: 0, scaleTo: 10, wantReplicas: 10, wantScaling: true },
  { label: 'negative scale does not scale', startReplicas: 12, scaleTo: -1, wantReplicas: -1, wantScaling: false, pa: [active('True', 0)] },
  {
    label: 'initial scale attained, but now time to scale down',
    startReplicas: 2,
    scaleTo: 0,
    wantReplicas: 1,
    wantScaling: true,
    wantCBCount: 1,
    pa: [active('True', 120_000), initialized, annotate('autoscaling.knative.dev/initial-scale', '2')],
  },
  {
    label: "haven't scaled to initial scale, override desired scale with initial scale",
    startReplicas: 0,
    scaleTo: 1,
    wantReplicas: 2,
    wantScaling: true,
    pa: [active('Unknown', 0), annotate('autoscaling.knative.dev/initial-scale', '2')],
  },
  {
    label: 'initial scale reached for the first time',
    startReplicas: 5,
    scaleTo: 1,
    wantReplicas: 5,
    wantScaling: false,
    pa: [active('Unknown', 0), annotate('autoscaling.knative.dev/initial-scale', '5')],
  },
  {
    label: 'reaching initial scale zero',
    startReplicas: 0,
    scaleTo: 0,
    wantReplicas: 0,
    wantScaling: false,
    wantCBCount: 1,
    pa: [active('False', 0), annotate('autoscaling.knative.dev/initial-scale', '0')],
    config: { 'allow-zero-initial-scale': 'true' },
  },
  {
    label: 'unreachable revision with initialScale > 1 can scale to 0',
    startReplicas: 2,
    scaleTo: 0,
    wantReplicas: 1,
    wantScaling: true,
    wantCBCount: 1,
    pa: [active('True', 120_000), annotate('autoscaling.knative.dev/initial-scale', '2'), reachability('Unreachable')],
  },
];

const TEST_DISABLE_SCALE_TO_ZERO: Row[] = [
  { label: 'EnableScaleToZero == false and minScale == 0', startReplicas: 10, scaleTo: 0, wantReplicas: 1, wantScaling: true },
  { label: 'EnableScaleToZero == false and minScale == 2', startReplicas: 10, scaleTo: 0, minScale: 2, wantReplicas: 2, wantScaling: true },
  { label: 'EnableScaleToZero == false and desire pod is -1(initial value)', startReplicas: 10, scaleTo: -1, wantReplicas: -1, wantScaling: false },
].map((row) => ({ ...row, pa: [active('True', 0), reachability('Reachable')], config: { 'enable-scale-to-zero': 'false' } }));

function run(row: Row): void {
  const cfg = config(row.config);
  const outcome = computeScale({
    nowMs: NOW,
    pa: kpa(row.minScale ?? 0, row.maxScale ?? 0, ...(row.pa ?? [])),
    sks: sks(row.sks),
    desiredScale: row.scaleTo,
    autoscalerConfig: cfg.autoscaler,
    deploymentConfig: cfg.deployment,
  });
  expect(outcome.want, `phase ${outcome.phase}`).toBe(row.wantReplicas);
  expect(outcome.apply && outcome.want !== row.startReplicas, `phase ${outcome.phase}`).toBe(row.wantScaling);
  expect(outcome.requeueAfterMs === undefined ? 0 : 1, `phase ${outcome.phase}`).toBe(row.wantCBCount ?? 0);
}

describe('computeScale (scaler_test.go)', () => {
  describe('TestScaler', () => {
    it.each(TEST_SCALER.map((r) => [r.label, r] as const))('%s', (_label, row) => run(row));
  });
  describe('TestDisableScaleToZero', () => {
    it.each(TEST_DISABLE_SCALE_TO_ZERO.map((r) => [r.label, r] as const))('%s', (_label, row) => run(row));
  });
});
