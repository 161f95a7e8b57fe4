/**
 * The decider's inputs for users of the library: the decider spec Knative builds for a revision
 * from `config-autoscaler` and the revision's annotations, and Knative's metric windows, so a
 * property test or a worked example from Knative's issues can drive knsim's own decider and
 * windows without restating a rule. Both are thin entries to the code the simulation runs:
 * `makeDeciderSpec` builds a PodAutoscaler as the revision reconciler would and calls the
 * reconciler's own builder; `createMetricWindow` returns the collector's own windows.
 *
 * Fidelity: mirrors knative/serving `pkg/reconciler/autoscaling/kpa/resources/decider.go`
 * (MakeDecider) and `pkg/autoscaler/aggregation/bucketing.go` (the windows).
 */
import { defaultAutoscalerConfig, parseAutoscalerConfig, type AutoscalerConfig } from '../apis/config/autoscaler.js';
import type { PodAutoscaler } from '../apis/serving-types.js';
import { TimedFloat64Buckets, WeightedFloat64Buckets } from './aggregation/bucketing.js';
import type { DeciderSpec } from './decider.js';
import { makeDeciderSpec as makeSpecForPa } from './kpa/resources.js';

/** `config-autoscaler` as parsed config, or as ConfigMap data (`{'stable-window': '30s'}`), or nothing for Knative's defaults. */
export type AutoscalerConfigInput = AutoscalerConfig | Readonly<Record<string, string>> | undefined;

/** Knative's config-autoscaler; throws Knative's message for data Knative would reject. */
export function autoscalerConfigOf(config: AutoscalerConfigInput): AutoscalerConfig {
  if (config === undefined) return defaultAutoscalerConfig();
  if (isParsed(config)) return config;
  const parsed = parseAutoscalerConfig({ ...config });
  if ('errors' in parsed) throw new Error(`config-autoscaler: ${parsed.errors.map((e) => e.message).join('; ')}`);
  return parsed.config;
}

function isParsed(config: AutoscalerConfig | Readonly<Record<string, string>>): config is AutoscalerConfig {
  return typeof (config as { stableWindowMs?: unknown }).stableWindowMs === 'number';
}

/**
 * The decider spec of a revision, as Knative's MakeDecider builds it from the PodAutoscaler
 * (which carries the revision's annotations and containerConcurrency).
 * Example: defaults and no annotations → concurrency target 70 of a total 100, TBC 211, panic
 * threshold 2, stable window 60s; `{'autoscaling.knative.dev/window': '20s'}` → stable window 20s.
 */
export function makeDeciderSpec(
  config?: AutoscalerConfigInput,
  annotations: Readonly<Record<string, string>> = {},
  options: { containerConcurrency?: number; reachable?: boolean } = {},
): DeciderSpec {
  const pa: PodAutoscaler = {
    apiVersion: 'autoscaling.internal.knative.dev/v1alpha1',
    kind: 'PodAutoscaler',
    metadata: { name: 'revision', annotations: { ...annotations } },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'revision-deployment' },
      ...(options.containerConcurrency !== undefined ? { containerConcurrency: options.containerConcurrency } : {}),
      reachability: options.reachable === false ? 'Unreachable' : 'Reachable',
      protocolType: 'http1',
    },
  };
  return makeSpecForPa(pa, autoscalerConfigOf(config));
}

/** One of Knative's metric windows: values recorded per 1 s bucket, averaged over the window. */
export interface MetricWindow {
  /** Adds `value` to the bucket of `nowMs` (values in the same bucket add up). */
  record(nowMs: number, value: number): void;
  /** The window's average at `nowMs` (linear: over the buckets since the first write, as Knative's). */
  windowAverage(nowMs: number): number;
  /** True when nothing was written within the window before `nowMs`. */
  isEmpty(nowMs: number): boolean;
  /** Changes the window's length, keeping the newest buckets that fit. */
  resizeWindow(windowMs: number, nowMs: number): void;
}

/**
 * Knative's time-bucketed window (`linear`, the default, or `weighted-exponential`).
 * Example (5 s linear window): records 1, 2, 3, 4, 5 at 0..4 s → 3 at 4 s; at 6 s the two
 * silent seconds shrink the window: (15 − 1 − 2) / 3 = 4; at 10 s → 0.
 */
export function createMetricWindow(options: { windowMs: number; granularityMs?: number; algorithm?: 'linear' | 'weighted-exponential' }): MetricWindow {
  const granularityMs = options.granularityMs ?? 1000;
  return options.algorithm === 'weighted-exponential'
    ? new WeightedFloat64Buckets(options.windowMs, granularityMs)
    : new TimedFloat64Buckets(options.windowMs, granularityMs);
}
