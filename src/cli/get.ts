/**
 * `knsim get`: objects as they were at a virtual time, as kubectl prints them (table, wide,
 * YAML or JSON), from a replay of the scenario up to that time: by default its end, `--at 0s`
 * for the start. kubectl's "No resources found" and errors go to stderr, as kubectl's do.
 */
import { formatDuration, getObjects, parseDuration } from '../index.js';
import { EXIT_BAD_INPUT, EXIT_OK, UsageError } from './exit.js';
import { loadScenario, type LoadFlags } from './load.js';
import { simulate } from './simulate.js';

export type GetFlags = LoadFlags & { file: string; at?: string; output: string; namespace: string; allNamespaces?: boolean };

const OUTPUTS = ['table', 'wide', 'yaml', 'json'] as const;

/** Names that mean Kubernetes' own Services, which a Knative user often types for a Knative Service. */
const CORE_SERVICE_NAMES = new Set(['service', 'services', 'svc']);

export function getCommand(kind: string, name: string | undefined, opts: GetFlags): number {
  const at = opts.at === undefined ? undefined : parseDuration(opts.at);
  if (at !== undefined && (!at.ok || at.ms < 0)) throw new UsageError(`--at: ${at.ok ? 'must not be negative' : at.message}`);
  const output = OUTPUTS.find((o) => o === opts.output);
  if (output === undefined) throw new UsageError(`-o/--output: want one of ${OUTPUTS.join(', ')}, got "${opts.output}"`);
  const scenario = loadScenario(opts.file, opts);
  if (scenario === undefined) return EXIT_BAD_INPUT;
  const atMs = at?.ms ?? scenario.durationMs;
  if (atMs > scenario.durationMs) throw new UsageError(`--at ${opts.at ?? ''} is after the end of the scenario (${formatDuration(scenario.durationMs)})`);
  const { sim } = simulate(scenario, { quiet: true, file: opts.file, flags: opts, untilMs: atMs, record: { series: false, events: false } });
  const got = getObjects(sim.world.api, kind, {
    name,
    namespace: opts.namespace,
    allNamespaces: opts.allNamespaces === true,
    output,
    nowMs: sim.world.engine.nowMs,
  });
  process.stdout.write(got.stdout);
  process.stderr.write(got.stderr);
  if (CORE_SERVICE_NAMES.has(kind.toLowerCase()))
    process.stderr.write(
      `hint: "${kind}" is Kubernetes' own Service (knsim models each revision's private one); Knative Services are "ksvc" (services.serving.knative.dev): knsim get ksvc -f ${opts.file}\n`,
    );
  return got.code === 0 ? EXIT_OK : EXIT_BAD_INPUT;
}
