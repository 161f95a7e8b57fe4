/**
 * The library behind `knsim fuzz`: runs variants of a scenario, drawn from its `vary:` (values
 * set by path, as `--set` sets them), checks its `invariants:` on each, and on the first failure
 * lets fast-check shrink it: every varied value toward its minimum (or first choice), then the
 * workloads and timeline actions the failure does not need, one at a time. The minimal variant
 * comes back as the YAML text of a scenario (the file's own text, with its comments, the values
 * set, the unneeded parts removed, `expect:` and `vary:` dropped and `invariants:` reduced to
 * the one that broke) that `knsim run` replays to the same failure; it is replayed once here to
 * say so. The search itself replays from fast-check's seed and path.
 *
 * Fidelity: knsim's own tool; the variants are loaded by the scenario loader and run by the
 * same Simulation as `knsim run`. Without `vary:` only the scenario's seed is varied.
 */
import fc from 'fast-check';
import { type Document } from 'yaml';
import type { PlantedBug } from '../engine/index.js';
import {
  applyOverrides,
  hasErrors,
  loadScenario,
  varyCount,
  varyValueText,
  type Diagnostic,
  type InvariantName,
  type LoadOptions,
  type Scenario,
  type VaryEntry,
} from '../scenario/index.js';
import { parseYamlDocument } from '../scenario/reader.js';
import { runScenario } from '../sim/index.js';
import { dropsArb, type Drop } from './drops.js';

export interface FuzzOptions {
  /** The scenario's path (positions and relative files). */
  file: string;
  readFile?: LoadOptions['readFile'];
  /** `--set` overrides applied to the scenario before anything is varied. */
  sets?: readonly string[];
  /** Variants to run before declaring success (default 100). */
  runs?: number;
  /** fast-check's seed: the same seed draws the same variants. */
  seed: number;
  /** Replays one counterexample path printed by an earlier search (with its seed). */
  path?: string;
  /** Test seam (src/engine/planted-bugs.ts). */
  plantedBugs?: readonly PlantedBug[];
  /** Called after each variant ran (for a progress line). */
  onRun?: (runs: number) => void;
}

/** One varied value of the minimal failing variant. */
export interface FuzzValue {
  path: string;
  value: string;
}

export type FuzzReport =
  | { outcome: 'bad-input'; diagnostics: Diagnostic[] }
  | { outcome: 'passed'; seed: number; runs: number; skipped: number }
  | {
      outcome: 'failed';
      seed: number;
      /** fast-check's counterexample path: with the seed, replays the shrunk failure. */
      path: string;
      /** Variants run until the first failure, and shrinking steps taken. */
      runs: number;
      shrinks: number;
      invariant: InvariantName;
      /** The invariant's message on the minimal variant. */
      message: string;
      values: FuzzValue[];
      /** What shrinking removed, e.g. `traffic[1] (evening)`. */
      removed: string[];
      /** The minimal failing scenario as YAML. */
      text: string;
      /** Whether loading and running `text` again broke the same invariant. */
      replayed: boolean;
    };

/** The seed as `vary:` entry when a scenario varies nothing else. */
const SEED_ONLY: VaryEntry = {
  path: 'seed',
  values: { kind: 'range', unit: 'number', min: 1, max: 1_000_000, step: 1 },
  pos: { file: '', line: 0, column: 0 },
};

/** Runs the search. Never throws for bad input: that is a report with diagnostics. */
export function fuzzScenario(text: string, options: FuzzOptions): FuzzReport {
  const loadOptions: LoadOptions = { file: options.file, ...(options.readFile !== undefined ? { readFile: options.readFile } : {}) };
  const base = loadScenario(text, { ...loadOptions, ...(options.sets !== undefined ? { sets: options.sets } : {}) });
  if (base.scenario === undefined) return { outcome: 'bad-input', diagnostics: base.diagnostics };
  const scenario = base.scenario;
  if (scenario.invariants.length === 0) {
    return {
      outcome: 'bad-input',
      diagnostics: [
        {
          ...scenario.pos,
          code: 'SCENARIO_MISSING_KEY',
          severity: 'error',
          message: 'knsim fuzz checks the scenario\'s invariants, and it lists none: add "invariants:", e.g. invariants: [conservation, zeroAfterStableWindow]',
        },
      ],
    };
  }
  const vary = scenario.vary.length > 0 ? scenario.vary : [SEED_ONLY];
  const problems = checkVaryValues(text, loadOptions, options.sets ?? [], vary);
  if (problems.length > 0) return { outcome: 'bad-input', diagnostics: problems };

  const prepared = applyOverrides(parseYamlDocument(text).doc, options.sets ?? []).document;
  const structure = removable(scenario);
  let target: InvariantName | undefined;
  let minimal: { text: string; message: string; indices: number[]; drops: Drop[] } | undefined;
  let ran = 0;
  let skipped = 0;
  const variant = fc.tuple(fc.tuple(...vary.map((v) => fc.integer({ min: 0, max: varyCount(v.values) - 1 }))), dropsArb(structure.length));
  const property = fc.property(variant, ([indices, drops]) => {
    const variantText = variantOf(
      prepared,
      vary,
      indices,
      drops.map((d) => structure[d]).filter((d) => d !== undefined),
      scenario,
      undefined,
    );
    const loaded = loadScenario(variantText, loadOptions);
    if (loaded.scenario === undefined || hasErrors(loaded.diagnostics)) {
      skipped++;
      fc.pre(false);
      return true;
    }
    const result = runScenario(loaded.scenario, { plantedBugs: options.plantedBugs ?? [] });
    ran++;
    options.onRun?.(ran);
    const broken = (result.invariants ?? []).filter((i) => !i.passed);
    const hit = broken.find((i) => i.name === (target ?? broken[0]?.name));
    if (hit === undefined) return true;
    target = hit.name;
    minimal = { text: variantText, message: hit.message, indices, drops };
    return false;
  });
  const details = fc.check(property, {
    seed: options.seed,
    numRuns: options.runs ?? 100,
    ...(options.path !== undefined ? { path: options.path } : {}),
    maxSkipsPerRun: 10,
  });
  if (!details.failed || target === undefined || minimal === undefined) {
    // A failure without a broken invariant is an exception in the run: a knsim bug, passed on as it is.
    if (details.failed)
      throw details.errorInstance instanceof Error ? details.errorInstance : new Error('knsim fuzz: a variant failed without breaking an invariant');
    return { outcome: 'passed', seed: options.seed, runs: details.numRuns, skipped };
  }
  const found = minimal;
  const drops = found.drops.map((d) => structure[d]).filter((d): d is Removable => d !== undefined);
  const values = vary.map((v, i) => ({ path: v.path, value: varyValueText(v.values, found.indices[i] ?? 0) }));
  const header = [
    `Minimal failing variant of ${options.file} found by knsim fuzz (seed ${options.seed}, path ${details.counterexamplePath ?? ''}):`,
    `invariant ${target} broke. Replay: ${(options.plantedBugs ?? []).length > 0 ? `KNSIM_PLANT_BUG=${(options.plantedBugs ?? []).join(',')} ` : ''}knsim run <this file>`,
    ...(values.length > 0 ? [`Values: ${values.map((v) => `${v.path}=${v.value}`).join(', ')}`] : []),
  ];
  const finalText = variantOf(prepared, vary, found.indices, drops, scenario, { invariant: target, header });
  return {
    outcome: 'failed',
    seed: options.seed,
    path: details.counterexamplePath ?? '',
    runs: details.numRuns,
    shrinks: details.numShrinks,
    invariant: target,
    message: found.message,
    values,
    removed: drops.map((d) => d.label),
    text: finalText,
    replayed: replays(finalText, loadOptions, target, options.plantedBugs ?? []),
  };
}

/** A part of the scenario shrinking may remove: a workload or a timeline action. */
interface Removable {
  path: ['traffic' | 'timeline', number];
  label: string;
}

function removable(scenario: Scenario): Removable[] {
  const out: Removable[] = [];
  scenario.traffic.forEach((w, i) => out.push({ path: ['traffic', i], label: `traffic[${i}] (${w.name})` }));
  for (const a of [...scenario.timeline].sort((x, y) => x.index - y.index))
    out.push({ path: ['timeline', a.index], label: `timeline[${a.index}] (${a.action})` });
  return out;
}

/**
 * The text of one variant: the values set by path, the removed parts deleted (last index
 * first, so the others keep theirs), `expect:` and `vary:` dropped; for the written file also
 * the invariants reduced to the broken one, a name of its own and a header comment.
 */
function variantOf(
  prepared: Document.Parsed,
  vary: readonly VaryEntry[],
  indices: readonly number[],
  drops: readonly Removable[],
  scenario: Scenario,
  final: { invariant: InvariantName; header: string[] } | undefined,
): string {
  const sets = vary.map((v, i) => `${v.path}=${varyValueText(v.values, indices[i] ?? 0)}`);
  // A clone of a parsed document is a parsed document (the yaml package types it as a plain one).
  const doc = applyOverrides(prepared.clone() as Document.Parsed, sets).document;
  const byKind = (kind: 'traffic' | 'timeline'): number[] =>
    drops
      .filter((d) => d.path[0] === kind)
      .map((d) => d.path[1])
      .sort((a, b) => b - a);
  for (const kind of ['traffic', 'timeline'] as const) for (const i of byKind(kind)) doc.deleteIn([kind, i]);
  doc.delete('expect');
  doc.delete('vary');
  if (final !== undefined) {
    doc.set('name', `${scenario.name}-fuzz`);
    doc.delete('description');
    doc.set('invariants', doc.createNode([final.invariant], { flow: true }));
    const existing = doc.commentBefore === null || doc.commentBefore === undefined ? [] : [doc.commentBefore];
    doc.commentBefore = [...final.header.map((l) => ` ${l}`), ...existing].join('\n');
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** Loads every extreme of every `vary:` entry once, so a range that makes the scenario invalid is bad input, said where it was written. */
function checkVaryValues(text: string, loadOptions: LoadOptions, sets: readonly string[], vary: readonly VaryEntry[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const v of vary) {
    const count = varyCount(v.values);
    const indices = v.values.kind === 'choices' ? [...Array(count).keys()] : [...new Set([0, count - 1])];
    for (const i of indices) {
      const value = varyValueText(v.values, i);
      const loaded = loadScenario(text, { ...loadOptions, sets: [...sets, `${v.path}=${value}`] });
      const first = loaded.diagnostics.find((d) => d.severity === 'error');
      if (first === undefined) continue;
      out.push({
        ...v.pos,
        code: first.code,
        severity: 'error',
        message: `vary."${v.path}": with ${value} the scenario does not load: ${first.message}`,
      });
      break;
    }
  }
  return out;
}

/** Whether the written text, loaded and run again, breaks the same invariant. */
function replays(text: string, loadOptions: LoadOptions, invariant: InvariantName, plantedBugs: readonly PlantedBug[]): boolean {
  const loaded = loadScenario(text, loadOptions);
  if (loaded.scenario === undefined) return false;
  const result = runScenario(loaded.scenario, { plantedBugs });
  return (result.invariants ?? []).some((i) => i.name === invariant && !i.passed);
}
