/**
 * The key tree of the scenario format: which keys are allowed where. The loader checks
 * unknown keys against it (with a did-you-mean over the keys allowed at that place),
 * `--set` paths are checked against it, and a test keeps it equal to the JSON Schema in
 * schema/scenario.schema.json, so the three never drift apart.
 * Fidelity: structure only; value types and ranges are checked by the loader.
 */
import { CONFIG_MAP_NAMES } from './types.js';

export type Shape = MapShape | DictShape | ListShape | ValueShape | EitherShape;
/** A mapping with a fixed set of keys. */
export interface MapShape {
  kind: 'map';
  keys: Record<string, Shape>;
}
/** A mapping with free keys (images, ConfigMap data, percentiles), each value of one shape. */
export interface DictShape {
  kind: 'dict';
  value: Shape;
}
export interface ListShape {
  kind: 'list';
  item: Shape;
}
export interface ValueShape {
  kind: 'value';
}
/** Either of several shapes, e.g. a duration string or a distribution mapping. */
export interface EitherShape {
  kind: 'either';
  options: Shape[];
}

const value: ValueShape = { kind: 'value' };
const map = (keys: Record<string, Shape>): MapShape => ({ kind: 'map', keys });
const dict = (v: Shape): DictShape => ({ kind: 'dict', value: v });
const list = (item: Shape): ListShape => ({ kind: 'list', item });
const either = (...options: Shape[]): EitherShape => ({ kind: 'either', options });

// The sub-shapes the loader reads a mapping against are named, so it needs no digging.

/** `{distribution, …params}`, the mapping form of a distribution. */
export const DISTRIBUTION_MAP_SHAPE = map({
  distribution: value,
  value,
  mean: value,
  median: value,
  p99: value,
  mu: value,
  sigma: value,
  min: value,
  max: value,
  percentiles: dict(value),
});
/** A bare duration (constant) or the mapping form. */
const DISTRIBUTION_SHAPE = either(value, DISTRIBUTION_MAP_SHAPE);

export const BOUND_SHAPE = either(value, map({ equals: value, min: value, max: value, value, tolerance: value }));

export const TARGET_MAP_SHAPE = map({ host: value, service: value, tag: value, namespace: value, fromCluster: value });
const TARGET_SHAPE = either(value, TARGET_MAP_SHAPE);

/** `{file: path}`, in `config:` lists and `apply:`. */
export const FILE_REF_SHAPE = map({ file: value });

/** One entry of `cluster.nodes` when it is a list. */
export const NODE_SHAPE = map({ name: value, cpu: value, memory: value, count: value });
/** One image under `cluster.coldStart.imagePull.images`. */
export const PULL_IMAGE_SHAPE = map({ size: value, time: value });
export const IMAGE_PULL_SHAPE = map({ base: value, bandwidth: value, unpackRate: value, defaultSize: value, serialize: value, images: dict(PULL_IMAGE_SHAPE) });
export const COLD_START_SHAPE = map({
  imagePull: IMAGE_PULL_SHAPE,
  sandbox: value,
  containerStart: value,
  readinessProbePeriod: value,
  jitter: value,
});

export const CLUSTER_SHAPE = map({
  nodes: either(value, list(NODE_SHAPE)),
  coldStart: COLD_START_SHAPE,
  apiLatency: value,
  routePropagation: value,
  missingImages: list(value),
  activators: value,
});

const configByName: Record<string, Shape> = {};
for (const name of CONFIG_MAP_NAMES) configByName[name] = dict(value);
export const CONFIG_SHAPE = either(map(configByName), list(either(value, FILE_REF_SHAPE)));

/** `apps.<image>.failure` and its parts. */
export const CRASH_SHAPE = map({ after: DISTRIBUTION_SHAPE, afterRequests: value, rate: value });
export const FLAP_SHAPE = map({ ready: DISTRIBUTION_SHAPE, unready: DISTRIBUTION_SHAPE });
export const HANG_SHAPE = map({ after: DISTRIBUTION_SHAPE });
export const FAILURE_SHAPE = map({ crash: CRASH_SHAPE, exitCode: value, message: value, startupFailures: value, readinessFlap: FLAP_SHAPE, hang: HANG_SHAPE });

export const APP_SHAPE = map({
  serviceTime: DISTRIBUTION_SHAPE,
  errorRate: value,
  startupDelay: value,
  imageSize: value,
  firstByte: DISTRIBUTION_SHAPE,
  streamInterval: value,
  failure: FAILURE_SHAPE,
  cpuPerRequest: value,
  idleCpu: value,
  memoryPerRequest: value,
  baseMemory: value,
});

/** The mapping form of `delete:`. */
export const DELETE_SHAPE = map({ kind: value, name: value, namespace: value });

export const ACTION_SHAPE = map({
  at: value,
  apply: either(value, FILE_REF_SHAPE),
  kn: value,
  kubectl: value,
  delete: either(value, DELETE_SHAPE),
  note: value,
  expectError: value,
});

export const TRACE_SHAPE = map({
  format: value,
  invocations: value,
  durations: value,
  functions: either(value, list(value)),
  spread: value,
  minutes: list(value),
  timeScale: value,
  targets: either(TARGET_SHAPE, list(TARGET_SHAPE)),
});

/** One entry of a step pattern's `steps`. */
export const STEP_SHAPE = map({ at: value, rate: value });
/** A burst pattern's `spike`. */
export const SPIKE_SHAPE = map({ at: value, duration: value, rate: value, count: value });

export const WORKLOAD_SHAPE = map({
  name: value,
  target: TARGET_SHAPE,
  from: value,
  to: value,
  pattern: value,
  rate: value,
  startRate: value,
  endRate: value,
  steps: list(STEP_SHAPE),
  base: value,
  spike: SPIKE_SHAPE,
  mean: value,
  amplitude: value,
  period: value,
  phase: value,
  users: value,
  thinkTime: DISTRIBUTION_SHAPE,
  trace: TRACE_SHAPE,
});

/** An expectation's `over: {from, to}` window. */
export const OVER_SHAPE = map({ from: value, to: value });
export const REQUESTS_CHECK_SHAPE = map({ status: value, count: BOUND_SHAPE, min: value, max: value, ratio: BOUND_SHAPE });
export const LATENCY_CHECK_SHAPE = map({ p: value, min: value, max: value });

export const EXPECT_SHAPE = map({
  at: value,
  over: OVER_SHAPE,
  description: value,
  revision: value,
  service: value,
  namespace: value,
  readyPods: BOUND_SHAPE,
  desiredScale: BOUND_SHAPE,
  panic: value,
  sksMode: value,
  requests: REQUESTS_CHECK_SHAPE,
  latency: LATENCY_CHECK_SHAPE,
  coldStarts: BOUND_SHAPE,
  trafficShare: BOUND_SHAPE,
});

/** One `vary:` entry: a range or choices. */
export const VARY_SHAPE = map({ min: value, max: value, step: value, choices: list(value) });

/** `limits:`: raises or lowers the bounds a scenario is checked against (load/limits.ts). */
export const LIMITS_SHAPE = map({
  maxDuration: value,
  maxTimelineActions: value,
  maxObjects: value,
  maxRequests: value,
  maxRunTime: value,
  maxUsers: value,
  maxWorkloads: value,
  maxExpectations: value,
  maxPods: value,
  maxTraceRows: value,
  maxFileSize: value,
  maxYamlSize: value,
  maxAliasCount: value,
});

export const SCENARIO_SHAPE = map({
  name: value,
  description: value,
  seed: value,
  duration: value,
  cluster: CLUSTER_SHAPE,
  config: CONFIG_SHAPE,
  apps: dict(APP_SHAPE),
  timeline: list(ACTION_SHAPE),
  traffic: list(WORKLOAD_SHAPE),
  expect: list(EXPECT_SHAPE),
  invariants: list(value),
  vary: dict(VARY_SHAPE),
  limits: LIMITS_SHAPE,
});

/** The fixed keys of a map shape (the first map option of an `either`), for did-you-mean. */
export function keysOf(shape: Shape): string[] {
  if (shape.kind === 'map') return Object.keys(shape.keys);
  if (shape.kind === 'either') for (const o of shape.options) if (o.kind === 'map') return Object.keys(o.keys);
  return [];
}

/**
 * Follows a path of keys and list indices through a shape. Returns the shapes reachable
 * at the end (several when an `either` allows different readings), or, when a segment is
 * not allowed, its index and the keys that would have been.
 * Example: `['config', 'config-autoscaler', 'stable-window']` reaches a value;
 * `['cluster', 'nodez']` fails at 1 with keys `nodes, coldStart, …`.
 */
export function followPath(
  shape: Shape,
  path: readonly (string | number)[],
): { ok: true; shapes: Shape[] } | { ok: false; failedAt: number; allowed: string[] } {
  let current: Shape[] = [shape];
  for (const [i, seg] of path.entries()) {
    const next: Shape[] = [];
    const allowed: string[] = [];
    const visit = (s: Shape): void => {
      if (s.kind === 'either') {
        for (const o of s.options) visit(o);
      } else if (s.kind === 'map') {
        const child = typeof seg === 'string' && Object.prototype.hasOwnProperty.call(s.keys, seg) ? s.keys[seg] : undefined;
        if (child !== undefined) next.push(child);
        else allowed.push(...Object.keys(s.keys));
      } else if (s.kind === 'dict') {
        if (typeof seg === 'string') next.push(s.value);
      } else if (s.kind === 'list') {
        if (typeof seg === 'number' || /^\d+$/.test(seg)) next.push(s.item);
      }
    };
    for (const s of current) visit(s);
    if (next.length === 0) return { ok: false, failedAt: i, allowed };
    current = next;
  }
  return { ok: true, shapes: current };
}
