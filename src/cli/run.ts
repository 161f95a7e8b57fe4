/**
 * The commands that run scenarios and show what happened: `run` (the summary, charts,
 * notable events, expectations, and the JSON, CSV and HTML outputs), `compare` (one scenario
 * under several configurations, or several scenarios, side by side at the same seed) and
 * `report` (the HTML report of a result saved with `run --json`).
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  expandedSeries,
  formatDuration,
  renderChart,
  csvFiles,
  htmlReportChunks,
  renderExpectations,
  renderHtmlComparison,
  renderHtmlReport,
  renderInvariants,
  renderLog,
  renderSummary,
  seriesByRevision,
  parseDuration,
  estimatePeakMemory,
  type MemoryOutput,
  type RecordedResult,
  type RunResult,
  type SeriesOptions,
  type Scenario,
} from '../index.js';
import { formatLatency, renderAlerts, table } from '../report/text.js';
import { EXIT_BAD_INPUT, EXIT_EXPECTATION_FAILED, EXIT_OK, EXIT_STOPPED_EARLY, UsageError } from './exit.js';
import { loadScenario, loadScenarios, type LoadFlags } from './load.js';
import { checkOutputPath, htmlPath, makeOutputDir, writeOutput } from './output.js';
import { parseJobs, runAll } from './pool.js';
import { replayCommand, simulate, simulateRecorded } from './simulate.js';
import { Spool } from './spool.js';
import { FdWriter, writeJson } from './stream-out.js';

export type RunFlags = LoadFlags & {
  json?: boolean;
  csv?: string;
  log?: boolean;
  quiet?: boolean;
  html?: string;
  jobs?: string;
  /** `--series-step <duration>`; `series` false with `--no-series`. */
  seriesStep?: string;
  series?: boolean;
  maxEvents?: string;
};

/**
 * The series a run keeps for `run`: only the samples that change (the default), one every
 * `--series-step` (1s is the per-second form), or none (`--no-series`). Memory follows changes.
 */
export function seriesOption(opts: Pick<RunFlags, 'seriesStep' | 'series'>): SeriesOptions | false {
  if (opts.series === false) {
    if (opts.seriesStep !== undefined) throw new UsageError('--series-step and --no-series: give one or the other');
    return false;
  }
  if (opts.seriesStep === undefined) return { stepMs: 1000, changesOnly: true };
  const step = parseDuration(opts.seriesStep);
  if (!step.ok) throw new UsageError(`--series-step: ${step.message}`);
  if (step.ms < 1000 || step.ms % 1000 !== 0)
    throw new UsageError(`--series-step ${opts.seriesStep}: want a whole number of seconds, at least 1s (the series is sampled each second)`);
  return { stepMs: step.ms };
}
export type CompareFlags = LoadFlags & { variant?: string[]; html?: string; json?: boolean };

export async function runCommand(files: string[], opts: RunFlags): Promise<number> {
  const jobs = parseJobs(opts.jobs, 1);
  const series = seriesOption(opts);
  const maxEvents = opts.maxEvents === undefined ? undefined : parseMaxEvents(opts.maxEvents);
  let stopped = false;
  // Output paths first: a path that cannot be written fails now, not after the simulation.
  if (opts.csv !== undefined) checkOutputPath('--csv', opts.csv, 'directory');
  if (opts.html !== undefined) checkOutputPath('--html', opts.html, 'file');
  const scenarios = loadScenarios(files, opts);
  if (scenarios === undefined) return EXIT_BAD_INPUT;
  // Several scenarios with --jobs N run on the worker pool, whose results come back in memory.
  const onPool = jobs > 1 && scenarios.length > 1;
  const output = (scenario: Scenario): MemoryOutput => ({
    series: series === false ? false : { stepMs: series.stepMs ?? 1000, changesOnly: series.changesOnly === true },
    report: opts.html !== undefined || opts.json === true || scenario.invariants.length > 0,
    json: opts.html !== undefined || opts.json === true,
    csv: opts.csv !== undefined,
    // One scenario at a time in this process with --json: its recordings are spooled (see below).
    spooled: opts.json === true && !onPool,
  });
  if (opts.quiet !== true) for (const { file, scenario } of scenarios) sayLongRun(file, scenario, output(scenario));
  let failed = false;
  const several = scenarios.length > 1;
  const json = opts.json === true ? new FdWriter(1, 'JSON result on stdout') : undefined;
  // The HTML report's recordings also go into --json, so `knsim report saved.json --html` works.
  const record = { series, ...(opts.html !== undefined || opts.json === true ? { report: true } : {}) };
  // --jobs N: the runs start at once on worker threads; each is printed below in order, as it would be alone.
  const pooled = onPool
    ? runAll(
        scenarios.map(({ file, scenario }) => ({
          kind: 'run' as const,
          scenario,
          record,
          file,
          flags: loadFlagsOf(opts),
          ...(maxEvents !== undefined ? { maxEvents } : {}),
        })),
        jobs,
      )
    : undefined;
  for (const [i, { file, scenario }] of scenarios.entries()) {
    const next = pooled?.[i];
    // With --json nothing is printed from the recordings: run in this thread, they are spooled to disk
    // and streamed into the outputs (--json, --csv, --html read them back), so they never stay in memory.
    const spool = next === undefined && json !== undefined ? new Spool() : undefined;
    let result: RecordedResult;
    /** The result with its recordings in memory, for the text outputs (not spooled). */
    let full: RunResult | undefined;
    const how = { quiet: opts.quiet === true || opts.json === true, file, flags: opts, ...(maxEvents !== undefined ? { maxEvents } : {}) };
    try {
      if (next !== undefined) result = full = await next();
      else if (spool !== undefined) result = simulateRecorded(scenario, { ...how, record: { ...record, logs: spool.factory } }).result;
      else result = full = simulate(scenario, { ...how, record }).result;
      if (writeOutputs(result, file, i)) failed = true;
    } finally {
      spool?.close();
    }
    if (result.stopReason !== undefined) stopped = true;
    if (opts.json === true || full === undefined) continue;
    printText(full, file, i);
  }
  if (json !== undefined) {
    json.write(several ? '\n]\n' : '\n');
    json.close();
  }
  return stopped ? EXIT_STOPPED_EARLY : failed ? EXIT_EXPECTATION_FAILED : EXIT_OK;

  /** The --json, --html and --csv outputs of one result; whether an expectation, invariant or step failed. */
  function writeOutputs(result: RecordedResult, file: string, i: number): boolean {
    if (json !== undefined) {
      // Each result is written as soon as it is done, piece by piece (one array when several ran).
      if (several) json.write(i === 0 ? '[\n  ' : ',\n  ');
      writeJson(json, result, several ? '  ' : '', several ? 1 : 0);
    }
    if (opts.html !== undefined) {
      const path = htmlPath(opts.html, file, several);
      const page = FdWriter.toFile(path, 'HTML report');
      for (const piece of htmlReportChunks(result)) page.write(piece);
      page.close();
      if (opts.json !== true && opts.quiet !== true) process.stderr.write(`wrote ${path}\n`);
    }
    if (opts.csv !== undefined) {
      const dir = several ? join(opts.csv, basename(file).replace(/\.[^.]+$/, '')) : opts.csv;
      makeOutputDir(dir, '--csv');
      for (const f of csvFiles(result)) {
        const out = FdWriter.toFile(join(dir, f.name), 'CSV file');
        for (const line of f.lines()) out.write(`${line}\n`);
        out.close();
      }
    }
    return result.expectations.some((e) => !e.passed) || (result.invariants ?? []).some((v) => !v.passed) || (result.steps ?? []).some((s) => !s.passed);
  }

  /** The text outputs of one result: summary, chart, notable events, log, expectations, invariants, the replay line. */
  function printText(result: RunResult, file: string, i: number): void {
    const failures = result.expectations.filter((e) => !e.passed);
    const broken = (result.invariants ?? []).filter((v) => !v.passed);
    const badSteps = (result.steps ?? []).filter((s) => !s.passed);
    if (i > 0) process.stdout.write('\n');
    if (opts.quiet !== true) {
      process.stdout.write(`${renderSummary(result)}\n\n${renderChart(result)}\n`);
      const notable = result.events.filter(isNotable);
      if (notable.length > 0 && opts.log !== true)
        process.stdout.write(
          `\nNotable events\n${renderLog(notable.slice(0, 60))}\n${notable.length > 60 ? `… ${notable.length - 60} more (use --log for all)\n` : ''}`,
        );
    }
    // --quiet leaves out the summary, not what went wrong in it.
    if (opts.quiet === true) {
      const said = renderAlerts(result);
      if (said.length > 0) process.stdout.write(`${said.join('\n')}\n`);
    }
    if (opts.log === true) process.stdout.write(`\nEvent log\n${renderLog(result.events)}\n`);
    const shown = opts.quiet === true ? failures : result.expectations;
    if (shown.length > 0) process.stdout.write(`\nExpectations\n${renderExpectations(shown)}\n`);
    const invariantsShown = opts.quiet === true ? broken : (result.invariants ?? []);
    if (invariantsShown.length > 0) process.stdout.write(`\nInvariants\n${renderInvariants(invariantsShown)}\n`);
    if (failures.length > 0 || broken.length > 0 || badSteps.length > 0) {
      const what = [
        ...(failures.length > 0 ? [`${failures.length} of ${result.expectations.length} expectations`] : []),
        ...(broken.length > 0 ? [`${broken.length} of ${result.invariants?.length ?? 0} invariants`] : []),
        ...(badSteps.length > 0 ? [`${badSteps.length} timeline ${badSteps.length === 1 ? 'step' : 'steps'}`] : []),
      ].join(' and ');
      process.stdout.write(`\n${what} failed. Replay with:\n  ${replayCommand(file, result.seed, opts)}\n`);
    }
  }
}

/** A run whose estimate reaches this much CPU time, or this much memory, has its estimate printed before it starts. */
const LONG_RUN_SECONDS = 10;
const LARGE_RUN_BYTES = 1e9;

/**
 * The loader's estimate of the work, on stderr before a long run: requests, engine events (two
 * per request on the request path, a lower bound: the control plane adds its own), CPU time and
 * the peak memory for the output asked for (scenario/estimate-memory.ts).
 */
function sayLongRun(file: string, scenario: Scenario, output: MemoryOutput): void {
  const b = scenario.budget;
  const memory = estimatePeakMemory(b, output);
  if (b.expectedRunSeconds < LONG_RUN_SECONDS && memory.peakBytes < LARGE_RUN_BYTES) return;
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  process.stderr.write(
    `${file}: a long run: about ${n(b.expectedRequests)} requests (at least ${n(2 * b.expectedRequests)} engine events), ${formatDuration(Math.round(b.expectedRunSeconds) * 1000)} of CPU and a peak of about ${formatBytes(memory.peakBytes)} of memory on knsim's benchmark machine; --duration shortens it\n`,
  );
}

/** `230 MB`, `1.4 GB` (decimal units, as a memory figure of an estimate needs no more). */
function formatBytes(bytes: number): string {
  return bytes < 1e9 ? `${Math.round(bytes / 1e6)} MB` : `${(bytes / 1e9).toFixed(1)} GB`;
}

function parseMaxEvents(text: string): number {
  const n = Number(text.replace(/_/g, ''));
  if (!/^[0-9][0-9_]*$/.test(text) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`--max-events ${text}: want a whole number of events, at least 1`);
  return n;
}

/** The loading flags alone (plain data a worker thread can take), for the replay line. */
function loadFlagsOf(opts: LoadFlags): LoadFlags {
  const out: LoadFlags = {};
  if (opts.seed !== undefined) out.seed = opts.seed;
  if (opts.duration !== undefined) out.duration = opts.duration;
  if (opts.maxDuration !== undefined) out.maxDuration = opts.maxDuration;
  if (opts.set !== undefined) out.set = [...opts.set];
  return out;
}

/** Events a reader wants in the summary: what the user did, scale decisions, readiness, failures. */
function isNotable(e: { component: string; message: string }): boolean {
  if (e.component === 'kn' || e.component === 'kubectl' || e.component === 'scenario' || e.component === 'knsim' || e.component === 'engine') return true;
  if (e.component === 'autoscaler') return /desired|scal|panic|inactive|zero/i.test(e.message);
  if (e.component === 'revision-controller' || e.component === 'service-controller') return e.message.startsWith('Ready=');
  return /error|fail|backoff|timed out/i.test(e.message);
}

/** `knsim report result.json --html out.html`: the HTML report of a saved `run --json`. */
export function reportCommand(file: string, opts: { html?: string }): number {
  const html = opts.html;
  if (html === undefined) throw new UsageError('report: say where to write it with --html <file>');
  checkOutputPath('--html', html, 'file');
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
function decidingFigures(result: RunResult): {
  coldStarts: number;
  podStarts: number;
  podSeconds: number;
  p99: number | undefined;
  fiveXx: number;
  maxPods: number;
  passed: number;
} {
  let fiveXx = 0;
  for (const [code, n] of Object.entries(result.summary.requests.byStatus)) if (code.startsWith('5')) fiveXx += n;
  const readyAt = new Map<number, number>();
  for (const samples of seriesByRevision(result).values())
    for (const s of expandedSeries(result, samples)) readyAt.set(s.t, (readyAt.get(s.t) ?? 0) + s.readyPods);
  let maxPods = 0;
  for (const n of readyAt.values()) maxPods = Math.max(maxPods, n);
  return {
    coldStarts: result.summary.coldStarts,
    podStarts: result.revisions.reduce((n, r) => n + r.podStarts, 0),
    podSeconds: result.summary.podSeconds,
    p99: result.summary.requests.succeeded + result.summary.requests.failed === 0 ? undefined : result.summary.latencyMs.p99,
    fiveXx,
    maxPods,
    passed: result.expectations.filter((e) => e.passed).length,
  };
}

export function compareCommand(files: string[], opts: CompareFlags): number {
  const variants = (opts.variant ?? []).map(parseVariant);
  if (variants.length > 0 && files.length !== 1)
    throw new UsageError(
      'compare: --variant compares one scenario under several configurations; give exactly one scenario (or several scenarios and no --variant)',
    );
  if (variants.length === 0 && files.length < 2)
    throw new UsageError('compare: give one scenario and two or more --variant name:key=value[,…], or two or more scenarios');
  if (variants.length === 1)
    throw new UsageError('compare: give at least two --variant (a variant without settings, e.g. --variant baseline, runs the scenario as written)');
  if (opts.html !== undefined) checkOutputPath('--html', opts.html, 'file');
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
  const done = loaded.map((r) => ({ ...r, result: simulate(r.scenario, { quiet: opts.json === true, file: r.file, flags: r.flags, record }).result }));
  const results = done.map((r) => r.result);
  const labels = done.map((r) => r.label);
  if (opts.html !== undefined) {
    writeOutput(opts.html, renderHtmlComparison(results, labels), 'comparison page');
    if (opts.json !== true) process.stderr.write(`wrote ${opts.html}\n`);
  }
  if (opts.json === true) {
    const out = new FdWriter(1, 'JSON result on stdout');
    writeJson(
      out,
      done.map((r) => ({ variant: r.label, ...r.result })),
    );
    out.write('\n');
    out.close();
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
        String(f.podStarts),
        f.podSeconds.toFixed(1),
        f.p99 === undefined ? '' : formatLatency(f.p99),
        String(f.fiveXx),
        String(f.maxPods),
        `${f.passed}/${result.expectations.length}`,
      ];
    });
    process.stdout.write(`${table(['VARIANT', 'COLD STARTS', 'POD STARTS', 'POD-SECONDS', 'P99', '5XX', 'MAX PODS', 'EXPECTATIONS'], rows).join('\n')}\n`);
    process.stdout.write(
      '\ncold starts: requests that arrived while their revision had no ready pod and waited for one to start; pod starts: pods that became Ready; max pods: most ready pods at once, all revisions\n',
    );
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
