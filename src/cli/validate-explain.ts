/**
 * The commands that read a scenario for a person: `validate` (checks scenarios as run would,
 * without running them) and `explain` (runs one and narrates, for learners, what each
 * controller did and why, with the numbers).
 */
import { formatDuration, parseDuration, type TraceEntry } from '../index.js';
import { renderExplain } from '../report/explain.js';
import { renderGlossary } from '../report/glossary.js';
import { EXIT_BAD_INPUT, EXIT_OK, UsageError } from './exit.js';
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

export type ExplainFlags = LoadFlags & { revision?: string; from?: string; to?: string; glossary?: boolean };

function flagMs(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const d = parseDuration(text);
  if (!d.ok || d.ms < 0) throw new UsageError(`--${name}: ${d.ok ? 'must not be negative' : d.message}`);
  return d.ms;
}

export function explainCommand(file: string | undefined, opts: ExplainFlags): number {
  if (file === undefined) {
    if (opts.glossary !== true) throw new UsageError('explain: give a scenario (or --glossary for the glossary alone)');
    process.stdout.write(`${renderGlossary()}\n`);
    return EXIT_OK;
  }
  const fromMs = flagMs('from', opts.from);
  const toMs = flagMs('to', opts.to);
  if (fromMs !== undefined && toMs !== undefined && toMs < fromMs) throw new UsageError(`--to ${opts.to ?? ''} is before --from ${opts.from ?? ''}`);
  const scenario = loadScenario(file, opts);
  if (scenario === undefined) return EXIT_BAD_INPUT;
  const entries: TraceEntry[] = [];
  // The report's recordings carry what explain tells beyond the trace: decisions with the last request, pod starts, buffers.
  const { result } = simulate(scenario, { quiet: false, file, flags: opts, onTrace: (entry) => entries.push(entry), record: { report: true } });
  if (opts.revision !== undefined && !result.revisions.some((r) => r.name === opts.revision)) {
    const names = result.revisions.map((r) => r.name);
    throw new UsageError(`--revision ${opts.revision}: no such revision in this run${names.length > 0 ? ` (revisions: ${names.join(', ')})` : ''}`);
  }
  process.stdout.write(`${renderExplain(result, entries, { revision: opts.revision, fromMs, toMs })}\n`);
  if (opts.glossary === true) process.stdout.write(`\n${renderGlossary()}\n`);
  return EXIT_OK;
}
