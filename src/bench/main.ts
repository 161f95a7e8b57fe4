/**
 * `npm run bench`: prints one JSON object per line, each with a `name`.
 * Wall-clock use is allowed here (and in src/cli) only.
 */
import { performance } from 'node:perf_hooks';
import { runBareHeapHold, runEngineHold } from './engine-hold.js';

const clock = (): number => performance.now();

function print(line: Record<string, unknown>): void {
  console.log(JSON.stringify(line));
}

function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function benchEngine(): void {
  const events = 3_000_000;
  runEngineHold(1000, 200_000, clock); // warm-up
  runBareHeapHold(1000, 200_000, clock);
  const bare = runBareHeapHold(1000, events, clock);
  print({ name: 'bare-heap-hold-1k', events: bare.events, seconds: round(bare.seconds, 3), eventsPerSec: round(bare.eventsPerSec) });
  for (const pending of [1000, 100_000]) {
    const r = runEngineHold(pending, events, clock);
    print({
      name: pending === 1000 ? 'engine-hold-1k' : 'engine-hold-100k',
      pending,
      events: r.events,
      seconds: round(r.seconds, 3),
      eventsPerSec: round(r.eventsPerSec),
      ratioToBareHeap1k: round(r.eventsPerSec / bare.eventsPerSec, 3),
    });
  }
}

benchEngine();
