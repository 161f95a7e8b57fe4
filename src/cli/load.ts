/**
 * Reading scenarios for a command: the flags every scenario command shares (--seed,
 * --duration, --set, given to the loader as overrides), the files read from disk, and every
 * diagnostic printed on stderr, located as the user typed it.
 */
import { readFileSync } from 'node:fs';
import { formatDiagnostic, loadScenarioText, parseDuration, type Diagnostic, type Scenario } from '../index.js';
import { UsageError } from './exit.js';

// The options commander parses for the commands defined in main.ts' buildProgram; it hands them
// over untyped, so each action names its shape.
export interface LoadFlags {
  seed?: string;
  duration?: string;
  set?: string[];
}

/** Reads and checks scenario files; prints every diagnostic; returns undefined if any was an error. */
export function loadScenarios(files: readonly string[], flags: LoadFlags): { file: string; scenario: Scenario }[] | undefined {
  const sets = overrideSets(flags);
  const loaded: { file: string; scenario: Scenario }[] = [];
  let failed = false;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      process.stderr.write(
        `${file}: error: cannot read the scenario: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}\n`,
      );
      failed = true;
      continue;
    }
    const { scenario, diagnostics } = loadScenarioText(text, { file, sets, readFile: (path) => readFileSync(path, 'utf8') });
    printDiagnostics(diagnostics.map((d) => ({ ...d, file: flagLabel(d.file, flags) })));
    if (scenario === undefined) failed = true;
    else loaded.push({ file, scenario });
  }
  return failed ? undefined : loaded;
}

/** Reads and checks one scenario file as loadScenarios does; undefined if it had an error. */
export function loadScenario(file: string, flags: LoadFlags): Scenario | undefined {
  return loadScenarios([file], flags)?.[0]?.scenario;
}

/** The `--set`s the loader is given: every `--set`, then `--seed` and `--duration` as `--set`s. */
export function overrideSets(flags: LoadFlags): string[] {
  const sets = [...(flags.set ?? [])];
  if (flags.seed !== undefined) sets.push(`seed=${flags.seed}`);
  if (flags.duration !== undefined) {
    const d = parseDuration(flags.duration);
    if (!d.ok || d.ms <= 0) throw new UsageError(`--duration: ${d.ok ? 'must be greater than 0' : d.message}`);
    sets.push(`duration=${flags.duration}`);
  }
  return sets;
}

/** `--seed` and `--duration` are given to the loader as `--set`s; name them as the user typed them. */
export function flagLabel(file: string, flags: LoadFlags): string {
  if (flags.seed !== undefined && file === `--set seed=${flags.seed}`) return `--seed ${flags.seed}`;
  if (flags.duration !== undefined && file === `--set duration=${flags.duration}`) return `--duration ${flags.duration}`;
  return file;
}

function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) process.stderr.write(`${errors} error${errors === 1 ? '' : 's'}\n`);
}
