/**
 * The fuzzing swarm, in the spirit of TigerBeetle's VOPR: every run of the suite mutates the
 * shipped scenarios and the pin fixtures structurally (mutate.ts) and checks, in process, what
 * issue 11 promises of any input:
 * - `validate` never throws: it accepts, or refuses with located diagnostics (file, line ≥ 1,
 *   column ≥ 1, a known code, a message that names nothing of JavaScript's);
 * - what it accepts, a short run (the first 90 s of virtual time) completes without throwing,
 *   within a generous multiple of the loader's own time estimate or, when the run did more than
 *   the loader could foresee (a surge of pods the cluster cannot place), of the same cost model
 *   applied to the work it did;
 * - the result keeps the JSON contract's invariants: requests conserved, traffic shares summing
 *   to 1, ready pods never above pods, pods within twice the most ever desired, one result per
 *   expectation;
 * - a run replays: a second run of every fifth accepted case gives the same fingerprint.
 * A few hundred cases run with `npm test` (a new seed each time, printed in the test's name);
 * `npm run fuzz` runs thousands. A failure prints the seed and path that replay it:
 * FUZZ_SEED=<seed> FUZZ_PATH=<path> npm run fuzz.
 */
import fc from 'fast-check';
import { readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TYPE } from '../../src/apis/core.js';
import { DIAGNOSTIC_CODES } from '../../src/scenario/diagnostics.js';
import { estimateRunSeconds } from '../../src/scenario/estimate.js';
import { loadScenario, type Diagnostic, type Scenario } from '../../src/scenario/index.js';
import { Simulation, type RunResult } from '../../src/sim/index.js';
import { CORPUS } from './corpus.js';
import { mutate, mutateCsv, planArb, type Plan } from './mutate.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
// A seed chosen here is written before the first case, straight to stderr: a case that kills the
// test worker (out of memory) loses vitest's buffered output, and the seed with it.
if (process.env.FUZZ_SEED === undefined) writeSync(2, `fuzzing swarm: seed ${SEED} (replay: FUZZ_SEED=${SEED} npm run fuzz)\n`);
const PATH = process.env.FUZZ_PATH;
/** Virtual time a short run covers. */
const SHORT_RUN_MS = 90_000;
/** A run may take this many times the loader's estimate (the machine is shared and the estimate is a mean), plus this much. */
const TIME_FACTOR = 10;
const TIME_SLACK_MS = 3000;
/** Accepted cases whose short run the estimate puts above this many seconds are checked for validation only (CI time). */
const MAX_RUN_ESTIMATE_S = 3;

const CODES: readonly string[] = DIAGNOSTIC_CODES;

/** The file reader a CLI would pass: files relative to the repository, trace CSVs corrupted as the plan says. */
function reader(csv: ReturnType<typeof mutate>['csv']): (path: string) => string {
  return (path) => {
    const text = readFileSync(path, 'utf8');
    return path.endsWith('.csv') ? mutateCsv(text, csv) : text;
  };
}

function checkDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    expect(CODES, d.message).toContain(d.code);
    expect(d.line, d.message).toBeGreaterThanOrEqual(1);
    expect(d.column, d.message).toBeGreaterThanOrEqual(1);
    expect(d.file, d.message).not.toBe('');
    // Nothing of JavaScript leaks into what the user reads.
    expect(d.message).not.toMatch(/\[object Object\]|\[native code\]|function \w*\(|\bNaN\b|undefined(?! is)/);
  }
}

function checkResult(scenario: Scenario, r: RunResult): void {
  const q = r.summary.requests;
  expect(q.total).toBe(q.succeeded + q.failed + q.inFlight);
  expect(Object.values(q.byStatus).reduce((a, b) => a + b, 0)).toBe(q.succeeded + q.failed);
  const shares = r.revisions.map((v) => v.trafficShare);
  for (const s of shares) expect(s >= 0 && s <= 1).toBe(true);
  if (r.revisions.some((v) => v.requests > 0)) expect(Math.abs(shares.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-9);
  const mostDesired = new Map<string, number>();
  for (const s of r.series) {
    expect(s.readyPods).toBeLessThanOrEqual(s.pods);
    expect(s.pods).toBeGreaterThanOrEqual(0);
    const most = Math.max(mostDesired.get(s.revision) ?? 0, s.desiredReplicas);
    mostDesired.set(s.revision, most);
    // Pods come from what was desired: at most twice the most ever desired (new pods while old ones terminate), plus one.
    expect(s.pods, `${s.revision} at ${s.t}`).toBeLessThanOrEqual(2 * most + 1);
  }
  expect(r.expectations).toHaveLength(scenario.expect.length);
}

/** What the cases did, printed with FUZZ_STATS=1. */
const stats = { refused: 0, accepted: 0, ran: 0, tooLong: 0 };

/** One case: validate; when it accepts, a short run with its invariants, and every fifth, a replay. */
function checkCase(plan: Plan, index: number): void {
  const source = CORPUS[plan.scenario];
  if (source === undefined) throw new Error('a corpus index in range');
  const mutant = mutate(source.text, plan.mutations, plan.asManifests);
  // The mutated text lives where the original did, so its relative files resolve.
  const file = `${dirname(source.path)}/fuzzed.yaml`;
  const loaded = loadScenario(mutant.text, { file, readFile: reader(mutant.csv) });
  checkDiagnostics(loaded.diagnostics);
  const scenario = loaded.scenario;
  if (scenario === undefined) {
    expect(loaded.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    stats.refused++;
    return;
  }
  stats.accepted++;
  const untilMs = Math.min(scenario.durationMs, SHORT_RUN_MS);
  const share = untilMs / scenario.durationMs;
  const estimateS = scenario.budget.expectedRunSeconds * Math.max(share, 0.05);
  if (estimateS > MAX_RUN_ESTIMATE_S) {
    stats.tooLong++;
    return;
  }
  stats.ran++;
  let podsCreated = 0;
  const run = (): RunResult => {
    const sim = new Simulation(scenario);
    podsCreated = 0;
    sim.world.api.watch(TYPE.pod, (e) => {
      if (e.type === 'ADDED') podsCreated++;
    });
    sim.runTo(untilMs);
    return sim.result();
  };
  const started = performance.now();
  const r = run();
  const tookMs = performance.now() - started;
  // The cost model on the work done: what the estimate would have said had it known the requests and pods.
  const workS = estimateRunSeconds({
    requests: r.summary.requests.total,
    podSeconds: r.summary.podSeconds,
    podStarts: podsCreated,
    revisions: r.revisions.length,
  });
  expect(tookMs, `short run took ${Math.round(tookMs)} ms, estimate ${estimateS.toFixed(2)} s, its work ${workS.toFixed(2)} s`).toBeLessThanOrEqual(
    TIME_FACTOR * Math.max(estimateS, workS) * 1000 + TIME_SLACK_MS,
  );
  checkResult(scenario, r);
  if (index % 5 === 0) expect(run().fingerprint).toBe(r.fingerprint);
}

describe('the fuzzing swarm', () => {
  it(
    `holds issue 11's invariants over ${RUNS} mutated scenarios (seed ${SEED})`,
    () => {
      let index = 0;
      const details = fc.check(
        fc.property(planArb(CORPUS.length), (plan) => checkCase(plan, index++)),
        { numRuns: RUNS, seed: SEED, ...(PATH !== undefined ? { path: PATH } : {}) },
      );
      if (process.env.FUZZ_STATS !== undefined) console.log(JSON.stringify(stats));
      if (details.failed) {
        const replay = `FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath ?? ''} npm run fuzz`;
        const plan = details.counterexample?.[0];
        const mutant = plan === undefined ? undefined : mutate(CORPUS[plan.scenario]?.text ?? '', plan.mutations, plan.asManifests);
        const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
        throw new Error(
          `${fc.defaultReportMessage(details) ?? 'the swarm found a failing case'}\n${cause}\nreplay: ${replay}\n\nthe mutated scenario (${CORPUS[plan?.scenario ?? 0]?.path}):\n${mutant?.text ?? ''}`,
        );
      }
      // A case takes about 50 ms on average; the timeout leaves room for a loaded machine.
    },
    60_000 + RUNS * 200,
  );
});
