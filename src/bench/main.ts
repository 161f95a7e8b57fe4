/**
 * `npm run bench`: prints one JSON object per line, each with a `name`.
 * Each scenario benchmark runs in its own child process so that `peakRssMb` (the
 * process's peak resident memory) belongs to that run alone.
 * Wall-clock use is allowed here (and in src/cli) only.
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { runBareHeapHold, runEngineHold } from './engine-hold.js';
import { azureDayScenario, loadBenchScenario, requestsHourScenario, runScenarioBench, servicesHourScenario, widePodsScenario } from './scenarios.js';
import { benchSweepJobs } from './sweep-jobs.js';
import { runCliJson, runCliQuiet } from './cli-json.js';

const clock = (): number => performance.now();
const here = dirname(fileURLToPath(import.meta.url));
const azureDir = resolve(here, '../../scenarios/data/azure2019');

function print(line: Record<string, unknown>): void {
  console.log(JSON.stringify(line));
}

function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The bare loop's events/s of this run, for the scenario cases' ratios. */
let bareEventsPerSec = 0;

function benchEngine(): void {
  const events = 3_000_000;
  runEngineHold(1000, 200_000, clock); // warm-up
  runBareHeapHold(1000, 200_000, clock);
  const bare = runBareHeapHold(1000, events, clock);
  bareEventsPerSec = bare.eventsPerSec;
  print({ name: 'bare-heap-hold-1k', events: bare.events, seconds: round(bare.seconds, 3), eventsPerSec: round(bare.eventsPerSec) });
  for (const pending of [1000, 100_000]) {
    const r = runEngineHold(pending, events, clock);
    print({
      name: pending === 1000 ? 'engine-hold-1k' : 'engine-hold-100k',
      pending,
      events: r.events,
      seconds: round(r.seconds, 3),
      eventsPerSec: round(r.eventsPerSec),
      ratioToBareHeap1k: round(r.eventsPerSec / bare.eventsPerSec, 3),
    });
  }
}

/** Runs one scenario benchmark in this process and prints its line. */
async function runCase(name: string): Promise<void> {
  if (name === 'requests-1h-200rps') print({ ...runScenarioBench(name, loadBenchScenario(requestsHourScenario(), azureDir)) });
  else if (name === 'requests-1m-200rps')
    print({ ...runScenarioBench(name, loadBenchScenario(requestsHourScenario().replace('duration: 1h', 'duration: 1m'), azureDir)) });
  else if (name === 'azure-100-day') print({ ...runScenarioBench(name, loadBenchScenario(azureDayScenario(), azureDir)) });
  else if (name === 'azure-100-hour')
    print({ ...runScenarioBench(name, loadBenchScenario(azureDayScenario().replace('duration: 24h', 'duration: 1h'), azureDir)) });
  else if (/^services-\d+-hour$/.test(name)) {
    const services = Number(name.split('-')[1]);
    print({ ...runScenarioBench(name, loadBenchScenario(servicesHourScenario(services), azureDir)), services });
  } else if (name === 'pods-2000') print({ ...runScenarioBench(name, loadBenchScenario(widePodsScenario(), azureDir)) });
  else if (name === 'azure-100-cli-json') print(benchCliJson());
  else if (name === 'sweep-jobs') print(await benchSweepJobs(clock));
  else if (name === 'azure-100-cli-quiet') print(benchCliQuiet(runCaseInChild('azure-100-day').wallSeconds as number));
  else throw new Error(`unknown bench case ${name}`);
}

/** Runs a case in a child process and prints its line, with its simulated requests/s over the bare loop's events/s. */
function runCaseInChild(name: string): Record<string, unknown> {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--case', name], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`bench case ${name} failed:\n${child.stderr}`);
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  const result = JSON.parse(line) as Record<string, unknown>;
  if (bareEventsPerSec > 0) result.requestsPerSecOverBareEventsPerSec = round((result.simulatedRequestsPerSec as number) / bareEventsPerSec, 4);
  print(result);
  return result;
}

/** What one service-hour costs (wall seconds of simulation) at 10, 100 and 1,000 services sharing 200 requests/s. */
function benchServiceScaling(): Record<string, unknown> {
  const cases = [10, 100, 1000].map((n) => runCaseInChild(`services-${n}-hour`));
  const perServiceHour = cases.map((c) => (c.wallSeconds as number) / (c.services as number));
  const ratio = round((perServiceHour[2] ?? 0) / (perServiceHour[0] ?? 1), 3);
  const thousand = cases[2] ?? {};
  const line = {
    name: 'services-scaling',
    wallSecondsPerServiceHour: Object.fromEntries(cases.map((c, i) => [String(c.services), round(perServiceHour[i] ?? 0, 5)])),
    costPerServiceHour1000Over10: ratio,
    flatGoalMet: ratio <= 1.5,
    // 1,000 services for an hour: at least 100,000 simulated requests/s in under 500 MB.
    thousandServicesGoalMet: (thousand.simulatedRequestsPerSec as number) >= 100_000 && (thousand.peakRssMb as number) < 500,
  };
  print(line);
  return line;
}

const caseIndex = process.argv.indexOf('--case');
if (caseIndex >= 0) {
  const name = process.argv[caseIndex + 1];
  if (name === undefined) throw new Error('--case needs the name of a bench case');
  await runCase(name);
} else {
  benchEngine();
  runCaseInChild('requests-1h-200rps');
  const hour = runCaseInChild('azure-100-hour');
  const day = runCaseInChild('azure-100-day');
  print({
    name: 'azure-100-memory',
    hourPeakRssMb: hour.peakRssMb,
    dayPeakRssMb: day.peakRssMb,
    rssDayOverHour: round((day.peakRssMb as number) / (hour.peakRssMb as number), 3),
    hourPeakLiveHeapMb: hour.peakLiveHeapMb,
    dayPeakLiveHeapMb: day.peakLiveHeapMb,
    liveHeapDayOverHour: round((day.peakLiveHeapMb as number) / (hour.peakLiveHeapMb as number), 3),
  });
  const services = benchServiceScaling();
  runCaseInChild('pods-2000');
  const quiet = benchCliQuiet(day.wallSeconds as number);
  print(quiet);
  const json = benchCliJson();
  print(json);
  print(await benchSweepJobs(clock));
  // The benchmark's goals in one line, met or not on this machine.
  print({
    name: 'goals',
    azureDayAt300kRequestsPerSec: (day.simulatedRequestsPerSec as number) >= 300_000,
    thousandServicesAt100kRequestsPerSecUnder500Mb: services.thousandServicesGoalMet,
    costPerServiceHourFlat: services.flatGoalMet,
    cliQuietWithin1_5xOfBench: quiet.goalMet,
    cliJsonDayWithin1_3xOfHourUnder400Mb: json.goalMet,
  });
}

/**
 * The 100-function Azure day as users run it, `knsim run day.yaml --quiet` (the series kept as
 * change points, the events log on): its wall time against the in-process case's (goal ≤ 1.5×).
 */
function benchCliQuiet(benchWallSeconds: number): Record<string, unknown> {
  const day = azureDayScenario().replace('invocations: 100_inv.csv', `invocations: ${resolve(azureDir, '100_inv.csv')}`);
  const r = runCliQuiet(day, clock);
  return {
    name: 'azure-100-cli-quiet',
    wallSeconds: r.wallSeconds,
    peakRssMb: r.peakRssMb,
    exitCode: r.exitCode,
    benchWallSeconds,
    cliOverBench: round(r.wallSeconds / benchWallSeconds, 3),
    goalMet: r.wallSeconds / benchWallSeconds <= 1.5,
  };
}

/**
 * The 100-function Azure day through the CLI with --json to a file, against its first hour: the
 * goal is a day's peak within 1.3× the hour's and under 400 MB, and a file that parses.
 */
function benchCliJson(): Record<string, unknown> {
  const day = azureDayScenario().replace('invocations: 100_inv.csv', `invocations: ${resolve(azureDir, '100_inv.csv')}`);
  const hour = runCliJson(day.replace('duration: 24h', 'duration: 1h'), [], clock);
  const whole = runCliJson(day, [], clock);
  const ratio = round(whole.peakRssMb / hour.peakRssMb, 3);
  return {
    name: 'azure-100-cli-json',
    hourPeakRssMb: hour.peakRssMb,
    dayPeakRssMb: whole.peakRssMb,
    rssDayOverHour: ratio,
    goalMet: ratio <= 1.3 && whole.peakRssMb < 400,
    dayJsonMb: whole.jsonMb,
    dayJsonParses: whole.parses,
    dayRequests: whole.requests,
    dayExitCode: whole.exitCode,
    hourWallSeconds: hour.wallSeconds,
    dayWallSeconds: whole.wallSeconds,
  };
}
