/**
 * The classic hold model: `pending` events in the queue; each event schedules one
 * successor at now + Exp(1). Run through the real engine, and through a bare
 * typed-array heap as the reference the engine is compared with.
 */
import { Engine, drawExponential } from '../engine/index.js';

interface HoldResult {
  events: number;
  seconds: number;
  eventsPerSec: number;
}

type Clock = () => number;

const BARE_SLOT_EMPTY = 'knsim bug: bare heap slot below its size is empty';

export function runEngineHold(pending: number, events: number, clock: Clock): HoldResult {
  const engine = new Engine({ seed: 'bench' });
  const rng = engine.rng('bench/hold');
  const hold = (): void => {
    engine.after(drawExponential(rng, 1), hold);
  };
  for (let i = 0; i < pending; i++) engine.after(drawExponential(rng, 1), hold);
  const start = clock();
  const outcome = engine.run({ maxEvents: events });
  const seconds = (clock() - start) / 1000;
  return { events: outcome.events, seconds, eventsPerSec: outcome.events / seconds };
}

/** The same model on a bare binary heap of (time, sequence) in typed arrays, no callbacks. */
export function runBareHeapHold(pending: number, events: number, clock: Clock): HoldResult {
  const times = new Float64Array(pending + 1);
  const seqs = new Float64Array(pending + 1);
  let size = 0;
  let nextSeq = 0;
  let u = 0x2545f491;
  const uniform = (): number => {
    u ^= u << 13;
    u ^= u >>> 17;
    u ^= u << 5;
    return (u >>> 0) / 4294967296;
  };
  // Slots below `size` always hold a value; an empty one is a bug in this bench. Checked inline
  // with a constant message so that the reference heap stays as cheap as it was.
  const less = (i: number, j: number): boolean => {
    const ti = times[i];
    const tj = times[j];
    if (ti === undefined || tj === undefined) throw new Error(BARE_SLOT_EMPTY);
    if (ti !== tj) return ti < tj;
    const si = seqs[i];
    const sj = seqs[j];
    if (si === undefined || sj === undefined) throw new Error(BARE_SLOT_EMPTY);
    return si < sj;
  };
  const swap = (i: number, j: number): void => {
    const ti = times[i];
    const tj = times[j];
    if (ti === undefined || tj === undefined) throw new Error(BARE_SLOT_EMPTY);
    times[i] = tj;
    times[j] = ti;
    const si = seqs[i];
    const sj = seqs[j];
    if (si === undefined || sj === undefined) throw new Error(BARE_SLOT_EMPTY);
    seqs[i] = sj;
    seqs[j] = si;
  };
  const push = (t: number): void => {
    let i = size++;
    times[i] = t;
    seqs[i] = nextSeq++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(i, p)) break;
      swap(i, p);
      i = p;
    }
  };
  const pop = (): number => {
    const t = times[0];
    size--;
    const lastTime = times[size];
    const lastSeq = seqs[size];
    if (t === undefined || lastTime === undefined || lastSeq === undefined) throw new Error(BARE_SLOT_EMPTY);
    times[0] = lastTime;
    seqs[0] = lastSeq;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      const c = r < size && less(r, l) ? r : l;
      if (!less(c, i)) break;
      swap(c, i);
      i = c;
    }
    return t;
  };
  for (let i = 0; i < pending; i++) push(-Math.log(1 - uniform()));
  const start = clock();
  for (let n = 0; n < events; n++) {
    const now = pop();
    push(now - Math.log(1 - uniform()));
  }
  const seconds = (clock() - start) / 1000;
  return { events, seconds, eventsPerSec: events / seconds };
}
