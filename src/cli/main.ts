#!/usr/bin/env node
/**
 * The knsim command line: a thin shell over the library. src/cli/ is the only module that
 * touches files, stdout, the process and the wall clock (for the progress line).
 * This file wires the program: the commands with their flags and help (their actions live in
 * run.ts, fuzz.ts, validate-explain.ts and get.ts; sweep's flags and actions in sweep-program.ts
 * and sweep.ts), the version, and the exit code; the worker pools a command started end with it.
 * Exit codes (exit.ts): 0 success, 1 a failed expectation, 2 bad input (scenario, flags, files),
 * 70 an internal error: one line with what knsim was doing (virtual time, engine event, seed) and
 * the command that replays it; the stack trace only with `--debug`.
 */
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { GET_KINDS } from '../index.js';
import { currentActivity, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, internalErrorLine, UsageError } from './exit.js';
import { getCommand, type GetFlags } from './get.js';
import type { LoadFlags } from './load.js';
import { closePools } from './pool.js';
import { compareCommand, reportCommand, runCommand, type CompareFlags, type RunFlags } from './run.js';
import { fuzzCommand, type FuzzFlags } from './fuzz.js';
import { registerSweep } from './sweep-program.js';
import { explainCommand, validateCommand, type ExplainFlags } from './validate-explain.js';

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
    .option('--debug', 'on an internal error (exit 70), also print the stack trace')
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const common = (cmd: Command): Command =>
    cmd
      .option('--seed <seed>', 'override the scenario seed (number or string)')
      .option('--duration <duration>', 'override the scenario duration (e.g. 10m, 1h30m)')
      .option('--max-duration <duration>', 'raise (or lower) the longest duration accepted, 48h by default (same as limits.maxDuration)')
      .option('--set <key=value>', 'override a scenario value by path, e.g. config.config-autoscaler.stable-window=30s (repeatable)', collect);
  common(program.command('run').description('run scenarios and show what happened and why').argument('<scenario...>', 'scenario YAML files'))
    .option('--json', 'print the result as one JSON document (see README: JSON output)')
    .option('--csv <dir>', 'also write series.csv and events.csv into this directory')
    .option('--log', 'print the narrated event log')
    .option('--quiet', 'print only failed expectations')
    .option('--html <file>', 'also write a self-contained HTML report with charts and a time cursor (one per scenario when several)')
    .option('--jobs <n>', 'run up to n scenarios at once on worker threads; the output is the same as one at a time (default 1)')
    .option(
      '--series-step <duration>',
      'keep the series (--json, --csv) as one sample per revision every step (1s: the per-second form); default: only the samples that change',
    )
    .option('--max-events <n>', 'stop the run after n engine events (stopReason event-limit in the summary and the JSON, exit 3)')
    .option('--no-series', 'keep no series (--json and --csv have none; the chart is drawn from the report recordings only when there are any)')
    .action(async (files: string[], opts: RunFlags) => setExit(await runCommand(files, opts)));
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
  program
    .command('fuzz')
    .description(
      'run variants of a scenario drawn from its vary:, check its invariants:, and shrink the first failure to a minimal scenario that knsim run replays',
    )
    .argument('<scenario>', 'scenario YAML file with invariants: (and vary:)')
    .option('--runs <n>', 'variants to run before declaring success', '100')
    .option('--seed <n>', "fast-check's seed (default: from the clock, printed)")
    .option('--path <path>', 'replay the counterexample path printed by an earlier failure (with its --seed)')
    .option('--out <file>', 'where to write the minimal failing scenario (default: <scenario>.fuzz.yaml beside it)')
    .option('--set <key=value>', 'override a scenario value by path before fuzzing (repeatable)', collect)
    .action((file: string, opts: FuzzFlags) => setExit(fuzzCommand(file, opts)));
  common(program.command('validate').description('check scenarios as run would, without running them').argument('<scenario...>', 'scenario YAML files')).action(
    (files: string[], opts: LoadFlags) => setExit(validateCommand(files, opts)),
  );
  common(
    program
      .command('explain')
      .description('run a scenario and narrate, for learners, what each controller did and why, with the numbers')
      .argument('[scenario]', 'scenario YAML file'),
  )
    .option('--revision <name>', 'only what concerns this revision')
    .option('--from <time>', 'only from this virtual time (e.g. 3m)')
    .option('--to <time>', 'only up to this virtual time')
    .option('--glossary', 'print the whole glossary of Knative terms (alone when no scenario is given)')
    .action((file: string | undefined, opts: ExplainFlags) => setExit(explainCommand(file, opts)));
  common(
    program
      .command('get')
      .description('show objects as kubectl prints them, as they were at a virtual time (the end of the run unless --at)')
      .argument(
        '<kind>',
        `one of ${GET_KINDS.join(', ')}; kubectl's plurals and short names work: ksvc, rev, rt, cfg, kpa, sks, po, deploy, rs, svc, ep, cm, no`,
      )
      .argument('[name]', 'one object by name'),
  )
    .requiredOption('-f, --file <scenario>', 'the scenario to replay')
    .option('--at <time>', 'virtual time to look at (e.g. 90s; 0s is the start; default: the end of the run)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'wide', 'yaml', 'json']).default('table'))
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('-A, --all-namespaces', 'every namespace, with a NAMESPACE column')
    .action((kind: string, name: string | undefined, opts: GetFlags) => setExit(getCommand(kind, name, opts)));
  registerSweep(program, common, setExit);
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

async function main(argv: string[]): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT_OK;
      return EXIT_BAD_INPUT;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      return EXIT_BAD_INPUT;
    }
    // Anything else is a bug in knsim: one line to report and replay it, the stack only when asked.
    process.stderr.write(`${internalErrorLine(err, currentActivity())}\n`);
    if (program.opts<{ debug?: boolean }>().debug === true || argv.includes('--debug'))
      process.stderr.write(`${err instanceof Error && err.stack !== undefined ? err.stack : String(err)}\n`);
    return EXIT_INTERNAL;
  } finally {
    await closePools();
  }
  return code;
}

// A reader that stops early (`knsim run x --log | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
process.exitCode = await main(process.argv);
