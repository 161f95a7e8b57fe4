/**
 * Keeps a long run's heap near its live state. V8 lets garbage pile up in its old space for as
 * long as it has room: the 100-function Azure day holds about 22 MB of live objects all day,
 * yet its process grew to 240 MB where its first hour peaked at 167 MB, the difference being
 * garbage not yet collected. Between slices of virtual time the CLI asks for a full collection
 * once the heap has grown by more than its live size (and at least `slackBytes`) since the last
 * one, so the peak follows what the run holds, not how long it ran.
 *
 * A collection changes nothing the simulation computes (it reads no clock and draws nothing),
 * so results stay byte-identical. Measured on that day: `run --json` peaks at 177 MB where its
 * hour peaks at 144 MB (1.23; 256 / 168 MB without, 1.52; with 64 MB of slack 193–197 against
 * 147–168), about 35 collections of some 30 ms in a run of a minute; `run --quiet`, whose
 * series stays in memory, at 440–500 MB instead of 590 MB. The limit doubles with the live
 * heap, so a run whose live state grows is collected a handful of times, not every slice.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * The garbage collector as a function: the global one under `--expose-gc`, else one exposed for a
 * fresh context (V8 reads the flag when it makes a context, so only the new one gets `gc`).
 */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Made once per process: a sweep's or a fuzz's many runs share it rather than each making a context. */
let sharedCollector: (() => void) | undefined;

/** A full collection now (the keeper's own collector): a caller measuring the heap starts from what is live. */
export function collectGarbage(): void {
  (sharedCollector ??= collector())();
}

export class HeapKeeper {
  private readonly gc: () => void;
  private limitBytes: number;
  /** Full collections asked for so far. */
  collections = 0;

  constructor(private readonly slackBytes = 32e6) {
    this.gc = sharedCollector ??= collector();
    this.limitBytes = getHeapStatistics().used_heap_size + slackBytes;
  }

  /** Collects when the heap outgrew its limit, then sets the next limit from what is live. */
  check(): void {
    if (getHeapStatistics().used_heap_size < this.limitBytes) return;
    this.gc();
    this.collections++;
    const live = getHeapStatistics().used_heap_size;
    this.limitBytes = live + Math.max(this.slackBytes, live);
  }
}
