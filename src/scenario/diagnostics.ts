/**
 * Scenario diagnostics: every problem the loader finds, with a stable code and the
 * file, line and column it points at, reported all at once (the way esbuild and
 * tsc do) rather than stopping at the first.
 * Fidelity: not a Knative concept; the format `file:line:col: error: message`
 * follows compilers so editors and CI annotate the right line.
 */

/** Where something was written: 1-based line and column in `file`. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

/** Stable codes; tests and tools match on these, never on message text. */
export const DIAGNOSTIC_CODES = [
  'SCENARIO_YAML_SYNTAX',
  'SCENARIO_UNKNOWN_KEY',
  'SCENARIO_WRONG_TYPE',
  'SCENARIO_BAD_VALUE',
  'SCENARIO_BAD_DURATION',
  'SCENARIO_MISSING_KEY',
  'SCENARIO_CONFLICTING_KEYS',
  'SCENARIO_DUPLICATE',
  'SCENARIO_OUT_OF_RANGE',
  'SCENARIO_FILE_UNREADABLE',
  'SCENARIO_INVALID_MANIFEST',
  'SCENARIO_UNKNOWN_KIND',
  'SCENARIO_INVALID_CONFIG',
  'SCENARIO_INVALID_KN',
  'SCENARIO_LIMIT_EXCEEDED',
  'SCENARIO_BAD_OVERRIDE',
  /** A warning: a field, annotation or ConfigMap key Knative reads that knsim accepts but does not model. */
  'SCENARIO_NOT_MODELLED',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export type Severity = 'error' | 'warning';

export interface Diagnostic extends SourcePos {
  code: DiagnosticCode;
  message: string;
  severity: Severity;
  /** A did-you-mean or how-to-fix line, shown as `hint:` under the message. */
  hint?: string;
}

/**
 * `file:line:col: error: message`, plus an indented `hint:` line when there is one.
 * Example: `demo.yaml:3:1: error: unknown key "duraton" [SCENARIO_UNKNOWN_KEY]`
 * followed by `  hint: did you mean "duration"?`.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]`;
  return d.hint === undefined ? head : `${head}\n  hint: ${d.hint}`;
}

/** True when at least one diagnostic is an error (warnings alone do not stop a run). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export { didYouMean, editDistance } from '../apis/did-you-mean.js';
