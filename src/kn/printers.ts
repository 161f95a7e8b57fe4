/**
 * kn's printing machinery, shared by its list tables and describe pages: the prefix writer
 * (attributes as `Label:<tab>value` lines, nested sections indented by two spaces or one
 * column), the metadata block (Name, Namespace, Labels and Annotations without Knative's own
 * "boring" keys, Age), the conditions table (`%-2s %-Ns %6s %-s`, Ready first, then by
 * severity and type) and the cells of the list tables (`3 OK / 4`, READY, REASON).
 *
 * Mirrors knative/client pkg/printers/prefixwriter.go and pkg/commands/{describe.go,
 * human_readable_flags.go}. Ages are virtual time since the timestamp: long form
 * (`HumanDuration`, `119s`, `3m20s`) in tables, short form (`ShortHumanDuration`, `2m`) on
 * describe pages. Fidelity: knsim's objects carry no creator/lastModifier annotations.
 */
import type { Condition } from '../apis/meta.js';
import { formatAge, formatShortAge } from '../engine/units.js';
import { KN_DESCRIBE, TabWriter } from '../k8s/tabwriter.js';

/** kn truncates one-line maps and lists at this many characters (`TruncateAt`). */
const TRUNCATE_AT = 100;

/** Writes text at an indentation: spaces for a nested attribute, a tab (one column) for a record's further parts. */
export class PrefixWriter {
  private constructor(
    private readonly out: TabWriter,
    private readonly parent: PrefixWriter | undefined,
    private readonly colIndent: number,
    private readonly spaceIndent: number,
  ) {}

  /** A writer over a tab writer with kn's describe settings (min width 0, tab width 8, padding 2). */
  static describe(): PrefixWriter {
    return new PrefixWriter(new TabWriter(KN_DESCRIBE), undefined, 0, 0);
  }

  /** Text at this writer's indentation. */
  write(text: string): void {
    const prefix = '  '.repeat(this.spaceIndent) + '\t'.repeat(this.colIndent);
    if (this.parent !== undefined) this.parent.write(prefix + text);
    else this.out.write(prefix + text);
  }

  /** Columns separated by tabs; returns a writer for further parts of the record, one column in. */
  writeCols(...cols: string[]): PrefixWriter {
    this.write(cols.join('\t'));
    return new PrefixWriter(this.out, this, 1, 0);
  }

  writeColsLn(...cols: string[]): PrefixWriter {
    const ret = this.writeCols(...cols);
    this.writeLine();
    return ret;
  }

  /** A bare newline, never indented. */
  writeLine(): void {
    this.out.write('\n');
  }

  /** `Label:<tab>value` and a writer for its sub-attributes, two spaces in. */
  writeAttribute(attr: string, value: string): PrefixWriter {
    this.writeColsLn(`${attr}:`, value);
    return new PrefixWriter(this.out, this, 0, 1);
  }

  flush(): void {
    this.out.flush();
  }

  /** Everything written, flushed. */
  text(): string {
    return this.out.text();
  }
}

/** Keys whose domain is Knative's or kubectl's own: left out of the one-line Labels/Annotations. */
const BORING_DOMAINS = new Set(['serving.knative.dev', 'client.knative.dev', 'kubectl.kubernetes.io']);

function keyIsBoring(key: string): boolean {
  const parts = key.split('/');
  return parts.length > 1 && BORING_DOMAINS.has(parts[0] ?? '');
}

/** Go's strings.TrimRight with a cut set. */
function trimRightChars(text: string, cutset: string): string {
  let end = text.length;
  while (end > 0 && cutset.includes(text.charAt(end - 1))) end--;
  return text.slice(0, end);
}

/** `k=v, k=v` over sorted keys, cut to `width` with " ..." once it runs over. */
function joinAndTruncate(keys: readonly string[], m: Record<string, string>, width: number): string {
  let ret = '';
  for (const key of keys) {
    ret += `${key}=${m[key] ?? ''}, `;
    if (ret.length > width) break;
  }
  ret = trimRightChars(ret, ', ');
  return ret.length <= width ? ret : `${ret.slice(0, width - 4)} ...`;
}

/** A map as one line (Knative's own keys left out), or with details one `key=value` per line. */
export function writeMapDesc(dw: PrefixWriter, m: Record<string, string> | undefined, label: string, details: boolean): void {
  if (m === undefined) return;
  const keys = Object.keys(m)
    .filter((k) => details || !keyIsBoring(k))
    .sort();
  if (keys.length === 0) return;
  if (details) {
    keys.forEach((key, i) => dw.writeColsLn(i === 0 ? `${label}:` : '', `${key}=${m[key] ?? ''}`));
    return;
  }
  dw.writeColsLn(`${label}:`, joinAndTruncate(keys, m, TRUNCATE_AT - label.length - 2));
}

/** A list as one line cut at 100 characters, or with details one item per line. */
export function writeSliceDesc(dw: PrefixWriter, items: readonly string[], label: string, details: boolean): void {
  if (items.length === 0) return;
  if (details) {
    items.forEach((item, i) => dw.writeColsLn(i === 0 ? `${label}:` : '', item));
    return;
  }
  let joined = items.join(', ');
  if (joined.length > TRUNCATE_AT) joined = `${joined.slice(0, TRUNCATE_AT - 4)} ...`;
  dw.writeAttribute(label, joined);
}

interface Meta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: number;
}

/** A describe page's age: `2m` (empty when the object has no creation time). */
export function describeAge(nowMs: number, timestampMs: number | undefined): string {
  return timestampMs === undefined ? '' : formatShortAge(nowMs - timestampMs);
}

/** A list table's age: `119s`, `3m20s` (`<unknown>` without a creation time). */
export function listAge(nowMs: number, timestampMs: number | undefined): string {
  return timestampMs === undefined ? '<unknown>' : formatAge(nowMs - timestampMs);
}

/** Name, Namespace, Labels, Annotations, Age. */
export function writeMetadata(dw: PrefixWriter, m: Meta, nowMs: number, details: boolean): void {
  dw.writeAttribute('Name', m.name);
  dw.writeAttribute('Namespace', m.namespace ?? '');
  writeMapDesc(dw, m.labels, 'Labels', details);
  writeMapDesc(dw, m.annotations, 'Annotations', details);
  dw.writeAttribute('Age', describeAge(nowMs, m.creationTimestamp));
}

/** `++` True, `!!` False (error), ` W`/` I` False warning/info, ` !` False otherwise, `??` Unknown. */
function formatStatus(c: Condition): string {
  if (c.status === 'True') return '++';
  if (c.status !== 'False') return '??';
  switch (c.severity ?? '') {
    case '':
    case 'Error':
      return '!!';
    case 'Warning':
      return ' W';
    case 'Info':
      return ' I';
    default:
      return ' !';
  }
}

const severityOf = (c: Condition): string => (c.severity === 'Error' ? '' : (c.severity ?? ''));

/** kn's order: Ready first; then errors, warnings, infos; by type within a severity. Stable. */
function before(a: Condition, b: Condition): boolean {
  if (a.type === 'Ready') return b.type !== 'Ready';
  if (b.type === 'Ready') return false;
  const sa = severityOf(a);
  const sb = severityOf(b);
  if (sa === sb) return a.type < b.type;
  if (sa === '') return true;
  if (sa === 'Warning') return sb === 'Info';
  return false;
}

export function sortConditions(conditions: readonly Condition[]): Condition[] {
  return [...conditions].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
}

/** Go's `%-Ns`: left-aligned, at least n wide. */
const left = (s: string, n: number): string => s.padEnd(n);
/** Go's `%Ns`: right-aligned, at least n wide. */
const right = (s: string, n: number): string => s.padStart(n);

/** The conditions table: `OK TYPE AGE REASON`, each row formatted in place (not through the columns). */
export function writeConditions(dw: PrefixWriter, conditions: readonly Condition[] | undefined, nowMs: number, printMessage: boolean): void {
  const section = dw.writeAttribute('Conditions', '');
  const sorted = sortConditions(conditions ?? []);
  const typeWidth = Math.max(0, ...sorted.map((c) => c.type.length));
  const row = (ok: string, type: string, age: string, reason: string): string => `${left(ok, 2)} ${left(type, typeWidth)} ${right(age, 6)} ${reason}\n`;
  section.write(row('OK', 'TYPE', 'AGE', 'REASON'));
  for (const c of sorted) {
    let reason = c.reason ?? '';
    if (printMessage && reason !== '') reason = `${reason} (${c.message ?? ''})`;
    section.write(row(formatStatus(c), c.type, describeAge(nowMs, c.lastTransitionTime), reason));
  }
}

/** `n OK / m`: conditions that are True, of all. */
export function conditionsValue(conditions: readonly Condition[] | undefined): string {
  const list = conditions ?? [];
  return `${list.filter((c) => c.status === 'True').length} OK / ${list.length}`;
}

/** The Ready condition's status, `<unknown>` without one. */
export function readyCondition(conditions: readonly Condition[] | undefined): string {
  return (conditions ?? []).find((c) => c.type === 'Ready')?.status ?? '<unknown>';
}

/** `Reason : Message` of a Ready condition that is not True; empty when Ready; `<unknown>` without one. */
export function nonReadyConditionReason(conditions: readonly Condition[] | undefined): string {
  const ready = (conditions ?? []).find((c) => c.type === 'Ready');
  if (ready === undefined) return '<unknown>';
  if (ready.status === 'True') return '';
  return ready.message ? `${ready.reason ?? ''} : ${ready.message}` : (ready.reason ?? '');
}
