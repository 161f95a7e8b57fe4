/**
 * Reading YAML with source positions: a parsed document plus helpers that check one
 * value each (string, number, duration, quantity, enum, mapping with known keys),
 * record a diagnostic at the node's line and column when it is wrong, and return
 * undefined so the caller carries on and every problem is found in one pass.
 * Fidelity: positions are 1-based line and column of the node's first character, as
 * the `yaml` package's LineCounter gives them; text inside a literal block scalar
 * (`apply: |`) maps line for line onto the scenario file.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type Scalar,
} from 'yaml';
import { parseMemoryBytes } from '../apis/core.js';
import { parseDuration } from '../engine/units.js';
import { didYouMean, type Diagnostic, type DiagnosticCode, type Severity, type SourcePos } from './diagnostics.js';
import { keysOf, type Shape } from './shape.js';

/** How text positions map to the file the user edits. */
export type PositionMap =
  /** The text is the file itself, or a literal block shifted by whole lines and a fixed indentation. */
  | { kind: 'shift'; file: string; lineOffset: number; columnOffset: number }
  /** The text came from a quoted or folded scalar: every position is that scalar's. */
  | { kind: 'fixed'; pos: SourcePos };

/** One parsed YAML document with the means to turn node offsets into file positions. */
export interface SourceDoc {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  map: PositionMap;
}

function positionAt(lineCounter: LineCounter, map: PositionMap, offset: number): SourcePos {
  if (map.kind === 'fixed') return map.pos;
  const lp = lineCounter.linePos(offset);
  return { file: map.file, line: lp.line + map.lineOffset, column: lp.col + map.columnOffset };
}

/**
 * Parses every YAML document of `text`, reporting syntax errors (and, for the first
 * error of each document, stopping that document). Aliases beyond `maxAliasCount` are
 * refused: `toJS` counts alias expansion and throws before a billion-laughs document grows.
 * A text longer than `maxYamlBytes` is refused before parsing (parsing costs far more memory than the text).
 */
export function parseYamlDocuments(text: string, map: PositionMap, limits: { maxAliasCount: number; maxYamlBytes: number }, diags: Diagnostic[]): SourceDoc[] {
  const maxAliasCount = limits.maxAliasCount;
  if (text.length > limits.maxYamlBytes) {
    diags.push({
      ...positionAt(new LineCounter(), map, 0),
      code: 'SCENARIO_LIMIT_EXCEEDED',
      severity: 'error',
      message: `this YAML text has ${text.length} characters, more than ${limits.maxYamlBytes} (limits.maxYamlSize)`,
      hint: 'raise it with "limits: {maxYamlSize: 8Mi}" in the scenario, or --set limits.maxYamlSize=8Mi',
    });
    return [];
  }
  const lineCounter = new LineCounter();
  const docs = parseAll(text, lineCounter);
  const out: SourceDoc[] = [];
  for (const doc of docs) {
    let broken = false;
    for (const e of doc.errors) {
      broken = true;
      const pos = positionAt(lineCounter, map, e.pos[0]);
      diags.push({ ...pos, code: 'SCENARIO_YAML_SYNTAX', severity: 'error', message: firstLine(e.message) });
    }
    for (const w of doc.warnings) {
      const pos = positionAt(lineCounter, map, w.pos[0]);
      diags.push({ ...pos, code: 'SCENARIO_YAML_SYNTAX', severity: 'warning', message: firstLine(w.message) });
    }
    if (broken) continue;
    try {
      doc.toJS({ maxAliasCount });
    } catch (err) {
      const at = firstAliasOffset(doc) ?? 0;
      const pos = positionAt(lineCounter, map, at);
      const why = err instanceof Error ? err.message : String(err);
      diags.push({
        ...pos,
        code: 'SCENARIO_LIMIT_EXCEEDED',
        severity: 'error',
        message: `YAML aliases expand too much (more than ${maxAliasCount} alias uses): ${why}`,
      });
      continue;
    }
    out.push({ doc, lineCounter, map });
  }
  return out;
}

function parseAll(text: string, lineCounter: LineCounter): Document.Parsed[] {
  // One LineCounter over the whole stream, so offsets of every document map to lines.
  const result = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  return Array.from(result as Iterable<Document.Parsed>);
}

/** Parses a single-document YAML text (the scenario itself). */
export function parseYamlDocument(text: string): { doc: Document.Parsed; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  return { doc, lineCounter };
}

/** The first line of a multi-line message (the yaml library's errors carry a source excerpt after it). */
export function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return nl < 0 ? message : message.slice(0, nl);
}

function firstAliasOffset(doc: Document.Parsed): number | undefined {
  let found: number | undefined;
  const visit = (n: unknown): void => {
    if (found !== undefined || n === null || typeof n !== 'object') return;
    if (isAlias(n)) {
      found = n.range?.[0];
      return;
    }
    if (isMap(n) || isSeq(n)) for (const item of n.items) visit(item);
    else if (isPair(n)) {
      visit(n.key);
      visit(n.value);
    }
  };
  visit(doc.contents);
  return found;
}

/** A key of a mapping as read: its name, its key node (for positions) and its value node. */
interface Field {
  key: string;
  keyNode: YamlNode;
  value: unknown;
}

/** The fields of one mapping in file order, with lookups. */
export class Fields {
  readonly list: Field[];
  /** Keys suggested by a did-you-mean here: a missing one of them is not reported twice. */
  readonly suggested = new Set<string>();
  constructor(
    list: Field[],
    readonly node: unknown,
  ) {
    this.list = list;
  }
  get(key: string): unknown {
    return this.list.find((f) => f.key === key)?.value;
  }
  has(key: string): boolean {
    return this.list.some((f) => f.key === key);
  }
  field(key: string): Field | undefined {
    return this.list.find((f) => f.key === key);
  }
}

type ValueKind = 'mapping' | 'list' | 'string' | 'number' | 'boolean' | 'null';

const MAX_ALIAS_DEPTH = 32;

/**
 * Checks values of one YAML source and records diagnostics. `path` arguments are the
 * dotted scenario paths (`traffic[0].rate`) used in messages.
 */
export class Reader {
  constructor(
    readonly src: SourceDoc,
    readonly diags: Diagnostic[],
    /** Positions for nodes that have no range (added by `--set`). */
    readonly extraPos: WeakMap<object, SourcePos> = new WeakMap(),
  ) {}

  /** Position of a node, or of the document start when it has none. */
  pos(node: unknown): SourcePos {
    if (node !== null && typeof node === 'object') {
      const extra = this.extraPos.get(node);
      if (extra !== undefined) return extra;
      const range = (node as { range?: [number, number, number] | null }).range;
      if (range) return positionAt(this.src.lineCounter, this.src.map, range[0]);
    }
    return positionAt(this.src.lineCounter, this.src.map, this.src.doc.contents?.range?.[0] ?? 0);
  }

  report(code: DiagnosticCode, at: unknown, message: string, options: { hint?: string; severity?: Severity } = {}): void {
    const pos = isSourcePos(at) ? at : this.pos(at);
    const d: Diagnostic = { ...pos, code, message, severity: options.severity ?? 'error' };
    if (options.hint !== undefined) d.hint = options.hint;
    this.diags.push(d);
  }

  /** Follows aliases to the node they name. */
  resolve(node: unknown): unknown {
    let n = node;
    for (let depth = 0; isAlias(n) && depth < MAX_ALIAS_DEPTH; depth++) n = n.resolve(this.src.doc);
    return n;
  }

  kindOf(node: unknown): ValueKind {
    const n = this.resolve(node);
    if (isMap(n)) return 'mapping';
    if (isSeq(n)) return 'list';
    if (isScalar(n)) {
      const v = n.value;
      if (v === null || v === undefined) return 'null';
      if (typeof v === 'number' || typeof v === 'bigint') return 'number';
      if (typeof v === 'boolean') return 'boolean';
      return 'string';
    }
    return 'null';
  }

  /** The raw JS value of a scalar (after aliases), or undefined for collections. */
  scalar(node: unknown): unknown {
    const n = this.resolve(node);
    return isScalar(n) ? n.value : undefined;
  }

  /** A scalar as ConfigMap data would hold it: the source text for plain numbers and booleans (`1.0` stays `1.0`). */
  scalarText(node: unknown): string | undefined {
    const n = this.resolve(node) as Scalar | undefined;
    if (!isScalar(n)) return undefined;
    if (n.value === null || n.value === undefined) return '';
    if (typeof n.value === 'string') return n.value;
    if (typeof n.source === 'string' && n.type === 'PLAIN') return n.source;
    // The core schema leaves numbers, booleans and (with intAsBigInt) bigints here; anything else shows as JSON.
    const v = n.value;
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
    return JSON.stringify(v);
  }

  wrongType(node: unknown, path: string, expected: string): void {
    const kind = this.kindOf(node);
    const shown = kind === 'string' || kind === 'number' || kind === 'boolean' ? ` ${JSON.stringify(this.scalar(node))}` : '';
    this.report('SCENARIO_WRONG_TYPE', node, `${path === '' ? 'the scenario' : path}: expected ${expected}, got ${article(kind)}${shown}`);
  }

  /**
   * A mapping whose keys must be among `shape`'s keys (or any key for a dict shape).
   * Unknown keys are reported with a did-you-mean; duplicate keys are syntax errors already.
   */
  fields(node: unknown, path: string, shape: Shape | 'any'): Fields | undefined {
    const n = this.resolve(node);
    if (!isMap(n)) {
      this.wrongType(node, path, 'a mapping');
      return undefined;
    }
    const allowed = shape === 'any' || shape.kind === 'dict' ? undefined : keysOf(shape);
    const list: Field[] = [];
    const suggested: string[] = [];
    for (const pair of n.items) {
      // `Document.setIn` (used by --set) adds pairs whose key is a plain string, not a node;
      // such a key takes its value's position.
      const plainKey = typeof pair.key === 'string' || typeof pair.key === 'number';
      const keyNode = (plainKey ? (pair.value ?? n) : this.resolve(pair.key)) as YamlNode;
      const keyValue = plainKey ? pair.key : isScalar(keyNode) ? keyNode.value : undefined;
      if (typeof keyValue !== 'string' && typeof keyValue !== 'number' && typeof keyValue !== 'boolean') {
        this.report('SCENARIO_WRONG_TYPE', keyNode ?? n, `${path}: keys must be plain strings`);
        continue;
      }
      const key = plainKey ? String(keyValue) : (this.scalarText(keyNode) ?? String(keyValue));
      if (allowed !== undefined && !allowed.includes(key)) {
        const guess = didYouMean(key, allowed);
        if (guess !== undefined) suggested.push(guess);
        const where = path === '' ? 'at the top level' : `in ${path}`;
        this.report('SCENARIO_UNKNOWN_KEY', keyNode, `unknown key "${key}" ${where}`, {
          hint: guess !== undefined ? `did you mean "${guess}"?` : `allowed keys: ${allowed.join(', ')}`,
        });
        continue;
      }
      list.push({ key, keyNode, value: pair.value ?? keyNode });
    }
    const fields = new Fields(list, n);
    for (const g of suggested) fields.suggested.add(g);
    return fields;
  }

  /** Items of a list, or undefined (reported) when the node is not a list. */
  items(node: unknown, path: string): unknown[] | undefined {
    const n = this.resolve(node);
    if (!isSeq(n)) {
      this.wrongType(node, path, 'a list');
      return undefined;
    }
    return n.items;
  }

  /** Reports a missing required key at the mapping's position. */
  require(fields: Fields, key: string, path: string): unknown {
    const v = fields.get(key);
    if (v === undefined && !fields.suggested.has(key))
      this.report('SCENARIO_MISSING_KEY', fields.node, `${path === '' ? '' : `${path}: `}missing required key "${key}"`);
    return v;
  }

  string(node: unknown, path: string, options: { nonEmpty?: boolean; lenient?: boolean } = {}): string | undefined {
    const kind = this.kindOf(node);
    let s: string | undefined;
    if (kind === 'string') s = this.scalar(node) as string;
    else if (options.lenient === true && (kind === 'number' || kind === 'boolean')) s = this.scalarText(node);
    if (s === undefined) {
      this.wrongType(node, path, 'a string');
      return undefined;
    }
    if (options.nonEmpty === true && s.trim() === '') {
      this.report('SCENARIO_BAD_VALUE', node, `${path}: must not be empty`);
      return undefined;
    }
    return s;
  }

  number(node: unknown, path: string, range: { min?: number; max?: number; minExclusive?: number; integer?: boolean } = {}): number | undefined {
    if (this.kindOf(node) !== 'number') {
      this.wrongType(node, path, range.integer === true ? 'an integer' : 'a number');
      return undefined;
    }
    const v = Number(this.scalar(node));
    if (!Number.isFinite(v)) {
      this.report('SCENARIO_BAD_VALUE', node, `${path}: must be a finite number`);
      return undefined;
    }
    if (range.integer === true && !Number.isInteger(v)) {
      this.report('SCENARIO_WRONG_TYPE', node, `${path}: expected an integer, got ${v}`);
      return undefined;
    }
    if (range.min !== undefined && v < range.min) return this.outOfRange(node, path, v, `at least ${range.min}`);
    if (range.minExclusive !== undefined && v <= range.minExclusive) return this.outOfRange(node, path, v, `greater than ${range.minExclusive}`);
    if (range.max !== undefined && v > range.max) return this.outOfRange(node, path, v, `at most ${range.max}`);
    return v;
  }

  private outOfRange(node: unknown, path: string, v: number, want: string): undefined {
    this.report('SCENARIO_OUT_OF_RANGE', node, `${path}: ${v} is out of range, must be ${want}`);
    return undefined;
  }

  boolean(node: unknown, path: string): boolean | undefined {
    if (this.kindOf(node) !== 'boolean') {
      this.wrongType(node, path, 'true or false');
      return undefined;
    }
    return this.scalar(node) as boolean;
  }

  /**
   * A Go duration string (`500ms`, `30s`, `1h30m`). A bare number other than 0 is refused
   * with a hint, because `at: 30` could mean seconds or milliseconds.
   */
  duration(node: unknown, path: string, options: { allowZero?: boolean } = {}): number | undefined {
    const kind = this.kindOf(node);
    let ms: number | undefined;
    if (kind === 'number') {
      const v = Number(this.scalar(node));
      if (v !== 0) {
        this.report('SCENARIO_BAD_DURATION', node, `${path}: a duration needs a unit, got the number ${v}`, { hint: `write "${v}s" or "${v}ms"` });
        return undefined;
      }
      ms = 0;
    } else if (kind === 'string') {
      const parsed = parseDuration(this.scalar(node) as string);
      if (!parsed.ok) {
        this.report('SCENARIO_BAD_DURATION', node, `${path}: ${parsed.message}`);
        return undefined;
      }
      ms = parsed.ms;
    } else {
      this.wrongType(node, path, 'a duration such as 30s');
      return undefined;
    }
    if (ms < 0) {
      this.report('SCENARIO_BAD_DURATION', node, `${path}: duration must not be negative, got ${String(this.scalar(node))}`);
      return undefined;
    }
    if (ms === 0 && options.allowZero === false) {
      this.report('SCENARIO_BAD_DURATION', node, `${path}: duration must be greater than 0`);
      return undefined;
    }
    return ms;
  }

  /** A Kubernetes memory quantity (`250Mi`, `1G`, or a number of bytes). */
  bytes(node: unknown, path: string): number | undefined {
    const kind = this.kindOf(node);
    if (kind !== 'string' && kind !== 'number') {
      this.wrongType(node, path, 'a quantity such as 250Mi');
      return undefined;
    }
    const text = String(this.scalarText(node));
    const v = parseMemoryBytes(text);
    if (!Number.isFinite(v) || v < 0) {
      this.report(
        'SCENARIO_BAD_VALUE',
        node,
        `${path}: invalid quantity "${text}": expected a number of bytes with an optional suffix such as Ki, Mi, Gi, k, M, G`,
      );
      return undefined;
    }
    return v;
  }

  /** One of a fixed set of words, with a did-you-mean. */
  oneOf<T extends string>(node: unknown, path: string, options: readonly T[]): T | undefined {
    const s = this.kindOf(node) === 'string' ? (this.scalar(node) as string) : undefined;
    if (s === undefined) {
      this.wrongType(node, path, `one of ${options.join(', ')}`);
      return undefined;
    }
    if ((options as readonly string[]).includes(s)) return s as T;
    const guess = didYouMean(s, options);
    this.report(
      'SCENARIO_BAD_VALUE',
      node,
      `${path}: "${s}" is not one of ${options.join(', ')}`,
      guess !== undefined ? { hint: `did you mean "${guess}"?` } : {},
    );
    return undefined;
  }
}

function isSourcePos(v: unknown): v is SourcePos {
  return v !== null && typeof v === 'object' && typeof (v as SourcePos).file === 'string' && typeof (v as SourcePos).line === 'number' && !('range' in v);
}

function article(kind: ValueKind): string {
  switch (kind) {
    case 'mapping':
      return 'a mapping';
    case 'list':
      return 'a list';
    case 'null':
      return 'nothing (null)';
    default:
      return `a ${kind}`;
  }
}
