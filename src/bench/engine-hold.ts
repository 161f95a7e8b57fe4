/**
 * The classic hold model: `pending` events in the queue; each event schedules one
 * successor at now + Exp(1). Run through the real engine, and through a bare
 * typed-array heap as the reference the engine is compared with.
 */
import { Engine, drawExponential } from '../engine/index.js';

export interface HoldResult {
  events: number;
  seconds: number;
  eventsPerSec: number;
}

type Clock = () => number;

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
  const less = (i: number, j: number): boolean => times[i] < times[j] || (times[i] === times[j] && seqs[i] < seqs[j]);
  const swap = (i: number, j: number): void => {
    const t = times[i];
    times[i] = times[j];
    times[j] = t;
    const s = seqs[i];
    seqs[i] = seqs[j];
    seqs[j] = s;
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
    times[0] = times[size];
    seqs[0] = seqs[size];
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
