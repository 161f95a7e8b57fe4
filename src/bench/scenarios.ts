/**
 * The request-path benchmarks: whole simulations (controllers, autoscaler, data plane)
 * driven by real scenarios, with series and events off so memory reflects live state.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadScenarioText, Simulation, formatDiagnostic, type RunResult, type Scenario } from '../index.js';

interface ScenarioBench {
  name: string;
  requests: number;
  simulatedSeconds: number;
  wallSeconds: number;
  simulatedRequestsPerSec: number;
  peakRssMb: number;
  /** Largest heap still in use after a full GC at each simulated hour: the live state. */
  peakLiveHeapMb: number;
}

/** One simulated hour of Poisson traffic at 200 requests/s to one service. */
export function requestsHourScenario(): string {
  return `
name: requests-1h-200rps
seed: 1
duration: 1h
timeline:
  - {at: 0s, kn: kn service create bench --image=bench}
apps:
  bench: {serviceTime: {distribution: lognormal, median: 20ms, p99: 200ms}}
traffic:
  - {name: load, target: bench, pattern: poisson, rate: 200, from: 30s}
`;
}

/**
 * One revision scaled out to about 2,100 pods on 40 nodes (1,500 requests/s of a 1 s app, one
 * request per pod) for two minutes: what a sync costs when a ReplicaSet and an Endpoints object
 * hold thousands of pods, every one of whose events reaches both.
 */
export function widePodsScenario(): string {
  return `
name: pods-2000
seed: 1
duration: 2m
cluster: {nodes: 40}
apps:
  work: {serviceTime: 1s}
timeline:
  - {at: 0s, kn: kn service create wide --image=work --concurrency-limit 1 --scale-max 3000}
traffic:
  - {name: load, target: wide, pattern: constant, rate: 1500, from: 30s}
`;
}

/** One simulated day of the 100-function Azure Functions 2019 sample, one Knative Service per function. */
export function azureDayScenario(functions = 100): string {
  const creates = Array.from({ length: functions }, (_, i) => `  - {at: 0s, kn: kn service create fn-${i} --image=fn}`).join('\n');
  const targets = Array.from({ length: functions }, (_, i) => `fn-${i}`).join(', ');
  return `
name: azure-100-day
seed: 1
duration: 24h
timeline:
${creates}
apps:
  fn: {serviceTime: {distribution: lognormal, median: 200ms, p99: 2s}}
traffic:
  - name: azure
    from: 1m
    trace: {format: azure, invocations: 100_inv.csv, functions: ${functions}, spread: uniform, targets: [${targets}]}
`;
}

/**
 * `services` Knative Services for one simulated hour, 200 requests/s in all (Poisson, an
 * equal share each): what a service-hour costs as the number of services grows. Each service
 * keeps one pod, so the cluster has a node per 100 of them (a node holds at most 110 pods):
 * on the default three nodes 670 of 1,000 services would never get a pod and their requests
 * would all be 404s.
 */
export function servicesHourScenario(services: number): string {
  const creates = Array.from({ length: services }, (_, i) => `  - {at: 0s, kn: kn service create svc-${i} --image=svc}`).join('\n');
  const rate = 200 / services;
  const traffic = Array.from({ length: services }, (_, i) => `  - {name: load-${i}, target: svc-${i}, pattern: poisson, rate: ${rate}, from: 30s}`).join('\n');
  return `
name: services-${services}-hour
seed: 1
duration: 1h
cluster: {nodes: ${Math.max(3, Math.ceil(services / 100))}}
timeline:
${creates}
apps:
  svc: {serviceTime: {distribution: lognormal, median: 20ms, p99: 200ms}}
traffic:
${traffic}
`;
}

const HOUR_MS = 3_600_000;

export function loadBenchScenario(text: string, dir: string): Scenario {
  const { scenario, diagnostics } = loadScenarioText(text, { file: `${dir}/bench.yaml`, readFile: (path) => readFileSync(path, 'utf8') });
  if (scenario === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return scenario;
}

export function runScenarioBench(name: string, scenario: Scenario): ScenarioBench {
  const gc = (globalThis as { gc?: () => void }).gc;
  let liveHeapBytes = 0;
  let gcMs = 0;
  const started = performance.now();
  const sim = new Simulation(scenario, { record: { series: false, events: false } });
  for (let t = HOUR_MS; ; t += HOUR_MS) {
    sim.runTo(Math.min(t, scenario.durationMs));
    if (gc !== undefined) {
      const before = performance.now();
      gc();
      liveHeapBytes = Math.max(liveHeapBytes, process.memoryUsage().heapUsed);
      gcMs += performance.now() - before;
    }
    if (t >= scenario.durationMs) break;
  }
  const result = sim.result();
  assertHealthy(name, result);
  const wallSeconds = (performance.now() - started - gcMs) / 1000;
  const requests = result.summary.requests.total;
  return {
    name,
    requests,
    simulatedSeconds: scenario.durationMs / 1000,
    wallSeconds: Math.round(wallSeconds * 1000) / 1000,
    simulatedRequestsPerSec: Math.round(requests / wallSeconds),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    peakLiveHeapMb: Math.round(liveHeapBytes / 1e5) / 10,
  };
}

/**
 * A benchmark times a run that did what it was meant to: every request served, every step
 * done, the whole duration simulated. A run gone wrong (a cluster too small, a failed kn step)
 * does other work than the case names, so its speed would be a quiet lie.
 */
function assertHealthy(name: string, result: RunResult): void {
  const problems: string[] = [];
  const { requests } = result.summary;
  if (requests.failed > 0) problems.push(`${requests.failed} of ${requests.total} requests failed (${JSON.stringify(requests.byStatus)})`);
  const failedSteps = (result.steps ?? []).filter((s) => !s.passed);
  if (failedSteps.length > 0)
    problems.push(`${failedSteps.length} timeline steps failed, the first: ${failedSteps[0]?.step ?? ''}: ${failedSteps[0]?.error ?? ''}`);
  if (result.stopReason !== undefined) problems.push(`stopped early: ${result.stopReason}`);
  if (problems.length > 0) throw new Error(`bench case ${name} ran wrong, so its time would measure the wrong work:\n  ${problems.join('\n  ')}`);
}
