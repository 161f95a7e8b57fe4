/**
 * What every section reader of the scenario loader shares: the Reader (with the diagnostics
 * it appends to), the caller's options, the limits, the scenario text, and the facts one
 * section learns for a later one (the duration, the running object count, the autoscaler
 * config read from `config:` that manifest validation needs). Also the small readers more
 * than one section uses: an optional duration, exactly-one-of keys, a file by path.
 */
import { parseAutoscalerConfig, type AutoscalerConfig } from '../../apis/config/autoscaler.js';
import { defaultDefaultsConfig, type DefaultsConfig } from '../../apis/config/defaults.js';
import type { FieldError } from '../../apis/field-error.js';
import type { KObject } from '../../apis/meta.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Fields, Reader } from '../reader.js';
import type { Scenario, ScenarioLimits } from '../types.js';

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
  validateObject?: (obj: KObject, type: string, autoscalerConfig: AutoscalerConfig, defaultsConfig: DefaultsConfig) => FieldError[];
}

export interface LoadResult {
  /** The normalized scenario, or undefined when any diagnostic is an error. */
  scenario: Scenario | undefined;
  /** Errors and warnings in the order found (the file order within each section). */
  diagnostics: Diagnostic[];
}

/** One load in progress. Sections read it and update the running facts in file-section order. */
export interface LoadContext {
  readonly r: Reader;
  readonly options: LoadOptions;
  readonly limits: ScenarioLimits;
  /** The scenario's own text, for positions inside its block scalars. */
  readonly text: string;
  /** Objects the scenario creates so far (manifests; nodes and ConfigMaps are added at the end). */
  objectCount: number;
  /** `duration:` in ms, or 0 when missing or wrong (then no time is checked against it). */
  durationMs: number;
  /** Knative's defaults, replaced by `config-autoscaler` from `config:` once read; manifests are validated against it. */
  autoscalerConfig: AutoscalerConfig;
  /** Knative's defaults, replaced by `config-defaults` from `config:` once read; manifests are defaulted and validated against it. */
  defaultsConfig: DefaultsConfig;
}

export function newLoadContext(r: Reader, options: LoadOptions, limits: ScenarioLimits, text: string): LoadContext {
  const parsed = parseAutoscalerConfig(undefined);
  return {
    r,
    options,
    limits,
    text,
    objectCount: 0,
    durationMs: 0,
    autoscalerConfig: 'config' in parsed ? parsed.config : ({} as AutoscalerConfig),
    defaultsConfig: defaultDefaultsConfig(),
  };
}

export function optDuration(ctx: LoadContext, f: Fields, key: string, path: string, options: { allowZero?: boolean } = {}): number | undefined {
  return f.has(key) ? ctx.r.duration(f.get(key), `${path}.${key}`, options) : undefined;
}

/** Exactly one of `keys` must be present; returns it, or undefined (reported). */
export function exactlyOne<K extends string>(ctx: LoadContext, f: Fields, keys: readonly K[], path: string, what: string): K | undefined {
  const [first, second] = keys.filter((k) => f.has(k));
  if (first === undefined) {
    ctx.r.report('SCENARIO_MISSING_KEY', f.node, `${path}: needs ${what}: one of ${keys.join(', ')}`);
    return undefined;
  }
  if (second === undefined) return first;
  ctx.r.report('SCENARIO_CONFLICTING_KEYS', f.field(second)?.keyNode, `${path}: has both "${first}" and "${second}"; give exactly one of ${keys.join(', ')}`);
  return undefined;
}

/** Reads the file a `file:`-like value names, through the injected `readFile`: the path as written, as resolved, and the text. */
export function readFileAt(ctx: LoadContext, pathNode: unknown, path: string): { written: string; resolved: string; text: string } | undefined {
  const r = ctx.r;
  const written = r.string(pathNode, path, { nonEmpty: true });
  if (written === undefined) return undefined;
  const resolved = resolveRelative(ctx.options.file, written);
  if (ctx.options.readFile === undefined) {
    r.report('SCENARIO_FILE_UNREADABLE', pathNode, `${path}: cannot read "${resolved}": no file access was given to the loader`);
    return undefined;
  }
  try {
    return { written, resolved, text: ctx.options.readFile(resolved) };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    r.report('SCENARIO_FILE_UNREADABLE', pathNode, `${path}: cannot read "${resolved}": ${why}`);
    return undefined;
  }
}

/** `dir/of/scenario.yaml` + `manifests/a.yaml` → `dir/of/manifests/a.yaml`; absolute paths stay. */
function resolveRelative(scenarioFile: string, path: string): string {
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
