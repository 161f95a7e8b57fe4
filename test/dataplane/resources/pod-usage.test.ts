// The pod's CPU and memory counters (dataplane/resources/pod-usage.ts): the worked example of
// its header, and properties a metrics reader relies on: the counter never runs faster than the
// CPU limit, never goes backwards, and once the pod is idle it holds exactly the idle use plus
// every request's work.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppModel } from '../../../src/dataplane/app-model.js';
import { PodUsage } from '../../../src/dataplane/resources/pod-usage.js';

const app = (idleCpuMillis = 0): AppModel =>
  new AppModel({ serviceTime: { distribution: 'constant', valueMs: 100 }, idleCpuMillis, memoryPerRequestBytes: 2 ** 20, baseMemoryBytes: 64 * 2 ** 20 });

describe('PodUsage', () => {
  it('serves CPU work in arrival order at the limit: ten 100 ms requests at once end at 100 ms, 200 ms, … 1 s', () => {
    const u = new PodUsage();
    u.start(app(), { container: 'user-container', cpuMillis: 1000, memoryBytes: 0 }, 0);
    const ends = Array.from({ length: 10 }, () => u.startRequest(100, 100, 0));
    expect(ends).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(u.cpuUsedMilliMs(500)).toBe(500_000); // half a core-second in the first 500 ms: the limit
    expect(u.cpuUsedMilliMs(2000)).toBe(1_000_000);
    expect(u.memoryBytes(10)).toBe(64 * 2 ** 20 + 10 * 2 ** 20);
  });

  it('leaves service times alone without a CPU limit, and counts the work at once', () => {
    const u = new PodUsage();
    u.start(app(5), { container: 'user-container', cpuMillis: 0, memoryBytes: 0 }, 1000);
    expect(u.startRequest(100, 40, 1000)).toBe(40);
    expect(u.cpuUsedMilliMs(2000)).toBe(5 * 1000 + 100_000);
  });

  it('a request slower than its CPU work keeps its service time under the limit', () => {
    const u = new PodUsage();
    u.start(app(), { container: 'user-container', cpuMillis: 1000, memoryBytes: 0 }, 0);
    expect(u.startRequest(20, 100, 0)).toBe(100);
  });

  it('never runs faster than the limit, never goes backwards, and conserves work', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 4000 }),
        fc.integer({ min: 0, max: 50 }),
        fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 200 }), cpuMs: fc.integer({ min: 0, max: 300 }), serviceMs: fc.integer({ min: 1, max: 500 }) }), {
          maxLength: 60,
        }),
        (limit, idle, requests) => {
          const u = new PodUsage();
          u.start(app(idle), { container: 'user-container', cpuMillis: limit, memoryBytes: 0 }, 0);
          let t = 0;
          let work = 0;
          let last = 0;
          for (const r of requests) {
            t += r.gapMs;
            const used = u.cpuUsedMilliMs(t);
            expect(used).toBeGreaterThanOrEqual(last - 1e-6);
            expect(used).toBeLessThanOrEqual(Math.max(limit, idle) * t + 1e-6);
            last = used;
            expect(u.startRequest(r.cpuMs, r.serviceMs, t)).toBeGreaterThanOrEqual(r.serviceMs);
            work += r.cpuMs * 1000;
          }
          const later = t + work / Math.max(1, limit - idle) + 1;
          expect(u.cpuUsedMilliMs(later)).toBeCloseTo(idle * later + work, 3);
        },
      ),
    );
  });
});
