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

/**
 * Edit distance with adjacent transpositions (optimal string alignment, a restricted
 * Damerau–Levenshtein): `duraton` → `duration` is 1 (one insertion), `sesd` → `seed` is 1,
 * `raet` → `rate` is 1 (one swap).
 */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  // Three rolling rows: the transposition step looks two rows back.
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = new Array<number>(m + 1);
  let cur = new Array<number>(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
    }
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m];
}

/**
 * The closest candidate to a misspelt word, or undefined when none is close enough.
 * "Close" is at most a third of the word's length (at least 1, at most 3 edits), compared
 * case-insensitively, so `Duration` → `duration` and `stable-windw` → `stable-window`
 * but `xyz` suggests nothing. Ties go to the candidate listed first.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const budget = Math.min(3, Math.max(1, Math.floor(w.length / 3)));
  let best: string | undefined;
  let bestDistance = budget + 1;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
