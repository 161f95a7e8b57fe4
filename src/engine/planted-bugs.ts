/**
 * A test seam: bugs a test build plants on purpose, to prove that the invariants and
 * `knsim fuzz` find real mistakes (a check that cannot fail proves nothing). A simulation
 * is given the names in `SimulationOptions.plantedBugs`; the CLI reads them from the
 * environment variable `KNSIM_PLANT_BUG` (comma-separated). With none planted, nothing
 * changes: the fingerprints of every run stay as they are.
 *
 * - `scale-to-zero-one-tick-late`: the KPA removes the last pod one autoscaler tick (2 s)
 *   after Knative would (src/autoscaler/kpa/reconciler.ts).
 *
 * Fidelity: not a Knative concept; a mutation-testing seam of knsim's own.
 */
export const PLANTED_BUGS = ['scale-to-zero-one-tick-late'] as const;
export type PlantedBug = (typeof PLANTED_BUGS)[number];

/** Checks names (e.g. from KNSIM_PLANT_BUG); returns the bugs, or the first unknown name. */
export function parsePlantedBugs(names: readonly string[]): { ok: true; bugs: PlantedBug[] } | { ok: false; unknown: string } {
  const bugs: PlantedBug[] = [];
  for (const raw of names) {
    const name = raw.trim();
    if (name === '') continue;
    const bug = PLANTED_BUGS.find((b) => b === name);
    if (bug === undefined) return { ok: false, unknown: name };
    if (!bugs.includes(bug)) bugs.push(bug);
  }
  return { ok: true, bugs };
}
