/**
 * Running a scenario in a test: from a builder, a document, YAML text or a loaded Scenario, with
 * the report's recordings on (the queries and invariants read them), optionally checking
 * invariants; and an assertion that throws with every broken invariant's message.
 * Fidelity: the same Simulation `knsim run` drives; nothing is stubbed.
 */
import type { PlantedBug } from '../engine/index.js';
import { formatDiagnostic, hasErrors, INVARIANT_NAMES, loadScenario, type InvariantName, type Scenario } from '../scenario/index.js';
import { runScenario, type RunResult } from '../sim/index.js';
import { ScenarioBuilder, ScenarioError, loadDocument } from './builder.js';
import type { ScenarioDocument } from './document.js';

/** Anything `run` accepts: a builder, a document, YAML text, or a Scenario from the loader. */
export type ScenarioInput = ScenarioBuilder | ScenarioDocument | string | Scenario;

export interface TestRunOptions {
  /** Overrides the scenario's seed. */
  seed?: string | number;
  /** Invariants to check (replacing the scenario's `invariants:`); `'all'` for every one. Results in `result.invariants`. */
  invariants?: readonly InvariantName[] | 'all';
  /** Test seam (src/engine/planted-bugs.ts): bugs planted on purpose to see a check find them. */
  plantedBugs?: readonly PlantedBug[];
}

/** Loads any input into a checked Scenario; throws a ScenarioError with every problem. */
export function toScenario(input: ScenarioInput): Scenario {
  if (input instanceof ScenarioBuilder) return input.build();
  if (typeof input === 'string') {
    const loaded = loadScenario(input, { file: 'inline.yaml' });
    if (loaded.scenario === undefined || hasErrors(loaded.diagnostics)) throw new ScenarioError(loaded.diagnostics);
    return loaded.scenario;
  }
  if (isScenario(input)) return input;
  const loaded = loadDocument(input);
  if (loaded.scenario === undefined) throw new ScenarioError(loaded.diagnostics);
  return loaded.scenario;
}

function isScenario(input: ScenarioDocument | Scenario): input is Scenario {
  return typeof (input as Scenario).durationMs === 'number';
}

/** Runs a scenario to its end with the report's recordings (for the queries), checking invariants when asked. */
export function run(input: ScenarioInput, options: TestRunOptions = {}): RunResult {
  let scenario = toScenario(input);
  if (options.invariants !== undefined) {
    const names = options.invariants === 'all' ? INVARIANT_NAMES : options.invariants;
    scenario = { ...scenario, invariants: names.map((name) => ({ name, pos: scenario.pos })) };
  }
  return runScenario(scenario, {
    record: { report: true },
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.plantedBugs !== undefined ? { plantedBugs: options.plantedBugs } : {}),
  });
}

/** Broken invariants of a run, each message on its own lines. */
export class InvariantError extends Error {
  constructor(readonly failures: readonly { name: InvariantName; message: string }[]) {
    super(failures.map((f) => `invariant ${f.name} broken:\n  ${f.message.split('\n').join('\n  ')}`).join('\n'));
    this.name = 'InvariantError';
  }
}

/** Throws an InvariantError when an invariant checked in `result` failed; returns the result otherwise. */
export function assertInvariants(result: RunResult): RunResult {
  const failures = (result.invariants ?? []).filter((i) => !i.passed);
  if (failures.length > 0) throw new InvariantError(failures);
  return result;
}

/** Formats load problems the way `knsim validate` prints them. */
export function formatProblems(diagnostics: Parameters<typeof formatDiagnostic>[0][]): string {
  return diagnostics.map(formatDiagnostic).join('\n');
}
