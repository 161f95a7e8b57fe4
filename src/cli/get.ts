/**
 * `knsim get`: objects as they were at a virtual time, kubectl/kn style (table, YAML or
 * JSON), from a replay of the scenario up to that time.
 */
import { formatDuration, getObjects, parseDuration } from '../index.js';
import { EXIT_BAD_INPUT, EXIT_OK, UsageError } from './exit.js';
import { loadScenario, type LoadFlags } from './load.js';
import { simulate } from './simulate.js';

export type GetFlags = LoadFlags & { file: string; at: string; output: string; namespace: string };

export function getCommand(kind: string, name: string | undefined, opts: GetFlags): number {
  const at = parseDuration(opts.at);
  if (!at.ok || at.ms < 0) throw new UsageError(`--at: ${at.ok ? 'must not be negative' : at.message}`);
  const output = opts.output;
  if (output !== 'table' && output !== 'yaml' && output !== 'json') throw new UsageError(`-o/--output: want table, yaml or json, got "${output}"`);
  const scenario = loadScenario(opts.file, opts);
  if (scenario === undefined) return EXIT_BAD_INPUT;
  if (at.ms > scenario.durationMs) throw new UsageError(`--at ${opts.at} is after the end of the scenario (${formatDuration(scenario.durationMs)})`);
  const { sim } = simulate(scenario, { quiet: true, file: opts.file, flags: opts, untilMs: at.ms });
  const got = getObjects(sim.world.api, kind, { name, namespace: opts.namespace, output, nowMs: sim.world.engine.nowMs });
  (got.ok ? process.stdout : process.stderr).write(`${got.text}\n`);
  return got.ok ? EXIT_OK : EXIT_BAD_INPUT;
}
