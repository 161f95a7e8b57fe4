/**
 * The commands that read a scenario for a person: `validate` (checks scenarios as run would,
 * without running them) and `explain` (runs one and narrates, for learners, what each
 * controller did and why, with the numbers).
 */
import { formatDuration, type TraceEntry } from '../index.js';
import { renderExplain } from '../report/explain.js';
import { EXIT_BAD_INPUT, EXIT_OK } from './exit.js';
import { loadScenario, loadScenarios, type LoadFlags } from './load.js';
import { simulate } from './simulate.js';

export function validateCommand(files: string[], opts: LoadFlags): number {
  const scenarios = loadScenarios(files, opts);
  if (scenarios === undefined) return EXIT_BAD_INPUT;
  for (const { file, scenario } of scenarios) {
    const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
    process.stdout.write(
      `${file}: ok (${count(scenario.timeline.length, 'timeline action')}, ${count(scenario.traffic.length, 'workload')}, ${count(scenario.expect.length, 'expectation')}, about ${count(scenario.budget.expectedRequests, 'request')} over ${formatDuration(scenario.durationMs)})\n`,
    );
  }
  return EXIT_OK;
}

export function explainCommand(file: string, opts: LoadFlags): number {
  const scenario = loadScenario(file, opts);
  if (scenario === undefined) return EXIT_BAD_INPUT;
  const entries: TraceEntry[] = [];
  const { result } = simulate(scenario, { quiet: false, file, flags: opts, onTrace: (entry) => entries.push(entry) });
  process.stdout.write(`${renderExplain(result, entries)}\n`);
  return EXIT_OK;
}
