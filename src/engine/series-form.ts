/**
 * Reading a series of per-object samples whatever form it was kept in: a sample every step, or
 * only the samples whose values changed (each holds until the object's next one). One object's
 * samples are expanded lazily to every step, so a reader never needs the per-second form in
 * memory. Generic over the sample (the run's `SeriesSample`: sim/result.ts). Fidelity: knsim's
 * own; nothing here is Knative's.
 */

/** How a series was kept: its step in ms (0: not kept) and whether only changes were. */
export interface SeriesFormOf {
  stepMs: number;
  changesOnly: boolean;
}

interface Kept<S> {
  /** Absent: one sample per second. */
  seriesForm?: SeriesFormOf;
  series: readonly S[];
  durationMs: number;
}

/** The series' step in ms (1000 unless `seriesForm` says otherwise; 0 when no series was kept). */
export function seriesStepMs(result: { seriesForm?: SeriesFormOf }): number {
  return result.seriesForm?.stepMs ?? 1000;
}

/** Each object's kept samples, in time order, by name (names sorted). */
export function seriesByRevision<S extends { revision: string }>(result: { series: readonly S[] }): Map<string, S[]> {
  const out = new Map<string, S[]>();
  for (const s of result.series) {
    let list = out.get(s.revision);
    if (list === undefined) {
      list = [];
      out.set(s.revision, list);
    }
    list.push(s);
  }
  return new Map([...out.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

/**
 * One object's samples at every step, in time order: as kept for a stepped series, and for a
 * change-point series each kept sample repeated (with its step's time) until the object's next
 * one or the end of the run (`durationMs`). `samples` are its kept samples (`seriesByRevision`).
 */
export function* expandedSeries<S extends { t: number }>(result: Omit<Kept<S>, 'series'>, samples: readonly S[]): Generator<S> {
  const stepMs = seriesStepMs(result);
  const changes = result.seriesForm?.changesOnly === true;
  let held: S | undefined;
  for (const s of samples) {
    if (changes && held !== undefined) for (let t = held.t + stepMs; t < s.t; t += stepMs) yield { ...held, t };
    yield s;
    held = s;
  }
  if (changes && held !== undefined && stepMs > 0) {
    const lastStep = Math.floor(result.durationMs / stepMs) * stepMs;
    for (let t = held.t + stepMs; t <= lastStep; t += stepMs) yield { ...held, t };
  }
}
