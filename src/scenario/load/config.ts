/**
 * Reads `config:`: Knative's ConfigMaps of namespace knative-serving, either as a mapping
 * `config-autoscaler: {key: value}` or as a list of real ConfigMap documents (inline or
 * `{file: …}`). Keys are checked against what knsim reads (a warning for the others) and
 * values with Knative's own parsers; `config-autoscaler` and `config-defaults` become the
 * load's autoscaler and defaults configs, which the manifests of the timeline are
 * defaulted and validated against.
 */
import { parseAutoscalerConfig } from '../../apis/config/autoscaler.js';
import { parseDefaultsConfig } from '../../apis/config/defaults.js';
import { checkConfigKey, validateConfigData } from '../config-check.js';
import { didYouMean, type SourcePos } from '../diagnostics.js';
import { positionMapForScalar } from '../manifests.js';
import { parseYamlDocuments, Reader, type PositionMap, type SourceDoc } from '../reader.js';
import { CONFIG_SHAPE, FILE_REF_SHAPE } from '../shape.js';
import { CONFIG_MAP_NAMES, type ConfigMapName, type ScenarioConfigMap } from '../types.js';
import { readFileAt, type LoadContext } from './context.js';

/** `config:`, sorted by ConfigMap name. */
export function readConfig(ctx: LoadContext, node: unknown): ScenarioConfigMap[] {
  const r = ctx.r;
  const out = new Map<string, ScenarioConfigMap>();
  if (r.kindOf(node) === 'list') {
    const items = r.items(node, 'config') ?? [];
    items.forEach((item, i) => {
      const p = `config[${i}]`;
      let text: string;
      let map: PositionMap;
      if (r.kindOf(item) === 'mapping') {
        const f = r.fields(item, p, FILE_REF_SHAPE);
        const fileNode = f === undefined ? undefined : r.require(f, 'file', p);
        if (fileNode === undefined) return;
        const read = readFileAt(ctx, fileNode, `${p}.file`);
        if (read === undefined) return;
        text = read.text;
        map = { kind: 'shift', file: read.resolved, lineOffset: 0, columnOffset: 0 };
      } else {
        const s = r.string(item, p);
        if (s === undefined) return;
        text = s;
        map = positionMapForScalar(r, item, ctx.text);
      }
      for (const src of parseYamlDocuments(text, map, ctx.limits.maxAliasCount, r.diags)) {
        if (src.doc.contents === null) continue;
        const cm = readConfigMapDocument(r, src, p);
        if (cm === undefined) continue;
        if (out.has(cm.name)) r.report('SCENARIO_DUPLICATE', cm.pos, `${p}: ConfigMap ${cm.name} is given twice`);
        else out.set(cm.name, cm);
      }
    });
  } else {
    const f = r.fields(node, 'config', CONFIG_SHAPE);
    for (const field of f?.list ?? []) {
      const data = readData(r, field.value, `config.${field.key}`);
      // CONFIG_SHAPE lets only the names of CONFIG_MAP_NAMES through, so the guard always holds.
      if (data !== undefined && isConfigMapName(field.key))
        out.set(field.key, { name: field.key, namespace: 'knative-serving', data: data.data, keyPos: data.keyPos, pos: r.pos(field.keyNode) });
    }
  }
  const list = [...out.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const cm of list) checkConfigMap(r, cm);
  const autoscaler = list.find((c) => c.name === 'config-autoscaler');
  if (autoscaler !== undefined) {
    const parsed = parseAutoscalerConfig(autoscaler.data);
    if ('config' in parsed) ctx.autoscalerConfig = parsed.config;
  }
  const defaults = list.find((c) => c.name === 'config-defaults');
  if (defaults !== undefined) {
    const parsed = parseDefaultsConfig(defaults.data);
    if ('config' in parsed) ctx.defaultsConfig = parsed.config;
  }
  return list;
}

/** A real ConfigMap document from the `config:` list. */
function readConfigMapDocument(scenarioReader: Reader, src: SourceDoc, path: string): ScenarioConfigMap | undefined {
  const r = new Reader(src, scenarioReader.diags);
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
  if (!isConfigMapName(name)) {
    const guess = didYouMean(name, CONFIG_MAP_NAMES);
    r.report(
      'SCENARIO_BAD_VALUE',
      nameNode,
      `${path}: knsim reads ConfigMaps ${CONFIG_MAP_NAMES.join(', ')}, not "${name}"`,
      guess !== undefined ? { hint: `did you mean "${guess}"?` } : {},
    );
    return undefined;
  }
  const nsNode = meta.get('namespace');
  if (nsNode !== undefined && r.scalar(nsNode) !== 'knative-serving') {
    r.report('SCENARIO_BAD_VALUE', nsNode, `${path}: ConfigMap ${name} must be in namespace knative-serving, not "${String(r.scalar(nsNode))}"`);
    return undefined;
  }
  const data = f.has('data') ? readData(r, f.get('data'), `${path}.data`) : { data: {}, keyPos: {} };
  if (data === undefined) return undefined;
  return { name, namespace: 'knative-serving', data: data.data, keyPos: data.keyPos, pos: r.pos(src.doc.contents) };
}

function isConfigMapName(name: string): name is ConfigMapName {
  return (CONFIG_MAP_NAMES as readonly string[]).includes(name);
}

/** ConfigMap data: string values; YAML numbers and booleans become the text written (`1.0` stays `1.0`). */
function readData(r: Reader, node: unknown, path: string): { data: Record<string, string>; keyPos: Record<string, SourcePos> } | undefined {
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

function checkConfigMap(r: Reader, cm: ScenarioConfigMap): void {
  for (const key of Object.keys(cm.data)) {
    const w = checkConfigKey(cm.name, key);
    if (w !== undefined)
      r.report(w.notModelled === true ? 'SCENARIO_NOT_MODELLED' : 'SCENARIO_UNKNOWN_KEY', cm.keyPos[key], w.message, {
        severity: 'warning',
        ...(w.hint !== undefined ? { hint: w.hint } : {}),
      });
  }
  for (const e of validateConfigData(cm.name, cm.data)) {
    r.report('SCENARIO_INVALID_CONFIG', cm.keyPos[e.path] ?? cm.pos, `${cm.name}: ${e.message}`);
  }
}
