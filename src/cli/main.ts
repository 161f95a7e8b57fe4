#!/usr/bin/env node
/**
 * The knsim command line: a thin shell over the library. The only module that
 * touches files, stdout, the process and the wall clock (for the progress line).
 * Exit codes: 0 success, 1 a failed expectation, 2 bad input (scenario, flags, files).
 */
import { Command, CommanderError, Option } from 'commander';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  formatDiagnostic,
  formatDuration,
  getObjects,
  GET_KINDS,
  loadScenarioText,
  parseDuration,
  renderChart,
  renderCsvFiles,
  renderExpectations,
  renderHtmlComparison,
  renderHtmlReport,
  renderLog,
  renderSummary,
  Simulation,
  type Diagnostic,
  type RunResult,
  type Scenario,
  type SimulationOptions,
  type TraceEntry,
} from '../index.js';
import { renderExplain } from '../report/explain.js';
import { formatLatency, table } from '../report/text.js';

const EXIT_OK = 0;
const EXIT_EXPECTATION_FAILED = 1;
const EXIT_BAD_INPUT = 2;

class UsageError extends Error {}

// The options commander parses for the commands defined in buildProgram; it hands them over
// untyped, so each action names its shape here.
interface LoadFlags {
  seed?: string;
  duration?: string;
  set?: string[];
}

type RunFlags = LoadFlags & { json?: boolean; csv?: string; log?: boolean; quiet?: boolean; html?: string };
type CompareFlags = LoadFlags & { variant?: string[]; html?: string; json?: boolean };

type GetFlags = LoadFlags & { file: string; at: string; output: string; namespace: string };

/** Reads and checks scenario files; prints every diagnostic; returns undefined if any was an error. */
function loadScenarios(files: readonly string[], flags: LoadFlags): { file: string; scenario: Scenario }[] | undefined {
  const sets = [...(flags.set ?? [])];
  if (flags.seed !== undefined) sets.push(`seed=${flags.seed}`);
  if (flags.duration !== undefined) {
    const d = parseDuration(flags.duration);
    if (!d.ok || d.ms <= 0) throw new UsageError(`--duration: ${d.ok ? 'must be greater than 0' : d.message}`);
    sets.push(`duration=${flags.duration}`);
  }
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
function loadScenario(file: string, flags: LoadFlags): Scenario | undefined {
  return loadScenarios([file], flags)?.[0]?.scenario;
}

/** `--seed` and `--duration` are given to the loader as `--set`s; name them as the user typed them. */
function flagLabel(file: string, flags: LoadFlags): string {
  if (flags.seed !== undefined && file === `--set seed=${flags.seed}`) return `--seed ${flags.seed}`;
  if (flags.duration !== undefined && file === `--set duration=${flags.duration}`) return `--duration ${flags.duration}`;
  return file;
}

function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) process.stderr.write(`${errors} error${errors === 1 ? '' : 's'}\n`);
}

/** Runs a scenario with a progress line on stderr when it is a terminal and the run takes a while. */
function simulate(
  scenario: Scenario,
  quiet: boolean,
  onTrace?: (entry: TraceEntry) => void,
  record?: SimulationOptions['record'],
): { sim: Simulation; result: RunResult } {
  const started = performance.now();
  const showProgress = !quiet && process.stderr.isTTY === true;
  let lastDraw = 0;
  const sim = new Simulation(scenario, {
    record,
    onProgress: (nowMs, totalMs) => {
      const elapsed = performance.now() - started;
      if (!showProgress || elapsed < 1000 || elapsed - lastDraw < 200) return;
      lastDraw = elapsed;
      const pct = Math.min(100, Math.floor((nowMs / totalMs) * 100));
      process.stderr.write(`\r${scenario.name}: ${formatDuration(nowMs)} of ${formatDuration(totalMs)} simulated (${pct}%)   `);
    },
  });
  if (onTrace !== undefined) sim.world.engine.onTrace(onTrace);
  sim.runTo(scenario.durationMs);
  if (showProgress && lastDraw > 0) process.stderr.write('\r\x1b[K');
  return { sim, result: sim.result() };
}

/** The one command that replays a run exactly: the file, the seed and every override given. */
function replayCommand(file: string, seed: string | number, flags: LoadFlags): string {
  const parts = ['knsim', 'run', shellQuote(file), '--seed', shellQuote(String(seed))];
  if (flags.duration !== undefined) parts.push('--duration', shellQuote(flags.duration));
  for (const set of flags.set ?? []) parts.push('--set', shellQuote(set));
  return parts.join(' ');
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Where the HTML report of scenario `file` goes: the path given, or one per scenario beside it when several run. */
function htmlPath(path: string, file: string, several: boolean): string {
  if (!several) return path;
  const base = basename(file).replace(/\.[^.]+$/, '');
  return join(dirname(path), `${basename(path).replace(/\.html?$/i, '')}-${base}.html`);
}

/** Writes a report file; a path that cannot be written is bad input (exit 2), said in one line. */
function writeOutput(path: string, content: string, what: string): void {
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileSync(path, content);
  } catch (err) {
    throw new UsageError(`cannot write the ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function runCommand(files: string[], opts: RunFlags): number {
  const scenarios = loadScenarios(files, opts);
  if (scenarios === undefined) return EXIT_BAD_INPUT;
  let failed = false;
  const results: RunResult[] = [];
  // The HTML report's recordings also go into --json, so `knsim report saved.json --html` works.
  const record = opts.html !== undefined || opts.json === true ? { report: true } : undefined;
  scenarios.forEach(({ file, scenario }, i) => {
    const { result } = simulate(scenario, opts.quiet === true || opts.json === true, undefined, record);
    results.push(result);
    if (opts.html !== undefined) {
      const path = htmlPath(opts.html, file, scenarios.length > 1);
      writeOutput(path, renderHtmlReport(result), 'HTML report');
      if (opts.json !== true && opts.quiet !== true) process.stderr.write(`wrote ${path}\n`);
    }
    const failures = result.expectations.filter((e) => !e.passed);
    if (failures.length > 0) failed = true;
    if (opts.csv !== undefined) {
      const dir = scenarios.length > 1 ? join(opts.csv, basename(file).replace(/\.[^.]+$/, '')) : opts.csv;
      mkdirSync(dir, { recursive: true });
      for (const f of renderCsvFiles(result)) writeFileSync(join(dir, f.name), f.content);
    }
    if (opts.json === true) return;
    if (i > 0) process.stdout.write('\n');
    if (opts.quiet !== true) {
      process.stdout.write(`${renderSummary(result)}\n\n${renderChart(result)}\n`);
      const notable = result.events.filter(isNotable);
      if (notable.length > 0 && opts.log !== true)
        process.stdout.write(
          `\nNotable events\n${renderLog(notable.slice(0, 60))}\n${notable.length > 60 ? `… ${notable.length - 60} more (use --log for all)\n` : ''}`,
        );
    }
    if (opts.log === true) process.stdout.write(`\nEvent log\n${renderLog(result.events)}\n`);
    const shown = opts.quiet === true ? failures : result.expectations;
    if (shown.length > 0) process.stdout.write(`\nExpectations\n${renderExpectations(shown)}\n`);
    if (failures.length > 0)
      process.stdout.write(
        `\n${failures.length} of ${result.expectations.length} expectations failed. Replay with:\n  ${replayCommand(file, result.seed, opts)}\n`,
      );
  });
  if (opts.json === true) process.stdout.write(`${JSON.stringify(results.length === 1 ? results[0] : results, null, 2)}\n`);
  return failed ? EXIT_EXPECTATION_FAILED : EXIT_OK;
}

/** Events a reader wants in the summary: what the user did, scale decisions, readiness, failures. */
function isNotable(e: { component: string; message: string }): boolean {
  if (e.component === 'kn' || e.component === 'kubectl' || e.component === 'scenario' || e.component === 'knsim' || e.component === 'engine') return true;
  if (e.component === 'autoscaler') return /desired|scal|panic|inactive|zero/i.test(e.message);
  if (e.component === 'revision-controller' || e.component === 'service-controller') return e.message.startsWith('Ready=');
  return /error|fail|backoff|timed out/i.test(e.message);
}

/** `knsim report result.json --html out.html`: the HTML report of a saved `run --json`. */
function reportCommand(file: string, opts: { html?: string }): number {
  const html = opts.html;
  if (html === undefined) throw new UsageError('report: say where to write it with --html <file>');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${file}: cannot read the result: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not a JSON result of knsim run --json (${(err as Error).message})`);
  }
  // The JSON boundary: taken as the RunResult it was saved from, then checked for what the page cannot do without.
  const results = (Array.isArray(parsed) ? parsed : [parsed]) as RunResult[];
  for (const r of results) {
    if (r === null || typeof r !== 'object' || typeof r.scenario !== 'string' || r.summary === undefined || !Array.isArray(r.events))
      throw new UsageError(`${file}: not a JSON result of knsim run --json (no scenario, summary and events)`);
    if (r.timeline === undefined)
      throw new UsageError(`${file}: the result of ${r.scenario} has no timeline; save it again with this knsim (knsim run ${r.scenario}.yaml --json)`);
  }
  results.forEach((r) => {
    const path = results.length > 1 ? htmlPath(html, `${r.scenario}.yaml`, true) : html;
    writeOutput(path, renderHtmlReport(r), 'HTML report');
    process.stderr.write(`wrote ${path}\n`);
  });
  return EXIT_OK;
}

/** `name:key=value[,key=value…]` → the name and its `--set`s (a comma starts a new one only before `key=`). */
function parseVariant(text: string): { name: string; sets: string[] } {
  const colon = text.indexOf(':');
  const eq = text.indexOf('=');
  if (colon < 0 || (eq >= 0 && eq < colon)) {
    if (eq >= 0) throw new UsageError(`--variant ${text}: want name:key=value[,key=value…], e.g. short-window:config.config-autoscaler.stable-window=20s`);
    return { name: text, sets: [] };
  }
  const name = text.slice(0, colon);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new UsageError(`--variant ${text}: the name "${name}" must be letters, digits, '.', '_' or '-'`);
  const rest = text.slice(colon + 1);
  return { name, sets: rest === '' ? [] : rest.split(/,(?=[A-Za-z_"[][^=,]*=)/) };
}

/** Deciding figures of one run: what a tuning trades against what. */
function decidingFigures(result: RunResult): { coldStarts: number; podSeconds: number; p99: number; fiveXx: number; maxPods: number; passed: number } {
  let fiveXx = 0;
  for (const [code, n] of Object.entries(result.summary.requests.byStatus)) if (code.startsWith('5')) fiveXx += n;
  const readyAt = new Map<number, number>();
  for (const s of result.series) readyAt.set(s.t, (readyAt.get(s.t) ?? 0) + s.readyPods);
  let maxPods = 0;
  for (const n of readyAt.values()) maxPods = Math.max(maxPods, n);
  return {
    coldStarts: result.summary.coldStarts,
    podSeconds: result.summary.podSeconds,
    p99: result.summary.latencyMs.p99,
    fiveXx,
    maxPods,
    passed: result.expectations.filter((e) => e.passed).length,
  };
}

function compareCommand(files: string[], opts: CompareFlags): number {
  const variants = (opts.variant ?? []).map(parseVariant);
  if (variants.length > 0 && files.length !== 1)
    throw new UsageError(
      'compare: --variant compares one scenario under several configurations; give exactly one scenario (or several scenarios and no --variant)',
    );
  if (variants.length === 0 && files.length < 2)
    throw new UsageError('compare: give one scenario and two or more --variant name:key=value[,…], or two or more scenarios');
  if (variants.length === 1)
    throw new UsageError('compare: give at least two --variant (a variant without settings, e.g. --variant baseline, runs the scenario as written)');
  const names = variants.map((v) => v.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new UsageError(`compare: two variants are named "${dup}"`);
  // With --variant there is exactly one scenario file (checked above): each variant runs it with its own --sets.
  const [scenarioFile] = files;
  const runs: { label: string; file: string; flags: LoadFlags }[] =
    variants.length > 0 && scenarioFile !== undefined
      ? variants.map((v) => ({ label: v.name, file: scenarioFile, flags: { ...opts, set: [...(opts.set ?? []), ...v.sets] } }))
      : files.map((file) => ({ label: '', file, flags: opts }));
  const loaded: { label: string; file: string; flags: LoadFlags; scenario: Scenario }[] = [];
  let bad = false;
  for (const r of runs) {
    const scenario = loadScenario(r.file, r.flags);
    if (scenario === undefined) {
      if (r.label !== '') process.stderr.write(`(in variant ${r.label})\n`);
      bad = true;
    } else loaded.push({ ...r, label: r.label === '' ? scenario.name : r.label, scenario });
  }
  if (bad) return EXIT_BAD_INPUT;
  // Variants run at the scenario's seed (or --seed): the same arrivals, only the configuration differs.
  const record = opts.html !== undefined || opts.json === true ? { report: true } : undefined;
  const done = loaded.map((r) => ({ ...r, result: simulate(r.scenario, opts.json === true, undefined, record).result }));
  const results = done.map((r) => r.result);
  const labels = done.map((r) => r.label);
  if (opts.html !== undefined) {
    writeOutput(opts.html, renderHtmlComparison(results, labels), 'comparison page');
    if (opts.json !== true) process.stderr.write(`wrote ${opts.html}\n`);
  }
  if (opts.json === true) {
    process.stdout.write(
      `${JSON.stringify(
        done.map((r) => ({ variant: r.label, ...r.result })),
        null,
        2,
      )}\n`,
    );
  } else {
    const [first] = results;
    if (first === undefined) throw new Error('knsim bug: compare ran no variant (at least two are required above)');
    process.stdout.write(
      `Comparing ${labels.join(', ')}  (seed ${results
        .map((r) => String(r.seed))
        .filter((s, i, all) => all.indexOf(s) === i)
        .join(', ')}, ${formatDuration(first.durationMs)} simulated)\n\n`,
    );
    const rows = done.map(({ label, result }) => {
      const f = decidingFigures(result);
      return [
        label,
        String(f.coldStarts),
        f.podSeconds.toFixed(1),
        formatLatency(f.p99),
        String(f.fiveXx),
        String(f.maxPods),
        `${f.passed}/${result.expectations.length}`,
      ];
    });
    process.stdout.write(`${table(['VARIANT', 'COLD STARTS', 'POD-SECONDS', 'P99', '5XX', 'MAX PODS', 'EXPECTATIONS'], rows).join('\n')}\n`);
    process.stdout.write('\ncold starts: requests that waited for a pod to start; max pods: most ready pods at once, all revisions\n');
    for (const { label, file, flags, result } of done) {
      const failures = result.expectations.filter((e) => !e.passed);
      if (failures.length > 0)
        process.stdout.write(
          `\n${label}: ${failures.length} of ${result.expectations.length} expectations failed\n${renderExpectations(failures)}\n  replay: ${replayCommand(file, result.seed, flags)}\n`,
        );
    }
  }
  return results.some((r) => r.expectations.some((e) => !e.passed)) ? EXIT_EXPECTATION_FAILED : EXIT_OK;
}

function validateCommand(files: string[], opts: LoadFlags): number {
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

function explainCommand(file: string, opts: LoadFlags): number {
  const scenario = loadScenario(file, opts);
  if (scenario === undefined) return EXIT_BAD_INPUT;
  const entries: TraceEntry[] = [];
  const { result } = simulate(scenario, false, (entry) => entries.push(entry));
  process.stdout.write(`${renderExplain(result, entries)}\n`);
  return EXIT_OK;
}

function getCommand(kind: string, name: string | undefined, opts: GetFlags): number {
  const at = parseDuration(opts.at);
  if (!at.ok || at.ms < 0) throw new UsageError(`--at: ${at.ok ? 'must not be negative' : at.message}`);
  const output = opts.output;
  if (output !== 'table' && output !== 'yaml' && output !== 'json') throw new UsageError(`-o/--output: want table, yaml or json, got "${output}"`);
  const scenario = loadScenario(opts.file, opts);
  if (scenario === undefined) return EXIT_BAD_INPUT;
  if (at.ms > scenario.durationMs) throw new UsageError(`--at ${opts.at} is after the end of the scenario (${formatDuration(scenario.durationMs)})`);
  const sim = new Simulation(scenario);
  sim.runTo(at.ms);
  const got = getObjects(sim.world.api, kind, { name, namespace: opts.namespace, output, nowMs: sim.world.engine.nowMs });
  (got.ok ? process.stdout : process.stderr).write(`${got.text}\n`);
  return got.ok ? EXIT_OK : EXIT_BAD_INPUT;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('knsim')
    .description(
      "A deterministic digital twin of Knative Serving: replay traffic scenarios against Knative's autoscaler, activator and controllers without a cluster.",
    )
    .version(readVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const common = (cmd: Command): Command =>
    cmd
      .option('--seed <seed>', 'override the scenario seed (number or string)')
      .option('--duration <duration>', 'override the scenario duration (e.g. 10m, 1h30m)')
      .option('--set <key=value>', 'override a scenario value by path, e.g. config.config-autoscaler.stable-window=30s (repeatable)', collect);
  common(program.command('run').description('run scenarios and show what happened and why').argument('<scenario...>', 'scenario YAML files'))
    .option('--json', 'print the result as one JSON document (see README: JSON output)')
    .option('--csv <dir>', 'also write series.csv and events.csv into this directory')
    .option('--log', 'print the narrated event log')
    .option('--quiet', 'print only failed expectations')
    .option('--html <file>', 'also write a self-contained HTML report with charts and a time cursor (one per scenario when several)')
    .action((files: string[], opts: RunFlags) => setExit(runCommand(files, opts)));
  common(
    program
      .command('compare')
      .description('run one scenario under several configurations (or several scenarios) at the same seed and show them side by side')
      .argument('<scenario...>', 'one scenario with --variant, or two or more scenarios'),
  )
    .option('--variant <name:key=value,...>', 'a configuration to compare: a name and --set overrides separated by commas (repeatable)', collect)
    .option('--html <file>', 'also write one page with the runs overlaid')
    .option('--json', 'print the results as a JSON array (each with its variant name)')
    .action((files: string[], opts: CompareFlags) => setExit(compareCommand(files, opts)));
  program
    .command('report')
    .description('write the HTML report of a result saved with run --json')
    .argument('<result.json>', 'the output of knsim run --json')
    .option('--html <file>', 'where to write the report')
    .action((file: string, opts: { html?: string }) => setExit(reportCommand(file, opts)));
  common(program.command('validate').description('check scenarios as run would, without running them').argument('<scenario...>', 'scenario YAML files')).action(
    (files: string[], opts: LoadFlags) => setExit(validateCommand(files, opts)),
  );
  common(
    program
      .command('explain')
      .description('run a scenario and narrate, for learners, what each controller did and why, with the numbers')
      .argument('<scenario>', 'scenario YAML file'),
  ).action((file: string, opts: LoadFlags) => setExit(explainCommand(file, opts)));
  common(
    program
      .command('get')
      .description('show objects as they were at a virtual time, kubectl/kn style')
      .argument('<kind>', `one of ${GET_KINDS.join(', ')} (kubectl short names work: ksvc, rev, po, deploy, rs, kpa, sks, no)`)
      .argument('[name]', 'one object by name'),
  )
    .requiredOption('-f, --file <scenario>', 'the scenario to replay')
    .option('--at <time>', 'virtual time to stop at (e.g. 90s)', '0s')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'yaml', 'json']).default('table'))
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .action((kind: string, name: string | undefined, opts: GetFlags) => setExit(getCommand(kind, name, opts)));
  return program;
}

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(resolve(dirname(new URL(import.meta.url).pathname), '../../package.json'), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

function main(argv: string[]): number {
  let code = EXIT_OK;
  const program = buildProgram((c) => (code = c));
  try {
    program.parse(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT_OK;
      return EXIT_BAD_INPUT;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw err;
  }
  return code;
}

// A reader that stops early (`knsim run x --log | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
process.exitCode = main(process.argv);
