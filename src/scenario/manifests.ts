/**
 * Manifests inside a scenario: the Knative (and ConfigMap) YAML a user would pass to
 * `kubectl apply -f`, written inline or in a file. Each document must be a mapping with
 * apiVersion, kind and metadata.name, of a kind knsim applies; field errors from a
 * validator are mapped back to the line of the offending field.
 * Fidelity: like kubectl, a missing namespace becomes `default`. Only the kinds a user
 * applies to Knative Serving are accepted (Service, Configuration, Route of
 * serving.knative.dev/v1, DomainMapping of v1beta1, ClusterDomainClaim, and v1 ConfigMap);
 * Revisions, PodAutoscalers and the rest are made by controllers. Mirrors the checks of kubectl's resource builder
 * (k8s.io/cli-runtime pkg/resource) in spirit, not in code.
 */
import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import { TYPE } from '../apis/core.js';
import type { FieldError } from '../apis/field-error.js';
import type { KObject } from '../apis/meta.js';
import { didYouMean, type Diagnostic } from './diagnostics.js';
import { parseYamlDocuments, Reader, type PositionMap, type SourceDoc } from './reader.js';
import { CONFIG_MAP_NAMES, type ScenarioObject } from './types.js';

/** apiVersion → kind → API server type key. */
const APPLICABLE: Record<string, Record<string, string>> = {
  'serving.knative.dev/v1': { Service: TYPE.knService, Configuration: TYPE.configuration, Route: TYPE.route },
  'serving.knative.dev/v1beta1': { DomainMapping: TYPE.domainMapping },
  'networking.internal.knative.dev/v1alpha1': { ClusterDomainClaim: TYPE.clusterDomainClaim },
  v1: { ConfigMap: TYPE.configMap },
};

const ALL_KINDS = ['Service', 'Configuration', 'Route', 'DomainMapping', 'ClusterDomainClaim', 'ConfigMap'];

/** Names `delete:` accepts for each kind, as kubectl and kn spell them (lower-cased). */
const DELETE_KINDS: { kind: string; type: string; names: string[] }[] = [
  { kind: 'Service', type: TYPE.knService, names: ['ksvc', 'ksvcs', 'kservice', 'kservices', 'service', 'services', 'services.serving.knative.dev'] },
  { kind: 'Configuration', type: TYPE.configuration, names: ['configuration', 'configurations', 'config', 'cfg'] },
  { kind: 'Revision', type: TYPE.revision, names: ['revision', 'revisions', 'rev'] },
  { kind: 'Route', type: TYPE.route, names: ['route', 'routes', 'rt'] },
  { kind: 'DomainMapping', type: TYPE.domainMapping, names: ['domainmapping', 'domainmappings', 'dm'] },
  { kind: 'ClusterDomainClaim', type: TYPE.clusterDomainClaim, names: ['clusterdomainclaim', 'clusterdomainclaims', 'cdc'] },
  { kind: 'ConfigMap', type: TYPE.configMap, names: ['configmap', 'configmaps', 'cm'] },
  { kind: 'Pod', type: TYPE.pod, names: ['pod', 'pods', 'po'] },
  { kind: 'Deployment', type: TYPE.deployment, names: ['deployment', 'deployments', 'deploy'] },
];

export const DELETE_KIND_NAMES: string[] = DELETE_KINDS.flatMap((k) => k.names);

/** Resolves a kind name for `delete:` (`ksvc`, `Service`, `pods`, …), case-insensitively. */
export function resolveDeleteKind(name: string): { kind: string; type: string } | undefined {
  const lower = name.toLowerCase();
  const hit = DELETE_KINDS.find((k) => k.names.includes(lower));
  return hit === undefined ? undefined : { kind: hit.kind, type: hit.type };
}

/** Hooks that let the caller (sim or CLI) bring validators the scenario layer cannot import. */
interface ManifestValidation {
  /** Field errors of one object (e.g. serving's validateService), with paths like `spec.template.spec.containers[0].image`. */
  validateObject?: (obj: KObject, type: string) => FieldError[];
  /** Checks ConfigMap data by name; see config-check.ts. */
  validateConfigData?: (name: string, data: Record<string, string>) => FieldError[];
  /** What the object has that knsim accepts without modelling it (apis/fidelity.ts), reported as warnings. */
  notModelled?: (obj: KObject, type: string) => { path: string; message: string; hint?: string }[];
}

/**
 * Where an inline manifest's text sits in the scenario: a literal block (`|`) maps line
 * for line (content starts on the line after the indicator, indented by the block's
 * indentation); any other scalar style maps everything to the scalar's position.
 */
export function positionMapForScalar(reader: Reader, node: unknown, scenarioText: string): PositionMap {
  const n = reader.resolve(node) as Scalar;
  const pos = reader.pos(n);
  if (!isScalar(n) || n.type !== 'BLOCK_LITERAL' || !n.range) return { kind: 'fixed', pos };
  // Content begins after the header line (`|`, `|-`, `|2` plus an optional comment).
  const headerEnd = scenarioText.indexOf('\n', n.range[0]);
  if (headerEnd < 0) return { kind: 'fixed', pos };
  const body = scenarioText.slice(headerEnd + 1, n.range[1]);
  const indent = (/^( *)\S/m.exec(body)?.[1] ?? '').length;
  return { kind: 'shift', file: pos.file, lineOffset: pos.line, columnOffset: indent };
}

/**
 * Parses manifests from YAML text. Empty documents (a trailing `---`) are skipped.
 * Returns the objects that passed; problems go to `diags`.
 */
export function readManifests(
  text: string,
  map: PositionMap,
  path: string,
  maxAliasCount: number,
  diags: Diagnostic[],
  validation: ManifestValidation,
): ScenarioObject[] {
  const docs = parseYamlDocuments(text, map, maxAliasCount, diags);
  const out: ScenarioObject[] = [];
  docs.forEach((src, i) => {
    if (src.doc.contents === null || (isScalar(src.doc.contents) && src.doc.contents.value === null)) return;
    const obj = readManifest(src, `${path}[document ${i + 1}]`, diags, validation);
    if (obj !== undefined) out.push(obj);
  });
  return out;
}

function readManifest(src: SourceDoc, path: string, diags: Diagnostic[], validation: ManifestValidation): ScenarioObject | undefined {
  const r = new Reader(src, diags);
  const root = src.doc.contents;
  const pos = r.pos(root);
  if (!isMap(root)) {
    r.report('SCENARIO_INVALID_MANIFEST', root, `${path}: a manifest must be a mapping with apiVersion, kind and metadata`);
    return undefined;
  }
  const fields = r.fields(root, path, 'any');
  if (fields === undefined) return undefined;
  let ok = true;
  const need = (key: string): string | undefined => {
    const v = fields.get(key);
    if (v === undefined) {
      r.report('SCENARIO_INVALID_MANIFEST', root, `${path}: manifest has no ${key}`);
      ok = false;
      return undefined;
    }
    const s = r.string(v, `${path}.${key}`, { nonEmpty: true });
    if (s === undefined) ok = false;
    return s;
  };
  const apiVersion = need('apiVersion');
  const kind = need('kind');
  const metadata = fields.get('metadata');
  let name: string | undefined;
  if (metadata === undefined) {
    r.report('SCENARIO_INVALID_MANIFEST', root, `${path}: manifest has no metadata.name`);
    ok = false;
  } else {
    const meta = r.fields(metadata, `${path}.metadata`, 'any');
    const nameNode = meta?.get('name');
    if (meta !== undefined && nameNode === undefined) {
      r.report(
        'SCENARIO_INVALID_MANIFEST',
        metadata,
        `${path}: manifest has no metadata.name`,
        meta.has('generateName') ? { hint: 'generateName is not supported in applied manifests; give the object a name' } : {},
      );
      ok = false;
    } else if (nameNode !== undefined) {
      name = r.string(nameNode, `${path}.metadata.name`, { nonEmpty: true });
      if (name === undefined) ok = false;
    }
  }
  if (!ok || apiVersion === undefined || kind === undefined || name === undefined) return undefined;
  const kindNode = fields.get('kind');
  const byKind = APPLICABLE[apiVersion];
  const type = byKind?.[kind];
  if (type === undefined) {
    const knownElsewhere = Object.entries(APPLICABLE).find(([, kinds]) => kinds[kind] !== undefined);
    if (knownElsewhere !== undefined && !(kind === 'Service' && apiVersion === 'v1')) {
      r.report('SCENARIO_INVALID_MANIFEST', fields.get('apiVersion'), `${path}: kind ${kind} is served as apiVersion ${knownElsewhere[0]}, not ${apiVersion}`);
    } else {
      const guess = didYouMean(kind, ALL_KINDS);
      const hint =
        kind === 'Service'
          ? 'a Knative Service has apiVersion serving.knative.dev/v1'
          : guess !== undefined && guess !== kind
            ? `did you mean "${guess}"?`
            : `knsim applies ${ALL_KINDS.join(', ')}`;
      r.report(
        'SCENARIO_UNKNOWN_KIND',
        kindNode,
        `${path}: cannot apply ${apiVersion} ${kind}: knsim applies Knative Services, Configurations and Routes (serving.knative.dev/v1), DomainMappings (serving.knative.dev/v1beta1), ClusterDomainClaims (networking.internal.knative.dev/v1alpha1) and ConfigMaps (v1)`,
        { hint },
      );
    }
    return undefined;
  }
  const object = src.doc.toJS({ maxAliasCount: -1 }) as KObject;
  // ClusterDomainClaims are cluster-scoped: no namespace.
  if (object.metadata.namespace === undefined && type !== TYPE.clusterDomainClaim) object.metadata.namespace = 'default';
  const errors: FieldError[] = [];
  if (validation.validateObject !== undefined) errors.push(...validation.validateObject(object, type));
  if (type === TYPE.configMap && validation.validateConfigData !== undefined) {
    const data = (object as unknown as { data?: Record<string, unknown> }).data ?? {};
    const strings: Record<string, string> = {};
    for (const k of Object.keys(data)) strings[k] = String(data[k]);
    errors.push(...validation.validateConfigData(name, strings).map((e) => ({ path: `data.${e.path}`, message: e.message })));
  }
  for (const e of errors) {
    r.report('SCENARIO_INVALID_MANIFEST', nodeAtPath(r, root, e.path), `${kind} "${name}": ${e.path === '' ? '' : `${e.path}: `}${e.message}`);
  }
  if (type === TYPE.configMap && !(CONFIG_MAP_NAMES as readonly string[]).includes(name)) {
    r.report(
      'SCENARIO_NOT_MODELLED',
      fields.get('metadata'),
      `ConfigMap "${name}" is accepted but not read by knsim (it reads ${CONFIG_MAP_NAMES.join(', ')})`,
      {
        severity: 'warning',
      },
    );
  }
  for (const w of validation.notModelled?.(object, type) ?? []) {
    r.report('SCENARIO_NOT_MODELLED', nodeAtPath(r, root, w.path), `${kind} "${name}": ${w.message}`, {
      severity: 'warning',
      ...(w.hint !== undefined ? { hint: w.hint } : {}),
    });
  }
  return { object, type, pos };
}

/**
 * The deepest node a field path reaches: `spec.template.spec.containers[0].image`.
 * Map keys may themselves contain dots (annotation keys such as
 * `autoscaling.knative.dev/min-scale`), so at each mapping the longest run of segments
 * that names an existing key wins.
 */
function nodeAtPath(r: Reader, root: unknown, path: string): unknown {
  const tokens: (string | number)[] = [];
  for (const part of path.split('.')) {
    const [, key, indices] = /^([^[]*)((?:\[\d+\])*)$/.exec(part) ?? [];
    if (key === undefined || indices === undefined) {
      tokens.push(part);
      continue;
    }
    if (key !== '') tokens.push(key);
    for (const idx of indices.matchAll(/\[(\d+)\]/g)) tokens.push(Number(idx[1]));
  }
  let node = r.resolve(root);
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (typeof t === 'number') {
      if (!isSeq(node) || t >= node.items.length) break;
      node = r.resolve(node.items[t]);
      i++;
      continue;
    }
    if (!isMap(node)) break;
    let advanced = false;
    // Longest joined run of string segments first, e.g. `autoscaling.knative.dev/min-scale`.
    let end = i;
    while (end < tokens.length && typeof tokens[end] === 'string') end++;
    for (let j = end; j > i; j--) {
      const key = tokens.slice(i, j).join('.');
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (pair !== undefined) {
        node = r.resolve(pair.value ?? pair.key);
        i = j;
        advanced = true;
        break;
      }
    }
    if (!advanced) break;
  }
  return node;
}
