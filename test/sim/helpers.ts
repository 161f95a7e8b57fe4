/**
 * Helpers for whole-world tests: load inline scenario YAML through the simulator's own
 * loader (kn lines checked by the kn parser), and read the running world the way a user
 * would (kubectl-like gets, kn output, per-revision request counts).
 */
import { TYPE, type Deployment } from '../../src/apis/core.js';
import type { Revision } from '../../src/apis/serving-types.js';
import { formatDiagnostic, type Scenario } from '../../src/scenario/index.js';
import { loadScenarioText, Simulation, type RunResult, type SimulationOptions } from '../../src/sim/index.js';

/** Loads inline scenario text; throws with every error diagnostic when it does not load. */
export function scenarioOf(text: string): Scenario {
  const loaded = loadScenarioText(text, { file: 'inline.yaml' });
  if (loaded.scenario === undefined) {
    throw new Error(`scenario did not load:\n${loaded.diagnostics.map(formatDiagnostic).join('\n')}`);
  }
  return loaded.scenario;
}

/** A Simulation of inline scenario text. */
export function simulationOf(text: string, options: SimulationOptions = {}): Simulation {
  return new Simulation(scenarioOf(text), options);
}

/** The lines kn printed for one command object (e.g. `service/sunshine`), in order. */
export function knLines(result: RunResult, object?: string): string[] {
  return result.events.filter((e) => e.component === 'kn' && (object === undefined || e.object === object)).map((e) => e.message);
}

/** The Deployment of a revision (`<rev>-deployment`), or undefined. */
export function deploymentOf(sim: Simulation, revision: string, namespace = 'default'): Deployment | undefined {
  return sim.world.api.get<Deployment>(TYPE.deployment, namespace, `${revision}-deployment`);
}

/** Names of the revisions in a namespace, sorted. */
export function revisionNames(sim: Simulation, namespace = 'default'): string[] {
  return sim.world.api.list<Revision>(TYPE.revision, { namespace }).map((r) => r.metadata.name);
}

/** Requests routed to a revision so far. */
export function arrivedAt(sim: Simulation, revision: string, namespace = 'default'): number {
  return sim.world.dataplane.measurements.revision(namespace, revision)?.arrived ?? 0;
}

/**
 * Advances the simulation in steps of `stepMs` until `predicate` holds or `untilMs` is
 * reached; returns the virtual time at which it first held (undefined if never).
 */
export function runUntil(sim: Simulation, predicate: () => boolean, untilMs: number, stepMs = 100): number | undefined {
  const { engine } = sim.world;
  if (predicate()) return engine.nowMs;
  while (engine.nowMs < untilMs) {
    sim.runTo(Math.min(untilMs, engine.nowMs + stepMs));
    if (predicate()) return engine.nowMs;
  }
  return undefined;
}
