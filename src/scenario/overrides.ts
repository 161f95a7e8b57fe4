/**
 * `--set key.path=value` overrides, applied to the scenario's YAML document before it is
 * checked, so an overridden value is validated like a written one and its errors point
 * at the `--set` argument. Paths follow the scenario's key tree: dots between keys,
 * list items by index (`traffic[0].rate` or `traffic.0.rate`), and double quotes around
 * a key that contains dots (`config.config-domain."example.com"=`). The value is read as
 * YAML: `7` is a number, `true` a boolean, `30s` a string.
 * A path may go on inside an inline manifest of the timeline:
 * `timeline[0].apply.spec.template.metadata.annotations."autoscaling.knative.dev/window"=20s`
 * sets that field of the first document of the `apply` text (`apply[1].spec…` the second).
 * Fidelity: like Helm's `--set`, simplified: no comma-separated lists of assignments.
 */
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, type Document } from 'yaml';
import { didYouMean, type Diagnostic, type SourcePos } from './diagnostics.js';
import { parseYamlDocument } from './reader.js';
import { followPath, SCENARIO_SHAPE } from './shape.js';

interface OverrideResult {
  /** The document with every valid override applied. */
  document: Document.Parsed;
  /** The document as text (comments kept). */
  text: string;
  /** Problems with the `--set` arguments; file is `--set`, column points into the argument. */
  diagnostics: Diagnostic[];
  /** Positions for the nodes the overrides created, so later diagnostics can point at the argument. */
  origins: WeakMap<object, SourcePos>;
}

/** Splits `a.b[0]."c.d"` into `['a', 'b', 0, 'c.d']`, or returns an error message. */
export function parseOverridePath(path: string): { ok: true; segments: (string | number)[] } | { ok: false; message: string } {
  const segments: (string | number)[] = [];
  let i = 0;
  const bad = (why: string): { ok: false; message: string } => ({ ok: false, message: `invalid path "${path}": ${why}` });
  if (path === '') return bad('empty');
  while (i < path.length) {
    if (path[i] === '"') {
      const end = path.indexOf('"', i + 1);
      if (end < 0) return bad('unterminated quote');
      segments.push(path.slice(i + 1, end));
      i = end + 1;
    } else if (path[i] === '[') {
      const end = path.indexOf(']', i);
      const idx = end < 0 ? '' : path.slice(i + 1, end);
      if (!/^\d+$/.test(idx)) return bad('expected a list index like [0]');
      segments.push(Number(idx));
      i = end + 1;
    } else {
      let end = i;
      while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
      if (end === i) return bad('empty key');
      segments.push(path.slice(i, end));
      i = end;
    }
    if (i < path.length) {
      if (path[i] === '.') {
        i++;
        if (i === path.length) return bad('ends with a dot');
      } else if (path[i] !== '[') return bad(`unexpected "${path[i]}"`);
    }
  }
  return { ok: true, segments };
}

/**
 * Applies `--set` arguments in order. Unknown keys (not in the scenario format) and
 * indices past the end of a list are reported and skipped; the other overrides apply.
 */
export function applyOverrides(source: string | Document.Parsed, sets: readonly string[]): OverrideResult {
  const document = typeof source === 'string' ? parseYamlDocument(source).doc : source;
  const diagnostics: Diagnostic[] = [];
  const origins = new WeakMap<object, SourcePos>();
  sets.forEach((set) => {
    const file = `--set ${set}`;
    const report = (column: number, message: string, hint?: string): void => {
      const d: Diagnostic = { file, line: 1, column, code: 'SCENARIO_BAD_OVERRIDE', severity: 'error', message };
      if (hint !== undefined) d.hint = hint;
      diagnostics.push(d);
    };
    const eq = set.indexOf('=');
    if (eq <= 0) {
      report(1, `expected key.path=value, got "${set}"`, 'for example --set config.config-autoscaler.stable-window=30s');
      return;
    }
    const parsedPath = parseOverridePath(set.slice(0, eq));
    if (!parsedPath.ok) {
      report(1, parsedPath.message);
      return;
    }
    const manifest = setInsideManifest(document, parsedPath.segments, set.slice(eq + 1));
    if (manifest !== 'not-a-manifest-path') {
      if (manifest !== 'ok') report(1, manifest);
      return;
    }
    const shapeCheck = followPath(SCENARIO_SHAPE, parsedPath.segments);
    if (!shapeCheck.ok) {
      const seg = String(parsedPath.segments[shapeCheck.failedAt]);
      const where = parsedPath.segments.slice(0, shapeCheck.failedAt).join('.');
      const guess = didYouMean(seg, shapeCheck.allowed);
      report(
        1,
        `unknown path: "${seg}" is not a key ${where === '' ? 'at the top level' : `under ${where}`}`,
        guess !== undefined ? `did you mean "${guess}"?` : shapeCheck.allowed.length > 0 ? `allowed keys: ${shapeCheck.allowed.join(', ')}` : undefined,
      );
      return;
    }
    // Numeric segments index lists that exist; they never create list items.
    const segments: (string | number)[] = [];
    let node: unknown = document.contents;
    for (const seg of parsedPath.segments) {
      if (isSeq(node)) {
        const idx = typeof seg === 'number' ? seg : Number(seg);
        if (!Number.isInteger(idx) || idx >= node.items.length) {
          report(1, `${segments.join('.') || 'document'} has ${node.items.length} item(s); index ${String(seg)} does not exist`);
          return;
        }
        segments.push(idx);
        node = node.items[idx];
      } else {
        if (typeof seg === 'number') {
          report(1, `${segments.join('.') || 'document'} is not a list`);
          return;
        }
        segments.push(seg);
        node = isMap(node) ? node.items.find((p) => isPair(p) && (isScalar(p.key) ? String(p.key.value) : String(p.key)) === seg)?.value : undefined;
      }
    }
    const valueText = set.slice(eq + 1);
    const parsedValue = parseDocument(valueText);
    const value: unknown = parsedValue.errors.length > 0 ? valueText : (parsedValue.toJS() ?? '');
    const created = document.createNode(value);
    if (document.contents === null) (document as Document).contents = document.createNode({});
    try {
      document.setIn(segments, created);
    } catch (err) {
      report(1, `cannot set ${set.slice(0, eq)}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    markOrigins(created, { file, line: 1, column: eq + 2 }, origins);
  });
  return { document, text: document.toString(), diagnostics, origins };
}

/**
 * `timeline[i].apply[<doc>].<path inside the manifest>`: sets a field of an inline manifest
 * (the text is parsed, changed and written back). Returns 'ok', an error message, or
 * 'not-a-manifest-path' for every other path.
 */
function setInsideManifest(document: Document.Parsed, segments: readonly (string | number)[], valueText: string): string {
  const [timeline, index, apply, ...rest] = segments;
  if (timeline !== 'timeline' || apply !== 'apply' || rest.length === 0) return 'not-a-manifest-path';
  const docIndex = typeof rest[0] === 'number' || /^\d+$/.test(String(rest[0])) ? Number(rest.shift()) : 0;
  if (rest.length === 0) return 'not-a-manifest-path';
  const node = document.getIn(['timeline', Number(index), 'apply'], true);
  if (node === undefined) return `timeline[${String(index)}] has no apply`;
  if (!isScalar(node) || typeof node.value !== 'string')
    return `timeline[${String(index)}].apply reads a file: --set reaches inside inline manifests only (write the manifest inline with apply: |)`;
  const docs = parseAllDocuments(node.value);
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return `timeline[${String(index)}].apply is not valid YAML`;
  const doc = docs[docIndex];
  if (doc === undefined) return `timeline[${String(index)}].apply has ${docs.length} document(s); index ${docIndex} does not exist`;
  const parsedValue = parseDocument(valueText);
  const value: unknown = parsedValue.errors.length > 0 ? valueText : (parsedValue.toJS() ?? '');
  try {
    doc.setIn(rest, doc.createNode(value));
  } catch (err) {
    return `cannot set ${rest.join('.')} in timeline[${String(index)}].apply: ${err instanceof Error ? err.message : String(err)}`;
  }
  node.value = docs.map((d) => d.toString()).join('---\n');
  return 'ok';
}

function markOrigins(node: unknown, pos: SourcePos, origins: WeakMap<object, SourcePos>): void {
  if (node === null || typeof node !== 'object') return;
  origins.set(node, pos);
  if (isMap(node) || isSeq(node)) for (const item of node.items) markOrigins(item, pos, origins);
  else if (isPair(node)) {
    markOrigins(node.key, pos, origins);
    markOrigins(node.value, pos, origins);
  }
}
