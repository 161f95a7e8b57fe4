/**
 * Conservation through the whole world: whatever small scenario a user writes (one or
 * two services, any containerConcurrency, mixed workloads, updates, traffic edits and
 * deletes at random times, apps that answer errors, crash, fail to start, flap or hang,
 * with or without a liveness probe, gradual rollouts, response-start and idle timeouts,
 * streaming apps), every request that arrived is accounted for exactly once: ended with
 * one of the statuses knsim answers, or still in flight.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { must } from '../../src/engine/index.js';
import { TYPE, type Pod } from '../../src/apis/core.js';
import { Simulation } from '../../src/sim/index.js';
import { checkInvariants, INVARIANT_NAMES } from 'knsim/testing';
import { scenarioOf } from './helpers.js';

const SERVICES = ['alpha', 'beta'] as const;
const STATUSES = new Set(['200', '404', '500', '502', '503', '504']);

const workloadArb = fc.record({
  /** Index into the created services; one past them targets a service that never exists (404s). */
  service: fc.integer({ min: 0, max: 5 }),
  fromS: fc.integer({ min: 0, max: 120 }),
  lengthS: fc.integer({ min: 5, max: 120 }),
  pattern: fc.oneof(
    fc.record({ kind: fc.constant('poisson' as const), rate: fc.constantFrom(0.5, 2, 5, 10) }),
    fc.record({ kind: fc.constant('constant' as const), rate: fc.constantFrom(1, 4, 8) }),
    fc.record({
      kind: fc.constant('burst' as const),
      base: fc.constantFrom(0, 1),
      atS: fc.integer({ min: 0, max: 150 }),
      count: fc.integer({ min: 1, max: 40 }),
    }),
    fc.record({ kind: fc.constant('users' as const), users: fc.integer({ min: 1, max: 6 }), thinkMs: fc.constantFrom(200, 1000) }),
  ),
});

const actionArb = fc.record({
  atS: fc.integer({ min: 1, max: 170 }),
  service: fc.constantFrom(...SERVICES),
  kind: fc.constantFrom('image', 'split', 'latest', 'kn-delete', 'delete-ksvc', 'delete-rev', 'delete-deployment', 'concurrency', 'config'),
  version: fc.integer({ min: 2, max: 4 }),
  percent: fc.integer({ min: 0, max: 100 }),
  concurrency: fc.constantFrom(0, 1, 5),
});

/** An app's failure model (apps.<image>.failure), as YAML flow text; '' for none. */
const failureArb = fc.oneof(
  { arbitrary: fc.constant(''), weight: 3 },
  fc.integer({ min: 5, max: 60 }).map((s) => `{crash: {after: ${s}s}}`),
  fc.integer({ min: 1, max: 30 }).map((n) => `{crash: {afterRequests: ${n}}, exitCode: 137}`),
  fc.constantFrom(0.02, 0.2).map((r) => `{crash: {rate: ${r}}, message: boom}`),
  fc.constantFrom('1', '3', 'always').map((k) => `{startupFailures: ${k}}`),
  fc.constantFrom('{ready: 3s, unready: 2s}', '{ready: {distribution: exponential, mean: 10s}, unready: 500ms}').map((f) => `{readinessFlap: ${f}}`),
  fc.integer({ min: 5, max: 60 }).map((s) => `{hang: {after: ${s}s}}`),
);

const scenarioArb = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  durationS: fc.integer({ min: 40, max: 180 }),
  services: fc.uniqueArray(
    fc.record({
      name: fc.constantFrom(...SERVICES),
      atS: fc.integer({ min: 0, max: 30 }),
      concurrency: fc.constantFrom(0, 1, 5),
      timeoutS: fc.constantFrom(0, 0, 1),
      /** Created from a manifest whose container has a liveness probe (kills a hung app) instead of with kn. */
      liveness: fc.boolean(),
    }),
    { minLength: 1, maxLength: 2, selector: (s) => s.name },
  ),
  errorRates: fc.tuple(fc.constantFrom(0, 0.05, 0.5), fc.constantFrom(0, 0.2)),
  failures: fc.tuple(failureArb, failureArb, failureArb, failureArb),
  serviceMs: fc.constantFrom(10, 100, 400),
  workloads: fc.array(workloadArb, { minLength: 1, maxLength: 3 }),
  actions: fc.array(actionArb, { maxLength: 4 }),
  /** Gradual rollout (config-network rollout-duration, whole seconds) and the response-start and idle timeouts of new revisions (config-defaults). */
  rolloutS: fc.constantFrom(0, 0, 20, 90),
  responseStartS: fc.constantFrom(0, 0, 1),
  idleS: fc.constantFrom(0, 0, 1),
  /** Apps that answer their first byte at once and stream a chunk every so often, or answer whole at the end. */
  streamMs: fc.constantFrom(0, 0, 50, 2000),
});

type ScenarioInput = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function actionLine(a: ScenarioInput['actions'][number]): string {
  const s = a.service;
  switch (a.kind) {
    case 'image':
      return `kn: kn service update ${s} --image=app:v${a.version}`;
    case 'split':
      return `kn: 'kn service update ${s} --traffic ${s}-00001=${a.percent},@latest=${100 - a.percent}'`;
    case 'latest':
      return `kn: 'kn service update ${s} --traffic @latest=100'`;
    case 'concurrency':
      return `kn: kn service update ${s} --concurrency-limit ${a.concurrency}`;
    case 'kn-delete':
      return `kn: kn service delete ${s}`;
    case 'delete-ksvc':
      return `delete: ksvc/${s}`;
    case 'delete-rev':
      return `delete: revision/${s}-00001`;
    case 'delete-deployment':
      return `delete: deployment/${s}-00001-deployment`;
    case 'config':
      // A ConfigMap change mid-run: a short stable window, or scale to zero switched off.
      return `apply: "apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: config-autoscaler, namespace: knative-serving}\\ndata: ${a.percent < 50 ? '{stable-window: 10s}' : "{enable-scale-to-zero: 'false', target-burst-capacity: '0'}"}"`;
  }
}

/** One workload, its window clamped into the scenario (`from` < `to` ≤ duration). */
function workloadLine(w: ScenarioInput['workloads'][number], index: number, input: ScenarioInput): string {
  const durationS = input.durationS;
  const named = (i: number): string => must(input.services[i], 'an index below the service count').name;
  const service =
    w.service < input.services.length ? named(w.service) : w.service === input.services.length ? 'nowhere' : named(w.service % input.services.length);
  const fromS = Math.min(w.fromS, durationS - 5);
  const toS = Math.min(fromS + w.lengthS, durationS);
  const head = `  - {name: w${index}, target: ${service}, from: ${fromS}s, to: ${toS}s, `;
  const p = w.pattern;
  switch (p.kind) {
    case 'poisson':
    case 'constant':
      return `${head}pattern: ${p.kind}, rate: ${p.rate}}`;
    case 'burst':
      return `${head}pattern: burst, base: ${p.base}, spike: {at: ${Math.min(Math.max(p.atS, fromS), toS - 1)}s, count: ${p.count}}}`;
    case 'users':
      return `${head}pattern: users, users: ${p.users}, thinkTime: ${p.thinkMs}ms}`;
  }
}

/** Creating a service: with kn, or from a manifest with a liveness probe on the user container. */
function createLine(s: ScenarioInput['services'][number]): string {
  if (!s.liveness)
    return `kn: kn service create ${s.name} --image=app:v1 --concurrency-limit ${s.concurrency}${s.timeoutS > 0 ? ` --timeout ${s.timeoutS}` : ''}`;
  const timeout = s.timeoutS > 0 ? `, timeoutSeconds: ${s.timeoutS}` : '';
  const container = `{image: 'app:v1', livenessProbe: {httpGet: {path: /healthz}, periodSeconds: 2, failureThreshold: 2}}`;
  return `apply: "apiVersion: serving.knative.dev/v1\\nkind: Service\\nmetadata: {name: ${s.name}}\\nspec: {template: {spec: {containerConcurrency: ${s.concurrency}${timeout}, containers: [${container}]}}}"`;
}

function scenarioText(input: ScenarioInput): string {
  const timeline = [
    ...input.services.map((s) => `  - {at: ${Math.min(s.atS, input.durationS - 1)}s, ${createLine(s)}}`),
    ...input.actions.map((a) => `  - {at: ${Math.min(a.atS, input.durationS - 1)}s, ${actionLine(a)}}`),
  ];
  const stream = input.streamMs > 0 ? `, firstByte: 2ms, streamInterval: ${input.streamMs}ms` : '';
  const apps = [1, 2, 3, 4].map(
    (v) =>
      `  app:v${v}: {serviceTime: {distribution: exponential, mean: ${input.serviceMs}ms}, errorRate: ${input.errorRates[v % 2]}${stream}${input.failures[v - 1] ? `, failure: ${input.failures[v - 1]}` : ''}}`,
  );
  const config = [
    'config:',
    `  config-network: {rollout-duration: "${input.rolloutS}"}`,
    `  config-defaults: {revision-response-start-timeout-seconds: "${input.responseStartS}", revision-idle-timeout-seconds: "${input.idleS}"}`,
  ];
  return [
    'name: random',
    `seed: ${input.seed}`,
    `duration: ${input.durationS}s`,
    ...config,
    'apps:',
    ...apps,
    'timeline:',
    ...timeline,
    'traffic:',
    ...input.workloads.map((w, i) => workloadLine(w, i, input)),
    '',
  ].join('\n');
}

describe('conservation of requests through the whole world', () => {
  it('every request that arrived ended once with a known status or is still in flight', () => {
    // How often the failure models showed: runs with a 502, and runs with a restarted container.
    let runsWith502 = 0;
    let runsWithRestarts = 0;
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const text = scenarioText(input);
        const scenario = scenarioOf(text);
        const sim = new Simulation(scenario, { record: { report: true } });
        let sent = 0;
        const { dataplane } = sim.world;
        const send = dataplane.send.bind(dataplane);
        dataplane.send = (...args: Parameters<typeof send>) => {
          sent++;
          return send(...args);
        };
        sim.runTo(sim.scenario.durationMs);
        expect(sim.stopReason, text).toBe('completed');
        const { requests } = sim.result().summary;
        expect(requests.total, text).toBe(sent);
        expect(requests.total, text).toBe(requests.succeeded + requests.failed + requests.inFlight);
        for (const code of Object.keys(requests.byStatus)) expect(STATUSES.has(code), `${code} in\n${text}`).toBe(true);
        const ended = Object.values(requests.byStatus).reduce((a, b) => a + b, 0);
        expect(ended, text).toBe(requests.succeeded + requests.failed);
        expect(requests.byStatus['200'] ?? 0, text).toBe(requests.succeeded);

        // Per revision (and the router's 404s): arrived = ended + in flight, and the parts add up to the whole.
        const m = dataplane.measurements;
        let arrived = m.unrouted.arrived;
        let inFlight = m.unrouted.inFlight;
        expect(m.unrouted.arrived, text).toBe(m.unrouted.succeeded + m.unrouted.failed + m.unrouted.inFlight);
        for (const key of m.revisionKeys()) {
          // A missing part finds no tally, which fails below.
          const [namespace = '', name = ''] = key.split('/');
          const t = m.revision(namespace, name);
          if (t === undefined) throw new Error(`no tally for ${key}`);
          expect(t.arrived, `${key} in\n${text}`).toBe(t.succeeded + t.failed + t.inFlight);
          expect(t.inFlight, `${key} in\n${text}`).toBeGreaterThanOrEqual(0);
          arrived += t.arrived;
          inFlight += t.inFlight;
        }
        expect(arrived, text).toBe(m.arrived);
        expect(inFlight, text).toBe(m.inFlight);

        // The public invariants (knsim/testing) agree on these worlds, deletes and config changes included.
        const broken = checkInvariants(
          scenario,
          sim.result(),
          INVARIANT_NAMES.filter((n) => n !== 'deterministic'),
        ).filter((r) => !r.passed);
        expect(
          broken.map((r) => `${r.name}: ${r.message}`),
          text,
        ).toEqual([]);
        if ((requests.byStatus['502'] ?? 0) > 0) runsWith502++;
        const pods = sim.world.api.list<Pod>(TYPE.pod);
        if (pods.some((p) => (p.status?.containerStatuses ?? []).some((c) => c.restartCount > 0))) runsWithRestarts++;
      }),
      { numRuns: 200 },
    );
    // The property was exercised with containers failing under load, not only with healthy ones.
    expect(runsWith502).toBeGreaterThan(5);
    expect(runsWithRestarts).toBeGreaterThan(10);
  });
});
