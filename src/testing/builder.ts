/**
 * A typed scenario builder: `scenario('name').duration('5m').kn('0s', 'kn service create …')
 * .traffic({…}).build()` assembles a `ScenarioDocument` (the file's data, document.ts),
 * writes it as YAML with `toYaml()` (the text `knsim run` accepts unchanged), and `build()`
 * loads that text with the scenario loader itself, so a built scenario is checked by exactly
 * the rules a file is and is exactly the object the loader makes of it.
 *
 * Fidelity: knsim's own format; `service()` writes a Knative Service manifest
 * (serving.knative.dev/v1) that Knative's webhook rules check when the scenario loads.
 */
import { Document, isScalar, visit } from 'yaml';
import { formatDuration } from '../engine/index.js';
import type { KnService } from '../apis/serving-types.js';
import {
  formatDiagnostic,
  hasErrors,
  loadScenario,
  type ConfigMapName,
  type Diagnostic,
  type InvariantName,
  type LoadOptions,
  type Scenario,
} from '../scenario/index.js';
import type {
  ActionDocument,
  AppDocument,
  ClusterDocument,
  DurationText,
  ExpectDocument,
  ScenarioDocument,
  VaryDocument,
  WorkloadDocument,
} from './document.js';

/** A scenario that did not load: every diagnostic, formatted as `knsim validate` prints them. */
export class ScenarioError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(
      `the scenario does not load:\n${diagnostics
        .filter((d) => d.severity === 'error')
        .map(formatDiagnostic)
        .join('\n')}`,
    );
    this.name = 'ScenarioError';
  }
}

/**
 * Writes a scenario document as YAML: keys in the README's order, manifests as literal blocks
 * (`apply: |`), short mappings and lists inline (`{min: 1, max: 5}`), strings quoted wherever
 * YAML would read them as something else (`"1.0"`, `"true"`).
 */
export function toYaml(doc: ScenarioDocument): string {
  const ydoc = new Document(canonical(doc));
  const root = ydoc.contents;
  visit(ydoc, {
    Map(_key, node) {
      if (node !== root && node.items.length > 0 && node.items.every((p) => isShortScalar(p.value))) node.flow = true;
    },
    Seq(_key, node) {
      if (node.items.length > 0 && node.items.every(isShortScalar)) node.flow = true;
    },
  });
  return ydoc.toString({ lineWidth: 0, blockQuote: 'literal', flowCollectionPadding: false });
}

function isShortScalar(node: unknown): boolean {
  return isScalar(node) && !(typeof node.value === 'string' && node.value.includes('\n'));
}

/** The document with its top-level keys in the README's order (the order of ScenarioDocument). */
function canonical(doc: ScenarioDocument): Record<string, unknown> {
  const order: (keyof ScenarioDocument)[] = [
    'name',
    'description',
    'seed',
    'duration',
    'cluster',
    'config',
    'apps',
    'timeline',
    'traffic',
    'expect',
    'invariants',
    'vary',
  ];
  const out: Record<string, unknown> = {};
  for (const k of order) if (doc[k] !== undefined) out[k] = doc[k];
  for (const [k, v] of Object.entries(doc)) if (!(k in out) && v !== undefined) out[k] = v;
  return out;
}

/** Loads a document (as its YAML) with the scenario loader; never throws for bad input. */
export function loadDocument(doc: ScenarioDocument, options: Partial<LoadOptions> = {}): { scenario: Scenario | undefined; diagnostics: Diagnostic[] } {
  return loadScenario(toYaml(doc), { file: options.file ?? `${doc.name ?? 'scenario'}.yaml`, ...options });
}

/** Manifests as the YAML text of `apply:`, documents separated by `---`. */
export function manifestsYaml(objects: readonly object[]): string {
  return objects.map((o) => new Document(o).toString({ lineWidth: 0 })).join('---\n');
}

/** What `service()` puts in a Knative Service's template and traffic. */
export interface ServiceOptions {
  image: string;
  namespace?: string;
  /** Revision template annotations, e.g. `{'autoscaling.knative.dev/window': '20s'}`. */
  annotations?: Record<string, string>;
  containerConcurrency?: number;
  timeoutSeconds?: number;
  env?: Record<string, string>;
  /** A BYO revision name (`<service>-<suffix>`). */
  revisionName?: string;
  /** `spec.traffic`, as Knative writes it. */
  traffic?: { revisionName?: string; latestRevision?: boolean; percent?: number; tag?: string }[];
  /** `networking.knative.dev/visibility: cluster-local`. */
  clusterLocal?: boolean;
}

/** A Knative Service manifest (serving.knative.dev/v1), for `apply`. */
export function service(name: string, options: ServiceOptions): KnService {
  const container: KnService['spec']['template']['spec']['containers'][number] = { image: options.image };
  if (options.env !== undefined) container.env = Object.entries(options.env).map(([k, v]) => ({ name: k, value: v }));
  const template: KnService['spec']['template'] = { spec: { containers: [container] } };
  if (options.containerConcurrency !== undefined) template.spec.containerConcurrency = options.containerConcurrency;
  if (options.timeoutSeconds !== undefined) template.spec.timeoutSeconds = options.timeoutSeconds;
  if (options.annotations !== undefined || options.revisionName !== undefined) {
    template.metadata = {};
    if (options.revisionName !== undefined) template.metadata.name = options.revisionName;
    if (options.annotations !== undefined) template.metadata.annotations = { ...options.annotations };
  }
  const metadata: KnService['metadata'] = { name };
  if (options.namespace !== undefined) metadata.namespace = options.namespace;
  if (options.clusterLocal === true) metadata.labels = { 'networking.knative.dev/visibility': 'cluster-local' };
  const spec: KnService['spec'] = { template };
  if (options.traffic !== undefined) spec.traffic = options.traffic.map((t) => ({ ...t }));
  return { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata, spec };
}

/** Starts a scenario; every method adds to it and returns it, `build()` checks it. */
export function scenario(name?: string): ScenarioBuilder {
  return new ScenarioBuilder(name === undefined ? { duration: '1m' } : { name, duration: '1m' });
}

/** The builder `scenario()` returns. Durations are Go duration text or milliseconds. */
export class ScenarioBuilder {
  readonly document: ScenarioDocument;

  constructor(document: ScenarioDocument) {
    this.document = document;
  }

  description(text: string): this {
    this.document.description = text;
    return this;
  }

  seed(seed: number | string): this {
    this.document.seed = seed;
    return this;
  }

  /** How long to simulate (default 1m). */
  duration(d: DurationText | number): this {
    this.document.duration = durationText(d);
    return this;
  }

  cluster(cluster: ClusterDocument): this {
    this.document.cluster = { ...this.document.cluster, ...cluster };
    return this;
  }

  /** A ConfigMap of knative-serving: `config('config-autoscaler', {'stable-window': '30s'})`; keys merge. */
  config(name: ConfigMapName, data: Record<string, string | number | boolean>): this {
    const config = (this.document.config ??= {});
    config[name] = { ...config[name], ...data };
    return this;
  }

  /** The app model of an image. */
  app(image: string, app: AppDocument): this {
    (this.document.apps ??= {})[image] = app;
    return this;
  }

  /** A kn command line at a time (the leading `kn` is optional). */
  kn(at: DurationText | number, commandLine: string, note?: string): this {
    return this.action({ at: durationText(at), kn: commandLine, ...(note !== undefined ? { note } : {}) });
  }

  /** Manifests applied at a time (Knative Services, Configurations, Routes, ConfigMaps). */
  apply(at: DurationText | number, ...objects: object[]): this {
    return this.action({ at: durationText(at), apply: manifestsYaml(objects) });
  }

  /** `delete: kind/name` at a time. */
  delete(at: DurationText | number, what: string): this {
    return this.action({ at: durationText(at), delete: what });
  }

  /** Any timeline action as the format writes it. */
  action(action: ActionDocument): this {
    (this.document.timeline ??= []).push(action);
    return this;
  }

  /** A workload: `{target: 'sunshine', pattern: 'poisson', rate: 20, from: '1m', to: '2m'}`. */
  traffic(workload: WorkloadDocument): this {
    (this.document.traffic ??= []).push(workload);
    return this;
  }

  /** An expectation: `{at: '2m', revision: 'sunshine-00001', readyPods: 0}`. */
  expect(expectation: ExpectDocument): this {
    (this.document.expect ??= []).push(expectation);
    return this;
  }

  /** Invariants every run must keep (checked by `run`, `knsim run` and `knsim fuzz`). */
  invariants(...names: InvariantName[]): this {
    const list = (this.document.invariants ??= []);
    for (const n of names) if (!list.includes(n)) list.push(n);
    return this;
  }

  /** What `knsim fuzz` varies: a `--set` path and a range or choices. */
  vary(path: string, values: VaryDocument): this {
    (this.document.vary ??= {})[path] = values;
    return this;
  }

  /** The scenario as YAML, as `knsim run` reads it. */
  toYaml(): string {
    return toYaml(this.document);
  }

  /** Loads the scenario with the loader; every problem is a diagnostic (never throws for bad input). */
  load(options: Partial<LoadOptions> = {}): { scenario: Scenario | undefined; diagnostics: Diagnostic[] } {
    return loadDocument(this.document, options);
  }

  /** The checked scenario, as the loader makes it; throws a ScenarioError listing every problem. */
  build(options: Partial<LoadOptions> = {}): Scenario {
    const loaded = this.load(options);
    if (loaded.scenario === undefined || hasErrors(loaded.diagnostics)) throw new ScenarioError(loaded.diagnostics);
    return loaded.scenario;
  }
}

/** Milliseconds become Go duration text (90000 → `1m30s`); text passes through. */
function durationText(d: DurationText | number): DurationText {
  return typeof d === 'string' ? d : formatDuration(d);
}
