/**
 * The scenario loader: YAML text in, a checked and normalized `Scenario` out, or every
 * problem at once as diagnostics with file, line and column. File contents come only
 * through the injected `readFile`, so the loader stays pure and testable; the CLI passes fs.
 * Fidelity: manifests are defaulted and validated with Knative's own rules
 * (src/apis/serving-validation.ts) and ConfigMap data with Knative's own parsers
 * (src/apis/config/*) before anything runs, and kn command lines with kn's own parser
 * (src/kn/parse.ts).
 */
import { isScalar, isSeq } from 'yaml';
import { parseAutoscalerConfig, type AutoscalerConfig } from '../apis/config/autoscaler.js';
import { TYPE } from '../apis/core.js';
import type { FieldError } from '../apis/field-error.js';
import { deepCopy, type KObject } from '../apis/meta.js';
import { defaultConfiguration, defaultRoute, defaultService } from '../apis/serving-defaults.js';
import type { Configuration, KnService, Route } from '../apis/serving-types.js';
import { validateConfiguration, validateRoute, validateService } from '../apis/serving-validation.js';
import { parseKn } from '../kn/parse.js';
import { checkConfigKey, validateConfigData } from './config-check.js';
import { didYouMean, hasErrors, type Diagnostic, type SourcePos } from './diagnostics.js';
import { countTraceInvocations, distributionMeanMs, estimateRequests } from './estimate.js';
import { DELETE_KIND_NAMES, positionMapForScalar, readManifests, resolveDeleteKind } from './manifests.js';
import { applyOverrides } from './overrides.js';
import { Fields, firstLine, parseYamlDocument, parseYamlDocuments, Reader, type PositionMap, type SourceDoc } from './reader.js';
import {
  ACTION_SHAPE,
  APP_SHAPE,
  BOUND_SHAPE,
  CLUSTER_SHAPE,
  COLD_START_SHAPE,
  CONFIG_SHAPE,
  DELETE_SHAPE,
  DISTRIBUTION_MAP_SHAPE,
  EXPECT_SHAPE,
  FILE_REF_SHAPE,
  IMAGE_PULL_SHAPE,
  LATENCY_CHECK_SHAPE,
  NODE_SHAPE,
  OVER_SHAPE,
  PULL_IMAGE_SHAPE,
  REQUESTS_CHECK_SHAPE,
  SCENARIO_SHAPE,
  SPIKE_SHAPE,
  STEP_SHAPE,
  TARGET_MAP_SHAPE,
  TRACE_SHAPE,
  WORKLOAD_SHAPE,
  type Shape,
} from './shape.js';
import {
  CONFIG_MAP_NAMES,
  DEFAULT_LIMITS,
  type Arrivals,
  type Bound,
  type ColdStartImage,
  type ConfigMapName,
  type Distribution,
  type ExpectCheck,
  type Expectation,
  type ExpectWhen,
  type RequestFilter,
  type Scenario,
  type ScenarioApp,
  type ScenarioCluster,
  type ScenarioConfigMap,
  type ScenarioLimits,
  type ScenarioNode,
  type TimelineAction,
  type TraceArrivals,
  type TrafficTarget,
  type TrafficWorkload,
} from './types.js';

export interface LoadOptions {
  /** The scenario's path as the user gave it; positions name it and relative files resolve against its directory. */
  file: string;
  /** Returns a file's text or throws; paths are resolved against the scenario's directory. Without it, any `file:` is unreadable. */
  readFile?: (path: string) => string;
  /** Overrides of the default limits. */
  limits?: Partial<ScenarioLimits>;
  /** `--set key.path=value` arguments, applied before checking. */
  sets?: readonly string[];
  /** Replaces the built-in manifest validation (Knative defaults + webhook rules). */
  validateObject?: (obj: KObject, type: string, autoscalerConfig: AutoscalerConfig) => FieldError[];
}

export interface LoadResult {
  /** The normalized scenario, or undefined when any diagnostic is an error. */
  scenario: Scenario | undefined;
  /** Errors and warnings in the order found (the file order within each section). */
  diagnostics: Diagnostic[];
}

const DEFAULT_NODE_CPU = '4';
const DEFAULT_NODE_MEMORY = '16Gi';
const PATTERNS = ['constant', 'poisson', 'ramp', 'step', 'burst', 'diurnal', 'users'] as const;
type Pattern = (typeof PATTERNS)[number];
/** Which workload keys each pattern reads; any other pattern key is a conflict. */
const PATTERN_KEYS: Record<Pattern, string[]> = {
  constant: ['rate'],
  poisson: ['rate'],
  ramp: ['startRate', 'endRate'],
  step: ['rate', 'steps'],
  burst: ['base', 'spike'],
  diurnal: ['mean', 'amplitude', 'period', 'phase'],
  users: ['users', 'thinkTime'],
};
const ALL_PATTERN_KEYS = [...new Set(Object.values(PATTERN_KEYS).flat())];
const CHECK_KEYS = ['readyPods', 'desiredScale', 'panic', 'sksMode', 'requests', 'latency', 'coldStarts', 'trafficShare'] as const;
const REVISION_CHECKS: readonly string[] = ['readyPods', 'desiredScale', 'panic', 'sksMode', 'trafficShare'];
const DISTRIBUTIONS = ['constant', 'exponential', 'lognormal', 'uniform', 'empirical'] as const;
const DISTRIBUTION_PARAMS: Record<(typeof DISTRIBUTIONS)[number], string[]> = {
  constant: ['value'],
  exponential: ['mean'],
  lognormal: ['median', 'p99', 'mu', 'sigma'],
  uniform: ['min', 'max'],
  empirical: ['percentiles'],
};
/** z-score of the 99th percentile of the standard normal distribution. */
const Z99 = 2.326347874;

/**
 * Loads a scenario from YAML text. Never throws for bad input: every problem becomes a
 * diagnostic, and `scenario` is undefined if any of them is an error.
 */
export function loadScenario(text: string, options: LoadOptions): LoadResult {
  const limits: ScenarioLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const diags: Diagnostic[] = [];
  const { doc, lineCounter } = parseYamlDocument(text);
  const src: SourceDoc = { doc, lineCounter, map: { kind: 'shift', file: options.file, lineOffset: 0, columnOffset: 0 } };
  const r0 = new Reader(src, diags);
  for (const e of doc.errors) {
    // The yaml library's advice names its own API; say what is wrong with the file instead.
    const message = e.code === 'MULTIPLE_DOCS' ? 'a scenario is one YAML document; found a second one after `---` (manifests for `apply` go inside the scenario or in their own file)' : firstLine(e.message);
    r0.report('SCENARIO_YAML_SYNTAX', r0.pos({ range: [e.pos[0], e.pos[1], e.pos[1]] }), message);
  }
  if (diags.length > 0) return { scenario: undefined, diagnostics: diags };
  try {
    doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (err) {
    r0.report('SCENARIO_LIMIT_EXCEEDED', doc.contents, `YAML aliases expand too much (more than ${limits.maxAliasCount} alias uses): ${err instanceof Error ? err.message : String(err)}`);
    return { scenario: undefined, diagnostics: diags };
  }
  let origins = new WeakMap<object, SourcePos>();
  if (options.sets !== undefined && options.sets.length > 0) {
    const o = applyOverrides(doc, options.sets);
    diags.push(...o.diagnostics);
    origins = o.origins;
  }
  const loader = new Loader(new Reader(src, diags, origins), options, limits, text);
  const scenario = loader.load();
  return { scenario: hasErrors(diags) ? undefined : scenario, diagnostics: diags };
}


/** `dir/of/scenario.yaml` + `manifests/a.yaml` → `dir/of/manifests/a.yaml`; absolute paths stay. */
export function resolveRelative(scenarioFile: string, path: string): string {
  if (path.startsWith('/')) return normalizePath(path);
  const slash = scenarioFile.lastIndexOf('/');
  return normalizePath(slash < 0 ? path : `${scenarioFile.slice(0, slash + 1)}${path}`);
}

function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '.' || (part === '' && out.length > 0)) continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

function boundText(b: { min?: number; max?: number }, unit = ''): string {
  const f = (v: number): string => `${v}${unit}`;
  if (b.min !== undefined && b.max !== undefined) return b.min === b.max ? `= ${f(b.min)}` : `between ${f(b.min)} and ${f(b.max)}`;
  if (b.min !== undefined) return `≥ ${f(b.min)}`;
  if (b.max !== undefined) return `≤ ${f(b.max)}`;
  return 'anything';
}

class Loader {
  private objectCount = 0;
  private autoscalerConfig: AutoscalerConfig;
  private durationMs = 0;

  constructor(
    private readonly r: Reader,
    private readonly options: LoadOptions,
    private readonly limits: ScenarioLimits,
    private readonly text: string,
  ) {
    const parsed = parseAutoscalerConfig(undefined);
    this.autoscalerConfig = 'config' in parsed ? parsed.config : ({} as AutoscalerConfig);
  }

  load(): Scenario | undefined {
    const r = this.r;
    const root = r.src.doc.contents;
    const pos = r.pos(root);
    if (root === null || (isScalar(root) && root.value === null)) {
      r.report('SCENARIO_MISSING_KEY', pos, 'the scenario is empty: it needs at least "duration"');
      return undefined;
    }
    const f = r.fields(root, '', SCENARIO_SHAPE);
    if (f === undefined) return undefined;

    const fileBase = this.options.file.replace(/^.*\//, '').replace(/\.[^.]*$/, '');
    const name = f.has('name') ? (r.string(f.get('name'), 'name', { lenient: true, nonEmpty: true }) ?? fileBase) : fileBase;
    const description = f.has('description') ? (r.string(f.get('description'), 'description', { lenient: true }) ?? '') : '';
    let seed: string | number = 1;
    if (f.has('seed')) {
      const kind = r.kindOf(f.get('seed'));
      if (kind === 'number') seed = r.number(f.get('seed'), 'seed') ?? 1;
      else if (kind === 'string') seed = r.string(f.get('seed'), 'seed', { nonEmpty: true }) ?? 1;
      else r.wrongType(f.get('seed'), 'seed', 'a number or a string');
    }
    const durationNode = r.require(f, 'duration', '');
    if (durationNode !== undefined) {
      const ms = r.duration(durationNode, 'duration', { allowZero: false });
      if (ms !== undefined && ms > this.limits.maxDurationMs) {
        r.report('SCENARIO_LIMIT_EXCEEDED', durationNode, `duration ${String(r.scalar(durationNode))} exceeds the limit of ${this.limits.maxDurationMs / 3_600_000}h (maxDurationMs)`);
      } else if (ms !== undefined) this.durationMs = ms;
    }

    const config = f.has('config') ? this.readConfig(f.get('config')) : [];
    const apps = f.has('apps') ? this.readApps(f.get('apps')) : [];
    const cluster = this.readCluster(f.get('cluster'), apps, pos);
    const timeline = f.has('timeline') ? this.readTimeline(f.get('timeline')) : [];
    const traffic = f.has('traffic') ? this.readTraffic(f.get('traffic')) : [];
    const expect = f.has('expect') ? this.readExpect(f.get('expect')) : [];

    this.objectCount += config.length + (cluster.nodes?.length ?? 0);
    if (this.objectCount > this.limits.maxObjects) {
      r.report('SCENARIO_LIMIT_EXCEEDED', root, `the scenario creates ${this.objectCount} objects (nodes, ConfigMaps and manifests), more than the limit of ${this.limits.maxObjects} (maxObjects)`);
    }

    // Closed-loop users are limited by their service time; the fastest declared app gives the highest estimate.
    const means = apps.filter((a) => a.serviceTime !== undefined).map((a) => distributionMeanMs(a.serviceTime as Distribution));
    const fastestServiceMs = means.length > 0 ? Math.min(...means) : 1;
    let expectedRequests = 0;
    let biggest: TrafficWorkload | undefined;
    let biggestCount = -1;
    for (const w of traffic) {
      const n = estimateRequests(w.arrivals, w.fromMs, w.toMs, fastestServiceMs);
      expectedRequests += n;
      if (n > biggestCount) {
        biggestCount = n;
        biggest = w;
      }
    }
    expectedRequests = Math.round(expectedRequests);
    if (expectedRequests > this.limits.maxExpectedRequests && biggest !== undefined) {
      r.report('SCENARIO_LIMIT_EXCEEDED', biggest.pos, `the traffic would send about ${expectedRequests.toLocaleString('en-US')} requests, more than the limit of ${this.limits.maxExpectedRequests.toLocaleString('en-US')} (maxExpectedRequests); workload "${biggest.name}" alone sends about ${Math.round(biggestCount).toLocaleString('en-US')}`, {
        hint: 'lower the rates or the duration, or raise the limit',
      });
    }

    return { name, description, seed, durationMs: this.durationMs, cluster, config, apps, timeline, traffic, expect, budget: { limits: this.limits, expectedRequests }, pos };
  }

  // ------------------------------------------------------------ helpers

  private fields(node: unknown, path: string, shape: Shape | 'any'): Fields | undefined {
    return this.r.fields(node, path, shape);
  }

  private optDuration(f: Fields, key: string, path: string, options: { allowZero?: boolean } = {}): number | undefined {
    return f.has(key) ? this.r.duration(f.get(key), `${path}.${key}`, options) : undefined;
  }

  /** Exactly one of `keys` must be present; returns it, or undefined (reported). */
  private exactlyOne(f: Fields, keys: readonly string[], path: string, what: string): string | undefined {
    const present = keys.filter((k) => f.has(k));
    if (present.length === 1) return present[0];
    if (present.length === 0) {
      this.r.report('SCENARIO_MISSING_KEY', f.node, `${path}: needs ${what}: one of ${keys.join(', ')}`);
    } else {
      this.r.report('SCENARIO_CONFLICTING_KEYS', f.field(present[1])?.keyNode, `${path}: has both "${present[0]}" and "${present[1]}"; give exactly one of ${keys.join(', ')}`);
    }
    return undefined;
  }

  private readFileAt(pathNode: unknown, path: string): { resolved: string; text: string } | undefined {
    const written = this.r.string(pathNode, path, { nonEmpty: true });
    if (written === undefined) return undefined;
    const resolved = resolveRelative(this.options.file, written);
    if (this.options.readFile === undefined) {
      this.r.report('SCENARIO_FILE_UNREADABLE', pathNode, `${path}: cannot read "${resolved}": no file access was given to the loader`);
      return undefined;
    }
    try {
      return { resolved, text: this.options.readFile(resolved) };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      this.r.report('SCENARIO_FILE_UNREADABLE', pathNode, `${path}: cannot read "${resolved}": ${why}`);
      return undefined;
    }
  }

  // ------------------------------------------------------------ cluster

  private readCluster(node: unknown, apps: ScenarioApp[], rootPos: SourcePos): ScenarioCluster {
    const r = this.r;
    const cluster: ScenarioCluster = { coldStart: { images: [] }, missingImages: [], pos: node === undefined ? rootPos : r.pos(node) };
    const images = new Map<string, ColdStartImage>();
    const f = node === undefined ? undefined : this.fields(node, 'cluster', CLUSTER_SHAPE);
    if (f !== undefined) {
      if (f.has('nodes')) cluster.nodes = this.readNodes(f.get('nodes'));
      if (f.has('coldStart')) {
        const c = this.fields(f.get('coldStart'), 'cluster.coldStart', COLD_START_SHAPE);
        if (c !== undefined) {
          const p = 'cluster.coldStart';
          if (c.has('imagePull')) {
            const ip = this.fields(c.get('imagePull'), `${p}.imagePull`, IMAGE_PULL_SHAPE);
            if (ip !== undefined) {
              cluster.coldStart.pullBaseMs = this.optDuration(ip, 'base', `${p}.imagePull`);
              if (ip.has('bandwidth')) {
                const bw = r.bytes(ip.get('bandwidth'), `${p}.imagePull.bandwidth`);
                if (bw === 0) r.report('SCENARIO_OUT_OF_RANGE', ip.get('bandwidth'), `${p}.imagePull.bandwidth: must be greater than 0 (bytes per second)`);
                else cluster.coldStart.pullBandwidthBytesPerSecond = bw;
              }
              if (ip.has('images')) {
                const imgs = this.fields(ip.get('images'), `${p}.imagePull.images`, 'any');
                for (const field of imgs?.list ?? []) {
                  const ipath = `${p}.imagePull.images.${field.key}`;
                  const e = this.fields(field.value, ipath, PULL_IMAGE_SHAPE);
                  if (e === undefined) continue;
                  const which = this.exactlyOne(e, ['size', 'time'], ipath, 'the image size or the pull time');
                  const img: ColdStartImage = { image: field.key, pos: r.pos(field.keyNode) };
                  if (which === 'size') img.sizeBytes = r.bytes(e.get('size'), `${ipath}.size`);
                  if (which === 'time') img.pullMs = r.duration(e.get('time'), `${ipath}.time`);
                  images.set(field.key, img);
                }
              }
            }
          }
          cluster.coldStart.containerStartMs = this.optDuration(c, 'containerStart', p);
          cluster.coldStart.readinessProbePeriodMs = this.optDuration(c, 'readinessProbePeriod', p, { allowZero: false });
          if (c.has('jitter')) cluster.coldStart.jitterFraction = r.number(c.get('jitter'), `${p}.jitter`, { min: 0, max: 0.99 });
          for (const k of Object.keys(cluster.coldStart) as (keyof typeof cluster.coldStart)[]) if (cluster.coldStart[k] === undefined) delete cluster.coldStart[k];
        }
      }
      cluster.apiLatencyMs = this.optDuration(f, 'apiLatency', 'cluster');
      cluster.routePropagationMs = this.optDuration(f, 'routePropagation', 'cluster');
      if (f.has('missingImages')) {
        const items = r.items(f.get('missingImages'), 'cluster.missingImages') ?? [];
        const names = new Set<string>();
        items.forEach((it, i) => {
          const s = r.string(it, `cluster.missingImages[${i}]`, { nonEmpty: true });
          if (s !== undefined) names.add(s);
        });
        cluster.missingImages = [...names].sort();
      }
      for (const k of ['apiLatencyMs', 'routePropagationMs'] as const) if (cluster[k] === undefined) delete cluster[k];
    }
    // apps.<image>.imageSize is the same fact as coldStart.imagePull.images.<image>.size, written where the app is.
    for (const app of apps) {
      const size = (app as ScenarioApp & { imageSizeBytes?: number }).imageSizeBytes;
      if (size === undefined) continue;
      const existing = images.get(app.image);
      if (existing !== undefined) {
        r.report('SCENARIO_CONFLICTING_KEYS', app.pos, `apps.${app.image}.imageSize: the image's pull is also set in cluster.coldStart.imagePull.images (line ${existing.pos.line}); set it in one place`);
        continue;
      }
      images.set(app.image, { image: app.image, sizeBytes: size, pos: app.pos });
    }
    for (const app of apps) delete (app as ScenarioApp & { imageSizeBytes?: number }).imageSizeBytes;
    cluster.coldStart.images = [...images.values()].sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
    return cluster;
  }

  private readNodes(node: unknown): ScenarioNode[] | undefined {
    const r = this.r;
    if (r.kindOf(node) === 'number') {
      const count = r.number(node, 'cluster.nodes', { integer: true, min: 1 });
      if (count === undefined) return undefined;
      if (count > this.limits.maxObjects) {
        r.report('SCENARIO_LIMIT_EXCEEDED', node, `cluster.nodes: ${count} nodes exceed the limit of ${this.limits.maxObjects} objects (maxObjects)`);
        return undefined;
      }
      const pos = r.pos(node);
      return Array.from({ length: count }, (_, i) => ({ name: `node-${i + 1}`, cpu: DEFAULT_NODE_CPU, cpuMillis: 4000, memory: DEFAULT_NODE_MEMORY, memoryBytes: 16 * 2 ** 30, pos }));
    }
    const items = r.items(node, 'cluster.nodes');
    if (items === undefined) return undefined;
    const out: ScenarioNode[] = [];
    const names = new Set<string>();
    let total = 0;
    items.forEach((item, i) => {
      const p = `cluster.nodes[${i}]`;
      const f = this.fields(item, p, NODE_SHAPE);
      if (f === undefined) return;
      const count = f.has('count') ? r.number(f.get('count'), `${p}.count`, { integer: true, min: 1 }) : 1;
      if (count === undefined) return;
      total += count;
      if (total > this.limits.maxObjects) {
        r.report('SCENARIO_LIMIT_EXCEEDED', f.get('count') ?? item, `cluster.nodes: ${total} nodes exceed the limit of ${this.limits.maxObjects} objects (maxObjects)`);
        return;
      }
      const cpuNode = f.get('cpu');
      let cpu = DEFAULT_NODE_CPU;
      let cpuMillis: number | undefined = 4000;
      if (cpuNode !== undefined) {
        cpu = r.scalarText(cpuNode) ?? '';
        cpuMillis = parseCpu(cpu);
        if (cpuMillis === undefined || !['string', 'number'].includes(r.kindOf(cpuNode))) {
          r.report('SCENARIO_BAD_VALUE', cpuNode, `${p}.cpu: invalid CPU quantity "${cpu}": expected cores such as 4 or 0.5, or millicores such as 3500m`);
          cpuMillis = undefined;
        }
      }
      const memory = f.has('memory') ? r.scalarText(f.get('memory')) : DEFAULT_NODE_MEMORY;
      const memoryBytes = f.has('memory') ? r.bytes(f.get('memory'), `${p}.memory`) : 16 * 2 ** 30;
      const given = f.has('name') ? r.string(f.get('name'), `${p}.name`, { nonEmpty: true }) : undefined;
      if (cpuMillis === undefined || memoryBytes === undefined || memory === undefined) return;
      for (let k = 0; k < count; k++) {
        const name = given === undefined ? `node-${out.length + 1}` : count === 1 ? given : `${given}-${k + 1}`;
        if (names.has(name)) {
          r.report('SCENARIO_DUPLICATE', f.get('name') ?? item, `${p}: node name "${name}" is used twice`);
          return;
        }
        names.add(name);
        out.push({ name, cpu, cpuMillis, memory, memoryBytes, pos: r.pos(item) });
      }
    });
    return out;
  }

  // ------------------------------------------------------------ config

  private readConfig(node: unknown): ScenarioConfigMap[] {
    const r = this.r;
    const out = new Map<string, ScenarioConfigMap>();
    if (r.kindOf(node) === 'list') {
      const items = r.items(node, 'config') ?? [];
      items.forEach((item, i) => {
        const p = `config[${i}]`;
        let text: string;
        let map: PositionMap;
        if (r.kindOf(item) === 'mapping') {
          const f = this.fields(item, p, FILE_REF_SHAPE);
          const fileNode = f === undefined ? undefined : r.require(f, 'file', p);
          if (fileNode === undefined) return;
          const read = this.readFileAt(fileNode, `${p}.file`);
          if (read === undefined) return;
          text = read.text;
          map = { kind: 'shift', file: read.resolved, lineOffset: 0, columnOffset: 0 };
        } else {
          const s = r.string(item, p);
          if (s === undefined) return;
          text = s;
          map = positionMapForScalar(r, item, this.text);
        }
        for (const src of parseYamlDocuments(text, map, this.limits.maxAliasCount, r.diags)) {
          if (src.doc.contents === null) continue;
          const cm = this.readConfigMapDocument(src, p);
          if (cm === undefined) continue;
          if (out.has(cm.name)) r.report('SCENARIO_DUPLICATE', cm.pos, `${p}: ConfigMap ${cm.name} is given twice`);
          else out.set(cm.name, cm);
        }
      });
    } else {
      const f = this.fields(node, 'config', CONFIG_SHAPE);
      for (const field of f?.list ?? []) {
        const data = this.readData(field.value, `config.${field.key}`);
        if (data !== undefined) out.set(field.key, { name: field.key as ConfigMapName, namespace: 'knative-serving', data: data.data, keyPos: data.keyPos, pos: r.pos(field.keyNode) });
      }
    }
    const list = [...out.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const cm of list) this.checkConfigMap(cm, r);
    const autoscaler = list.find((c) => c.name === 'config-autoscaler');
    if (autoscaler !== undefined) {
      const parsed = parseAutoscalerConfig(autoscaler.data);
      if ('config' in parsed) this.autoscalerConfig = parsed.config;
    }
    return list;
  }

  /** A real ConfigMap document from the `config:` list. */
  private readConfigMapDocument(src: SourceDoc, path: string): ScenarioConfigMap | undefined {
    const r = new Reader(src, this.r.diags);
    const f = r.fields(src.doc.contents, path, 'any');
    if (f === undefined) return undefined;
    const apiVersion = f.get('apiVersion');
    const kind = f.get('kind');
    if (apiVersion === undefined || kind === undefined || r.scalar(apiVersion) !== 'v1' || r.scalar(kind) !== 'ConfigMap') {
      r.report('SCENARIO_INVALID_MANIFEST', kind ?? src.doc.contents, `${path}: expected a ConfigMap (apiVersion: v1, kind: ConfigMap)`);
      return undefined;
    }
    const meta = f.has('metadata') ? r.fields(f.get('metadata'), `${path}.metadata`, 'any') : undefined;
    const nameNode = meta?.get('name');
    if (meta === undefined || nameNode === undefined) {
      r.report('SCENARIO_INVALID_MANIFEST', f.get('metadata') ?? src.doc.contents, `${path}: manifest has no metadata.name`);
      return undefined;
    }
    const name = r.string(nameNode, `${path}.metadata.name`);
    if (name === undefined) return undefined;
    if (!(CONFIG_MAP_NAMES as readonly string[]).includes(name)) {
      const guess = didYouMean(name, CONFIG_MAP_NAMES);
      r.report('SCENARIO_BAD_VALUE', nameNode, `${path}: knsim reads ConfigMaps ${CONFIG_MAP_NAMES.join(', ')}, not "${name}"`, guess !== undefined ? { hint: `did you mean "${guess}"?` } : {});
      return undefined;
    }
    const nsNode = meta.get('namespace');
    if (nsNode !== undefined && r.scalar(nsNode) !== 'knative-serving') {
      r.report('SCENARIO_BAD_VALUE', nsNode, `${path}: ConfigMap ${name} must be in namespace knative-serving, not "${String(r.scalar(nsNode))}"`);
      return undefined;
    }
    const data = f.has('data') ? this.readData(f.get('data'), `${path}.data`, r) : { data: {}, keyPos: {} };
    if (data === undefined) return undefined;
    return { name: name as ConfigMapName, namespace: 'knative-serving', data: data.data, keyPos: data.keyPos, pos: r.pos(src.doc.contents) };
  }

  /** ConfigMap data: string values; YAML numbers and booleans become the text written (`1.0` stays `1.0`). */
  private readData(node: unknown, path: string, reader: Reader = this.r): { data: Record<string, string>; keyPos: Record<string, SourcePos> } | undefined {
    const r = reader;
    const f = r.fields(node, path, 'any');
    if (f === undefined) return undefined;
    const data: Record<string, string> = {};
    const keyPos: Record<string, SourcePos> = {};
    for (const field of f.list) {
      const kind = r.kindOf(field.value);
      if (kind === 'mapping' || kind === 'list') {
        r.wrongType(field.value, `${path}.${field.key}`, 'a string (ConfigMap data values are strings)');
        continue;
      }
      data[field.key] = r.scalarText(field.value) ?? '';
      keyPos[field.key] = r.pos(field.keyNode);
    }
    return { data, keyPos };
  }

  private checkConfigMap(cm: ScenarioConfigMap, r: Reader): void {
    for (const key of Object.keys(cm.data)) {
      const w = checkConfigKey(cm.name, key);
      if (w !== undefined) r.report('SCENARIO_UNKNOWN_KEY', cm.keyPos[key], w.message, { severity: 'warning', ...(w.hint !== undefined ? { hint: w.hint } : {}) });
    }
    for (const e of validateConfigData(cm.name, cm.data)) {
      r.report('SCENARIO_INVALID_CONFIG', cm.keyPos[e.path] ?? cm.pos, `${cm.name}: ${e.message}`);
    }
  }

  // ------------------------------------------------------------ apps

  private readApps(node: unknown): ScenarioApp[] {
    const r = this.r;
    const f = this.fields(node, 'apps', 'any');
    const out: ScenarioApp[] = [];
    for (const field of f?.list ?? []) {
      const p = `apps.${field.key}`;
      const a = this.fields(field.value, p, APP_SHAPE);
      if (a === undefined) continue;
      const app: ScenarioApp & { imageSizeBytes?: number } = { image: field.key, errorRate: 0, pos: r.pos(field.keyNode) };
      if (a.has('serviceTime')) app.serviceTime = this.readDistribution(a.get('serviceTime'), `${p}.serviceTime`);
      if (a.has('errorRate')) app.errorRate = r.number(a.get('errorRate'), `${p}.errorRate`, { min: 0, max: 1 }) ?? 0;
      if (a.has('startupDelay')) app.startupDelayMs = r.duration(a.get('startupDelay'), `${p}.startupDelay`);
      if (a.has('imageSize')) app.imageSizeBytes = r.bytes(a.get('imageSize'), `${p}.imageSize`);
      for (const k of ['serviceTime', 'startupDelayMs', 'imageSizeBytes'] as const) if (app[k] === undefined) delete app[k];
      out.push(app);
    }
    return out.sort((x, y) => (x.image < y.image ? -1 : x.image > y.image ? 1 : 0));
  }

  /** A distribution: a bare duration (constant) or `{distribution, …params}`. */
  private readDistribution(node: unknown, path: string): Distribution | undefined {
    const r = this.r;
    const pos = r.pos(node);
    if (r.kindOf(node) !== 'mapping') {
      const ms = r.duration(node, path);
      return ms === undefined ? undefined : { distribution: 'constant', valueMs: ms, pos };
    }
    const f = this.fields(node, path, DISTRIBUTION_MAP_SHAPE);
    if (f === undefined) return undefined;
    const kindNode = r.require(f, 'distribution', path);
    if (kindNode === undefined) return undefined;
    const kind = r.oneOf(kindNode, `${path}.distribution`, DISTRIBUTIONS);
    if (kind === undefined) return undefined;
    for (const field of f.list) {
      if (field.key === 'distribution' || DISTRIBUTION_PARAMS[kind].includes(field.key)) continue;
      r.report('SCENARIO_CONFLICTING_KEYS', field.keyNode, `${path}: "${field.key}" does not apply to the ${kind} distribution, which takes ${DISTRIBUTION_PARAMS[kind].join(', ')}`);
    }
    const need = (key: string, options: { allowZero?: boolean } = {}): number | undefined => {
      const v = r.require(f, key, path);
      return v === undefined ? undefined : r.duration(v, `${path}.${key}`, options);
    };
    switch (kind) {
      case 'constant': {
        const valueMs = need('value');
        return valueMs === undefined ? undefined : { distribution: 'constant', valueMs, pos };
      }
      case 'exponential': {
        const meanMs = need('mean', { allowZero: false });
        return meanMs === undefined ? undefined : { distribution: 'exponential', meanMs, pos };
      }
      case 'uniform': {
        const minMs = need('min');
        const maxMs = need('max');
        if (minMs === undefined || maxMs === undefined) return undefined;
        if (minMs > maxMs) {
          r.report('SCENARIO_BAD_VALUE', f.get('max'), `${path}: max must be at least min`);
          return undefined;
        }
        return { distribution: 'uniform', minMs, maxMs, pos };
      }
      case 'lognormal': {
        const byMedian = f.has('median') || f.has('p99');
        const byMu = f.has('mu') || f.has('sigma');
        if (byMedian && byMu) {
          r.report('SCENARIO_CONFLICTING_KEYS', f.field(f.has('mu') ? 'mu' : 'sigma')?.keyNode, `${path}: give either median and p99, or mu and sigma, not both`);
          return undefined;
        }
        if (byMu) {
          const muNode = r.require(f, 'mu', path);
          const sigmaNode = r.require(f, 'sigma', path);
          const mu = muNode === undefined ? undefined : r.number(muNode, `${path}.mu`);
          const sigma = sigmaNode === undefined ? undefined : r.number(sigmaNode, `${path}.sigma`, { minExclusive: 0 });
          return mu === undefined || sigma === undefined ? undefined : { distribution: 'lognormal', mu, sigma, pos };
        }
        const median = need('median', { allowZero: false });
        const p99 = need('p99', { allowZero: false });
        if (median === undefined || p99 === undefined) return undefined;
        if (p99 <= median) {
          r.report('SCENARIO_BAD_VALUE', f.get('p99'), `${path}: p99 must be greater than the median`);
          return undefined;
        }
        // mu = ln(median); sigma from the 99th percentile: ln(p99) = mu + 2.3263 sigma.
        return { distribution: 'lognormal', mu: Math.log(median), sigma: (Math.log(p99) - Math.log(median)) / Z99, pos };
      }
      case 'empirical': {
        const pNode = r.require(f, 'percentiles', path);
        if (pNode === undefined) return undefined;
        const pf = this.fields(pNode, `${path}.percentiles`, 'any');
        if (pf === undefined) return undefined;
        const points: { p: number; valueMs: number }[] = [];
        let ok = true;
        for (const field of pf.list) {
          const m = /^p(\d+(?:\.\d+)?)$/.exec(field.key);
          const p = m === null ? NaN : Number(m[1]);
          if (!(p >= 0 && p <= 100)) {
            r.report('SCENARIO_BAD_VALUE', field.keyNode, `${path}.percentiles: "${field.key}" is not a percentile; write p0 … p100, e.g. p50 or p99.9`);
            ok = false;
            continue;
          }
          const v = r.duration(field.value, `${path}.percentiles.${field.key}`);
          if (v === undefined) ok = false;
          else points.push({ p, valueMs: v });
        }
        if (!ok) return undefined;
        points.sort((a, b) => a.p - b.p);
        if (points.length < 2 || points[0].p !== 0 || points[points.length - 1].p !== 100) {
          r.report('SCENARIO_MISSING_KEY', pNode, `${path}.percentiles: needs at least p0 and p100 so every draw has a value`);
          return undefined;
        }
        for (let i = 1; i < points.length; i++) {
          if (points[i].p === points[i - 1].p) {
            r.report('SCENARIO_DUPLICATE', pNode, `${path}.percentiles: percentile ${points[i].p} is given twice`);
            return undefined;
          }
          if (points[i].valueMs < points[i - 1].valueMs) {
            r.report('SCENARIO_BAD_VALUE', pNode, `${path}.percentiles: values must not decrease: p${points[i].p} is below p${points[i - 1].p}`);
            return undefined;
          }
        }
        return { distribution: 'empirical', points, pos };
      }
    }
  }

  // ------------------------------------------------------------ timeline

  private readTimeline(node: unknown): TimelineAction[] {
    const r = this.r;
    const items = r.items(node, 'timeline');
    if (items === undefined) return [];
    if (items.length > this.limits.maxTimelineActions) {
      r.report('SCENARIO_LIMIT_EXCEEDED', node, `timeline has ${items.length} actions, more than the limit of ${this.limits.maxTimelineActions} (maxTimelineActions)`);
      return [];
    }
    const out: TimelineAction[] = [];
    items.forEach((item, index) => {
      const p = `timeline[${index}]`;
      const f = this.fields(item, p, ACTION_SHAPE);
      if (f === undefined) return;
      const atNode = r.require(f, 'at', p);
      const atMs = atNode === undefined ? undefined : r.duration(atNode, `${p}.at`);
      if (atMs !== undefined && this.durationMs > 0 && atMs > this.durationMs) {
        r.report('SCENARIO_OUT_OF_RANGE', atNode, `${p}.at: ${String(r.scalar(atNode))} is after the end of the scenario; this action never runs`, { severity: 'warning' });
      }
      const note = f.has('note') ? r.string(f.get('note'), `${p}.note`, { lenient: true }) : undefined;
      const which = this.exactlyOne(f, ['apply', 'kn', 'delete'], p, 'an action');
      if (which === undefined) return;
      // The action is checked even when `at` is wrong, so all its problems show at once.
      const base = { atMs: atMs ?? 0, index, pos: r.pos(item), ...(note !== undefined ? { note } : {}) };
      const action = which === 'apply' ? this.readApply(f.get('apply'), `${p}.apply`, base) : which === 'kn' ? this.readKn(f.get('kn'), `${p}.kn`, base) : this.readDelete(f.get('delete'), `${p}.delete`, base);
      if (action !== undefined && atMs !== undefined) out.push(action);
    });
    // Stable: equal times keep file order, which is the order the user reads.
    return out.sort((a, b) => a.atMs - b.atMs || a.index - b.index);
  }

  private readApply(node: unknown, path: string, base: { atMs: number; index: number; pos: SourcePos; note?: string }): TimelineAction | undefined {
    const r = this.r;
    let text: string;
    let map: PositionMap;
    let file: string | undefined;
    if (r.kindOf(node) === 'mapping') {
      const f = this.fields(node, path, FILE_REF_SHAPE);
      const fileNode = f === undefined ? undefined : r.require(f, 'file', path);
      if (fileNode === undefined) return undefined;
      const read = this.readFileAt(fileNode, `${path}.file`);
      if (read === undefined) return undefined;
      file = r.scalar(fileNode) as string;
      text = read.text;
      map = { kind: 'shift', file: read.resolved, lineOffset: 0, columnOffset: 0 };
    } else {
      const s = r.string(node, path, { nonEmpty: true });
      if (s === undefined) return undefined;
      text = s;
      map = positionMapForScalar(r, node, this.text);
    }
    const before = r.diags.length;
    const validation = this.options.validateObject ?? defaultValidateObject;
    const objects = readManifests(text, map, path, this.limits.maxAliasCount, r.diags, {
      validateObject: (obj, type) => validation(obj, type, this.autoscalerConfig),
      validateConfigData,
    });
    this.objectCount += objects.length;
    if (objects.length === 0) {
      if (r.diags.length === before) r.report('SCENARIO_INVALID_MANIFEST', node, `${path}: no manifests found`);
      return undefined;
    }
    return { action: 'apply', objects, ...(file !== undefined ? { file } : {}), ...base };
  }

  private readKn(node: unknown, path: string, base: { atMs: number; index: number; pos: SourcePos; note?: string }): TimelineAction | undefined {
    const r = this.r;
    const s = r.string(node, path, { nonEmpty: true });
    if (s === undefined) return undefined;
    const commandLine = s.trim().replace(/^kn(\s+|$)/, '');
    if (commandLine === '') {
      r.report('SCENARIO_INVALID_KN', node, `${path}: no kn command given`, { hint: 'for example: kn service create sunshine --image=rainbows' });
      return undefined;
    }
    const parsed = parseKn(commandLine);
    if (!parsed.ok) {
      r.report('SCENARIO_INVALID_KN', node, `${path}: ${parsed.error}${parsed.hint === undefined ? '' : ` (${parsed.hint})`}`);
      return undefined;
    }
    return { action: 'kn', commandLine, ...base };
  }

  private readDelete(node: unknown, path: string, base: { atMs: number; index: number; pos: SourcePos; note?: string }): TimelineAction | undefined {
    const r = this.r;
    let kindText: string | undefined;
    let name: string | undefined;
    let namespace: string | undefined;
    let kindNode: unknown = node;
    if (r.kindOf(node) === 'string') {
      const s = r.scalar(node) as string;
      const m = /^([^/\s]+)\/([^/\s]+)$/.exec(s.trim());
      if (m === null) {
        r.report('SCENARIO_BAD_VALUE', node, `${path}: expected kind/name such as ksvc/sunshine, got "${s}"`);
        return undefined;
      }
      kindText = m[1];
      name = m[2];
    } else {
      const f = this.fields(node, path, DELETE_SHAPE);
      if (f === undefined) return undefined;
      kindNode = r.require(f, 'kind', path);
      const nameNode = r.require(f, 'name', path);
      kindText = kindNode === undefined ? undefined : r.string(kindNode, `${path}.kind`, { nonEmpty: true });
      name = nameNode === undefined ? undefined : r.string(nameNode, `${path}.name`, { nonEmpty: true });
      if (f.has('namespace')) namespace = r.string(f.get('namespace'), `${path}.namespace`, { nonEmpty: true });
    }
    if (kindText === undefined || name === undefined) return undefined;
    const kind = resolveDeleteKind(kindText);
    if (kind === undefined) {
      const guess = didYouMean(kindText, DELETE_KIND_NAMES);
      r.report('SCENARIO_UNKNOWN_KIND', kindNode, `${path}: unknown kind "${kindText}"`, { hint: guess !== undefined ? `did you mean "${guess}"?` : `use one of ksvc, configuration, revision, route, configmap, pod, deployment` });
      return undefined;
    }
    return { action: 'delete', type: kind.type, kind: kind.kind, name, namespace: namespace ?? (kind.type === TYPE.configMap ? 'knative-serving' : 'default'), ...base };
  }

  // ------------------------------------------------------------ traffic

  private readTarget(node: unknown, path: string): TrafficTarget | undefined {
    const r = this.r;
    const pos = r.pos(node);
    if (r.kindOf(node) === 'string') {
      const service = r.string(node, path, { nonEmpty: true });
      return service === undefined ? undefined : { kind: 'service', service, namespace: 'default', fromCluster: false, pos };
    }
    const f = this.fields(node, path, TARGET_MAP_SHAPE);
    if (f === undefined) return undefined;
    const which = this.exactlyOne(f, ['host', 'service'], path, 'a target');
    const fromCluster = f.has('fromCluster') ? (r.boolean(f.get('fromCluster'), `${path}.fromCluster`) ?? false) : false;
    if (which === 'host') {
      for (const k of ['tag', 'namespace']) if (f.has(k)) r.report('SCENARIO_CONFLICTING_KEYS', f.field(k)?.keyNode, `${path}: "${k}" applies to a service target, not a host`);
      const host = r.string(f.get('host'), `${path}.host`, { nonEmpty: true });
      return host === undefined ? undefined : { kind: 'host', host, fromCluster, pos };
    }
    if (which === 'service') {
      const service = r.string(f.get('service'), `${path}.service`, { nonEmpty: true });
      const tag = f.has('tag') ? r.string(f.get('tag'), `${path}.tag`, { nonEmpty: true }) : undefined;
      const namespace = f.has('namespace') ? r.string(f.get('namespace'), `${path}.namespace`, { nonEmpty: true }) : 'default';
      if (service === undefined || namespace === undefined) return undefined;
      return { kind: 'service', service, ...(tag !== undefined ? { tag } : {}), namespace, fromCluster, pos };
    }
    return undefined;
  }

  private readTraffic(node: unknown): TrafficWorkload[] {
    const r = this.r;
    const items = r.items(node, 'traffic') ?? [];
    const out: TrafficWorkload[] = [];
    const names = new Set<string>();
    items.forEach((item, i) => {
      const p = `traffic[${i}]`;
      const f = this.fields(item, p, WORKLOAD_SHAPE);
      if (f === undefined) return;
      let name = `traffic-${i}`;
      if (f.has('name')) name = r.string(f.get('name'), `${p}.name`, { nonEmpty: true, lenient: true }) ?? name;
      if (names.has(name)) r.report('SCENARIO_DUPLICATE', f.get('name') ?? item, `${p}: workload name "${name}" is used twice; names pick the random stream and must be unique`);
      names.add(name);
      const fromMs = this.optDuration(f, 'from', p) ?? 0;
      let toMs = this.durationMs;
      if (f.has('to')) {
        const to = r.duration(f.get('to'), `${p}.to`);
        if (to !== undefined && this.durationMs > 0 && to > this.durationMs) {
          r.report('SCENARIO_OUT_OF_RANGE', f.get('to'), `${p}.to: ${String(r.scalar(f.get('to')))} is after the end of the scenario; traffic stops at the end`, { severity: 'warning' });
        } else if (to !== undefined) toMs = to;
      }
      if (fromMs >= toMs && this.durationMs > 0) {
        r.report('SCENARIO_OUT_OF_RANGE', f.get('from') ?? f.get('to') ?? item, `${p}: "from" must be before "to" (and before the end of the scenario)`);
        return;
      }
      const kind = this.exactlyOne(f, ['pattern', 'trace'], p, 'an arrival pattern');
      let arrivals: Arrivals | undefined;
      let target: TrafficTarget | undefined;
      if (kind === 'trace') {
        for (const k of [...ALL_PATTERN_KEYS, 'target']) if (f.has(k)) r.report('SCENARIO_CONFLICTING_KEYS', f.field(k)?.keyNode, `${p}: "${k}" does not apply to a trace replay (targets go in trace.targets)`);
        arrivals = this.readTrace(f.get('trace'), `${p}.trace`, fromMs, toMs);
        target = arrivals?.targets[0];
      } else if (kind === 'pattern') {
        const targetNode = r.require(f, 'target', p);
        target = targetNode === undefined ? undefined : this.readTarget(targetNode, `${p}.target`);
        const pattern = r.oneOf(f.get('pattern'), `${p}.pattern`, PATTERNS);
        if (pattern !== undefined) arrivals = this.readPattern(f, p, pattern);
      }
      if (arrivals === undefined || target === undefined) return;
      out.push({ name, target, fromMs, toMs, arrivals, pos: r.pos(item) });
    });
    return out;
  }

  private readPattern(f: Fields, p: string, pattern: Pattern): Arrivals | undefined {
    const r = this.r;
    for (const k of ALL_PATTERN_KEYS) {
      if (f.has(k) && !PATTERN_KEYS[pattern].includes(k)) r.report('SCENARIO_CONFLICTING_KEYS', f.field(k)?.keyNode, `${p}: "${k}" does not apply to pattern ${pattern}, which takes ${PATTERN_KEYS[pattern].join(', ')}`);
    }
    const rate = (key: string, required: boolean, fallback = 0): number | undefined => {
      const v = required ? r.require(f, key, p) : f.get(key);
      if (v === undefined) return required ? undefined : fallback;
      return r.number(v, `${p}.${key}`, { min: 0 });
    };
    switch (pattern) {
      case 'constant':
      case 'poisson': {
        const v = rate('rate', true);
        return v === undefined ? undefined : { pattern, rate: v };
      }
      case 'ramp': {
        const startRate = rate('startRate', true);
        const endRate = rate('endRate', true);
        return startRate === undefined || endRate === undefined ? undefined : { pattern, startRate, endRate };
      }
      case 'step': {
        const initial = rate('rate', false);
        const stepsNode = r.require(f, 'steps', p);
        if (stepsNode === undefined || initial === undefined) return undefined;
        const items = r.items(stepsNode, `${p}.steps`);
        if (items === undefined) return undefined;
        const steps: { atMs: number; rate: number; pos: SourcePos }[] = [];
        items.forEach((it, i) => {
          const sp = `${p}.steps[${i}]`;
          const sf = this.fields(it, sp, STEP_SHAPE);
          if (sf === undefined) return;
          const atNode = r.require(sf, 'at', sp);
          const rateNode = r.require(sf, 'rate', sp);
          const atMs = atNode === undefined ? undefined : r.duration(atNode, `${sp}.at`);
          const v = rateNode === undefined ? undefined : r.number(rateNode, `${sp}.rate`, { min: 0 });
          if (atMs !== undefined && v !== undefined) steps.push({ atMs, rate: v, pos: r.pos(it) });
        });
        steps.sort((a, b) => a.atMs - b.atMs);
        return { pattern, rate: initial, steps };
      }
      case 'burst': {
        const base = rate('base', false);
        const spikeNode = r.require(f, 'spike', p);
        if (spikeNode === undefined || base === undefined) return undefined;
        const sp = `${p}.spike`;
        const sf = this.fields(spikeNode, sp, SPIKE_SHAPE);
        if (sf === undefined) return undefined;
        const atNode = r.require(sf, 'at', sp);
        const atMs = atNode === undefined ? undefined : r.duration(atNode, `${sp}.at`);
        if (sf.has('count')) {
          for (const k of ['duration', 'rate']) if (sf.has(k)) r.report('SCENARIO_CONFLICTING_KEYS', sf.field(k)?.keyNode, `${sp}: give either count (all at once) or duration and rate, not both`);
          const count = r.number(sf.get('count'), `${sp}.count`, { integer: true, min: 1 });
          return atMs === undefined || count === undefined ? undefined : { pattern, base, spike: { atMs, count } };
        }
        const durNode = r.require(sf, 'duration', sp);
        const rateNode = r.require(sf, 'rate', sp);
        const durationMs = durNode === undefined ? undefined : r.duration(durNode, `${sp}.duration`, { allowZero: false });
        const spikeRate = rateNode === undefined ? undefined : r.number(rateNode, `${sp}.rate`, { min: 0 });
        return atMs === undefined || durationMs === undefined || spikeRate === undefined ? undefined : { pattern, base, spike: { atMs, durationMs, rate: spikeRate } };
      }
      case 'diurnal': {
        const mean = rate('mean', true);
        const amplitude = rate('amplitude', true);
        const periodNode = r.require(f, 'period', p);
        const periodMs = periodNode === undefined ? undefined : r.duration(periodNode, `${p}.period`, { allowZero: false });
        const phaseMs = this.optDuration(f, 'phase', p) ?? 0;
        return mean === undefined || amplitude === undefined || periodMs === undefined ? undefined : { pattern, mean, amplitude, periodMs, phaseMs };
      }
      case 'users': {
        const usersNode = r.require(f, 'users', p);
        const users = usersNode === undefined ? undefined : r.number(usersNode, `${p}.users`, { integer: true, min: 1 });
        if (users !== undefined && users > this.limits.maxObjects) {
          r.report('SCENARIO_LIMIT_EXCEEDED', usersNode, `${p}.users: ${users} users exceed the limit of ${this.limits.maxObjects} (maxObjects)`);
          return undefined;
        }
        const thinkTime: Distribution | undefined = f.has('thinkTime') ? this.readDistribution(f.get('thinkTime'), `${p}.thinkTime`) : { distribution: 'constant', valueMs: 0, pos: r.pos(f.node) };
        return users === undefined || thinkTime === undefined ? undefined : { pattern, users, thinkTime };
      }
    }
  }

  private readTrace(node: unknown, p: string, fromMs: number, toMs: number): TraceArrivals | undefined {
    const r = this.r;
    const f = this.fields(node, p, TRACE_SHAPE);
    if (f === undefined) return undefined;
    const formatNode = r.require(f, 'format', p);
    const format = formatNode === undefined ? undefined : r.oneOf(formatNode, `${p}.format`, ['azure', 'azure2019'] as const);
    const invNode = r.require(f, 'invocations', p);
    const invocations = invNode === undefined ? undefined : this.readFileAt(invNode, `${p}.invocations`);
    const durations = f.has('durations') ? this.readFileAt(f.get('durations'), `${p}.durations`) : undefined;
    const spread = f.has('spread') ? r.oneOf(f.get('spread'), `${p}.spread`, ['uniform', 'poisson', 'equidistant'] as const) : 'uniform';
    const timeScale = f.has('timeScale') ? r.number(f.get('timeScale'), `${p}.timeScale`, { minExclusive: 0 }) : 1;
    let minutes: { from: number; to: number } | undefined;
    if (f.has('minutes')) {
      const items = r.items(f.get('minutes'), `${p}.minutes`);
      if (items !== undefined && items.length !== 2) r.report('SCENARIO_WRONG_TYPE', f.get('minutes'), `${p}.minutes: expected [from, to], two minute numbers`);
      else if (items !== undefined) {
        const a = r.number(items[0], `${p}.minutes[0]`, { integer: true, min: 1, max: 1440 });
        const b = r.number(items[1], `${p}.minutes[1]`, { integer: true, min: 1, max: 1440 });
        if (a !== undefined && b !== undefined && a > b) r.report('SCENARIO_BAD_VALUE', items[1], `${p}.minutes: the last minute must not come before the first`);
        else if (a !== undefined && b !== undefined) minutes = { from: a, to: b };
      }
    }
    const fnNode = r.require(f, 'functions', p);
    let functions: TraceArrivals['functions'] | undefined;
    if (fnNode !== undefined) {
      if (r.kindOf(fnNode) === 'number') {
        const n = r.number(fnNode, `${p}.functions`, { integer: true, min: 1 });
        if (n !== undefined) functions = { first: n };
      } else {
        const items = r.items(fnNode, `${p}.functions`);
        if (items !== undefined) {
          const select: (number | string)[] = [];
          items.forEach((it, i) => {
            const v = r.kindOf(it) === 'number' ? r.number(it, `${p}.functions[${i}]`, { integer: true, min: 0 }) : r.string(it, `${p}.functions[${i}]`, { nonEmpty: true });
            if (v !== undefined) select.push(v);
          });
          if (select.length === items.length && select.length > 0) functions = { select };
          else if (items.length === 0) r.report('SCENARIO_BAD_VALUE', fnNode, `${p}.functions: select at least one function`);
        }
      }
    }
    const targetsNode = r.require(f, 'targets', p);
    let targets: TrafficTarget[] | undefined;
    if (targetsNode !== undefined) {
      if (r.kindOf(targetsNode) === 'list') {
        const items = r.items(targetsNode, `${p}.targets`) ?? [];
        const list = items.map((it, i) => this.readTarget(it, `${p}.targets[${i}]`));
        if (list.every((t) => t !== undefined) && list.length > 0) targets = list as TrafficTarget[];
        else if (list.length === 0) r.report('SCENARIO_BAD_VALUE', targetsNode, `${p}.targets: give at least one target`);
      } else {
        const t = this.readTarget(targetsNode, `${p}.targets`);
        if (t !== undefined) targets = [t];
      }
    }
    if (format === undefined || invocations === undefined || spread === undefined || timeScale === undefined || functions === undefined || targets === undefined) return undefined;
    if (f.has('durations') && durations === undefined) return undefined;
    const minuteMs = 60_000 / timeScale;
    // Only minutes that start inside the workload's window are replayed.
    const maxMinutes = Math.max(0, Math.ceil((toMs - fromMs) / minuteMs));
    const count = countTraceInvocations(invocations.text, functions, minutes, maxMinutes);
    if (!count.ok) {
      const at = count.selectionIndex !== undefined && isSeq(r.resolve(fnNode)) ? (r.resolve(fnNode) as { items: unknown[] }).items[count.selectionIndex] : count.line > 1 ? { file: invocations.resolved, line: count.line, column: 1 } : fnNode;
      r.report('SCENARIO_BAD_VALUE', at, `${p}: ${invocations.resolved}: ${count.message}`);
      return undefined;
    }
    if (targets.length === 1 && count.functionCount > 1) targets = Array.from({ length: count.functionCount }, () => (targets as TrafficTarget[])[0]);
    if (targets.length !== count.functionCount) {
      r.report('SCENARIO_BAD_VALUE', targetsNode, `${p}.targets: ${targets.length} targets for ${count.functionCount} selected functions; give one target, or one per function`);
      return undefined;
    }
    const trace: TraceArrivals = {
      pattern: 'trace',
      format: 'azure2019',
      invocations: { path: r.scalar(invNode) as string, text: invocations.text, pos: r.pos(invNode) },
      functions,
      spread,
      timeScale,
      targets,
      totalInvocations: count.totalInvocations,
    };
    if (durations !== undefined) trace.durations = { path: r.scalar(f.get('durations')) as string, text: durations.text, pos: r.pos(f.get('durations')) };
    if (minutes !== undefined) trace.minutes = minutes;
    return trace;
  }

  // ------------------------------------------------------------ expectations

  /** A bound: a number (equals), or `{equals}`, `{min, max}`, `{value, tolerance}`. */
  private readBound(node: unknown, path: string, range: { min?: number; max?: number }): Bound | undefined {
    const r = this.r;
    if (r.kindOf(node) === 'number') {
      const v = r.number(node, path, range);
      return v === undefined ? undefined : { min: v, max: v, text: `= ${v}` };
    }
    const f = this.fields(node, path, BOUND_SHAPE);
    if (f === undefined) return undefined;
    const num = (k: string, extra: { min?: number; max?: number } = range): number | undefined => (f.has(k) ? r.number(f.get(k), `${path}.${k}`, extra) : undefined);
    if (f.has('equals')) {
      for (const k of ['min', 'max', 'value', 'tolerance']) if (f.has(k)) r.report('SCENARIO_CONFLICTING_KEYS', f.field(k)?.keyNode, `${path}: "equals" cannot be combined with "${k}"`);
      const v = num('equals');
      return v === undefined ? undefined : { min: v, max: v, text: `= ${v}` };
    }
    if (f.has('value') || f.has('tolerance')) {
      for (const k of ['min', 'max']) if (f.has(k)) r.report('SCENARIO_CONFLICTING_KEYS', f.field(k)?.keyNode, `${path}: "value"/"tolerance" cannot be combined with "${k}"`);
      const vNode = r.require(f, 'value', path);
      const v = vNode === undefined ? undefined : num('value');
      const tol = f.has('tolerance') ? num('tolerance', { min: 0 }) : 0;
      if (v === undefined || tol === undefined) return undefined;
      // Rounded to 12 digits so 0.1 ± 0.03 gives 0.07, not 0.06999999999999999.
      return { min: Number((v - tol).toPrecision(12)), max: Number((v + tol).toPrecision(12)), text: `${v} ± ${tol}` };
    }
    const min = num('min');
    const max = num('max');
    if (!f.has('min') && !f.has('max')) {
      r.report('SCENARIO_MISSING_KEY', f.node, `${path}: needs equals, min, max, or value with tolerance`);
      return undefined;
    }
    if ((f.has('min') && min === undefined) || (f.has('max') && max === undefined)) return undefined;
    if (min !== undefined && max !== undefined && min > max) {
      r.report('SCENARIO_BAD_VALUE', f.get('max'), `${path}: max (${max}) is below min (${min})`);
      return undefined;
    }
    const b: Bound = { text: '' };
    if (min !== undefined) b.min = min;
    if (max !== undefined) b.max = max;
    b.text = boundText(b);
    return b;
  }

  private readExpect(node: unknown): Expectation[] {
    const r = this.r;
    const items = r.items(node, 'expect') ?? [];
    const out: Expectation[] = [];
    items.forEach((item, index) => {
      const p = `expect[${index}]`;
      const f = this.fields(item, p, EXPECT_SHAPE);
      if (f === undefined) return;
      const whenKey = this.exactlyOne(f, ['at', 'over'], p, 'a time');
      let when: ExpectWhen | undefined;
      if (whenKey === 'at') {
        const atMs = r.duration(f.get('at'), `${p}.at`);
        if (atMs !== undefined) when = { kind: 'at', atMs };
      } else if (whenKey === 'over') {
        const o = this.fields(f.get('over'), `${p}.over`, OVER_SHAPE);
        if (o !== undefined) {
          const fromNode = r.require(o, 'from', `${p}.over`);
          const toNode = r.require(o, 'to', `${p}.over`);
          const fromMs = fromNode === undefined ? undefined : r.duration(fromNode, `${p}.over.from`);
          const toMs = toNode === undefined ? undefined : r.duration(toNode, `${p}.over.to`);
          if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) r.report('SCENARIO_BAD_VALUE', toNode, `${p}.over: "to" is before "from"`);
          else if (fromMs !== undefined && toMs !== undefined) when = { kind: 'over', fromMs, toMs };
        }
      }
      const endMs = when === undefined ? 0 : when.kind === 'at' ? when.atMs : when.toMs;
      if (when !== undefined && this.durationMs > 0 && endMs > this.durationMs) {
        r.report('SCENARIO_OUT_OF_RANGE', f.get(whenKey as string), `${p}: checks a time after the end of the scenario`, { severity: 'warning' });
      }
      const description = f.has('description') ? r.string(f.get('description'), `${p}.description`, { lenient: true }) : undefined;
      const revision = f.has('revision') ? r.string(f.get('revision'), `${p}.revision`, { nonEmpty: true }) : undefined;
      const service = f.has('service') ? r.string(f.get('service'), `${p}.service`, { nonEmpty: true }) : undefined;
      const namespace = f.has('namespace') ? (r.string(f.get('namespace'), `${p}.namespace`, { nonEmpty: true }) ?? 'default') : 'default';
      const which = this.exactlyOne(f, CHECK_KEYS, p, 'a check');
      if (which === undefined || when === undefined) return;
      if (REVISION_CHECKS.includes(which) && revision === undefined) {
        if (!f.has('revision')) r.report('SCENARIO_MISSING_KEY', f.node, `${p}: ${which} needs "revision" (the revision name, e.g. sunshine-00001)`);
        return;
      }
      const filter: RequestFilter = {};
      if (revision !== undefined) filter.revision = revision;
      if (service !== undefined) filter.service = service;
      if (f.has('namespace')) filter.namespace = namespace;
      const check = this.readCheck(which as (typeof CHECK_KEYS)[number], f.get(which), `${p}.${which}`, revision as string, namespace, filter);
      if (check === undefined) return;
      out.push({ ...check, when, ...(description !== undefined ? { description } : {}), index, pos: r.pos(item) });
    });
    return out;
  }

  private readCheck(which: (typeof CHECK_KEYS)[number], node: unknown, path: string, revision: string, namespace: string, filter: RequestFilter): ExpectCheck | undefined {
    const r = this.r;
    switch (which) {
      case 'readyPods':
      case 'desiredScale': {
        const bound = this.readBound(node, path, { min: 0 });
        return bound === undefined ? undefined : { check: which, revision, namespace, bound };
      }
      case 'panic': {
        const equals = r.boolean(node, path);
        return equals === undefined ? undefined : { check: 'panic', revision, namespace, equals };
      }
      case 'sksMode': {
        const equals = r.oneOf(node, path, ['Serve', 'Proxy'] as const);
        return equals === undefined ? undefined : { check: 'sksMode', revision, namespace, equals };
      }
      case 'coldStarts': {
        const bound = this.readBound(node, path, { min: 0 });
        return bound === undefined ? undefined : { check: 'coldStarts', filter, bound };
      }
      case 'trafficShare': {
        const bound = this.readBound(node, path, { min: 0, max: 1 });
        // The share's denominator is all requests passing the other filters, so the revision is not one of them.
        const { revision: _ignored, ...others } = filter;
        return bound === undefined ? undefined : { check: 'trafficShare', revision, namespace, filter: others, bound };
      }
      case 'latency': {
        const f = this.fields(node, path, LATENCY_CHECK_SHAPE);
        if (f === undefined) return undefined;
        const pNode = r.require(f, 'p', path);
        const pct = pNode === undefined ? undefined : r.number(pNode, `${path}.p`, { minExclusive: 0, max: 100 });
        if (!f.has('min') && !f.has('max')) {
          r.report('SCENARIO_MISSING_KEY', f.node, `${path}: needs max (and/or min), e.g. {p: 99, max: 2s}`);
          return undefined;
        }
        const min = this.optDuration(f, 'min', path);
        const max = this.optDuration(f, 'max', path);
        if (pct === undefined || (f.has('min') && min === undefined) || (f.has('max') && max === undefined)) return undefined;
        if (min !== undefined && max !== undefined && min > max) {
          r.report('SCENARIO_BAD_VALUE', f.get('max'), `${path}: max is below min`);
          return undefined;
        }
        const bound: Bound = { text: '' };
        if (min !== undefined) bound.min = min;
        if (max !== undefined) bound.max = max;
        bound.text = boundText(bound, 'ms');
        return { check: 'latency', filter, p: pct, bound };
      }
      case 'requests': {
        const f = this.fields(node, path, REQUESTS_CHECK_SHAPE);
        if (f === undefined) return undefined;
        let status: number | `${1 | 2 | 3 | 4 | 5}xx` | undefined;
        if (f.has('status')) {
          const sNode = f.get('status');
          if (r.kindOf(sNode) === 'number') status = r.number(sNode, `${path}.status`, { integer: true, min: 100, max: 599 });
          else {
            const s = r.string(sNode, `${path}.status`);
            if (s !== undefined && /^[1-5]xx$/.test(s)) status = s as `${1 | 2 | 3 | 4 | 5}xx`;
            else if (s !== undefined) r.report('SCENARIO_BAD_VALUE', sNode, `${path}.status: expected an HTTP status such as 503 or a class such as 5xx, got "${s}"`);
            if (status === undefined) return undefined;
          }
          if (status === undefined) return undefined;
        }
        if (f.has('count') && (f.has('min') || f.has('max'))) {
          r.report('SCENARIO_CONFLICTING_KEYS', f.field(f.has('min') ? 'min' : 'max')?.keyNode, `${path}: give either count or min/max`);
          return undefined;
        }
        let count: Bound | undefined;
        if (f.has('count')) count = this.readBound(f.get('count'), `${path}.count`, { min: 0 });
        else if (f.has('min') || f.has('max')) {
          const min = f.has('min') ? r.number(f.get('min'), `${path}.min`, { min: 0 }) : undefined;
          const max = f.has('max') ? r.number(f.get('max'), `${path}.max`, { min: 0 }) : undefined;
          if ((f.has('min') && min === undefined) || (f.has('max') && max === undefined)) return undefined;
          count = { text: '' };
          if (min !== undefined) count.min = min;
          if (max !== undefined) count.max = max;
          count.text = boundText(count);
        }
        const ratio = f.has('ratio') ? this.readBound(f.get('ratio'), `${path}.ratio`, { min: 0, max: 1 }) : undefined;
        if (!f.has('count') && !f.has('min') && !f.has('max') && !f.has('ratio')) {
          r.report('SCENARIO_MISSING_KEY', f.node, `${path}: needs count, min, max or ratio`);
          return undefined;
        }
        if ((f.has('count') && count === undefined) || (f.has('ratio') && ratio === undefined)) return undefined;
        const check: ExpectCheck = { check: 'requests', filter };
        if (status !== undefined) check.status = status;
        if (count !== undefined) check.count = count;
        if (ratio !== undefined) check.ratio = ratio;
        return check;
      }
    }
  }
}

function parseCpu(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?|\.\d+)(m?)$/.exec(text.trim());
  if (m === null) return undefined;
  const v = m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
  return v > 0 ? v : undefined;
}

/**
 * Knative's admission on a copy: defaults first, then the webhook's validation, as the API
 * server does on create. ConfigMaps are checked by name in readManifests.
 */
export function defaultValidateObject(obj: KObject, type: string, autoscalerConfig: AutoscalerConfig): FieldError[] {
  const copy = deepCopy(obj);
  switch (type) {
    case TYPE.knService:
      defaultService(copy as KnService);
      return validateService(copy as KnService, undefined, { autoscalerConfig });
    case TYPE.configuration:
      defaultConfiguration(copy as Configuration);
      return validateConfiguration(copy as Configuration, undefined, { autoscalerConfig });
    case TYPE.route:
      defaultRoute(copy as Route);
      return validateRoute(copy as Route);
    default:
      return [];
  }
}
