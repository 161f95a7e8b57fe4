import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine, EventQueue, formatAge, formatClock, formatDuration, formatShortAge, formatTimestamp, parseDuration } from '../../src/engine/index.js';

describe('EventQueue', () => {
  it('pops in (time, sequence) order for any insertion order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const q = new EventQueue();
        times.forEach((t, i) => q.push(t, () => {}, i));
        const out: [number, number][] = [];
        for (let r = q.pop(); r !== undefined; r = q.pop()) out.push([r.timeMs, r.arg as number]);
        const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(out).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('removes cancelled records at once so the size counts only pending events', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { maxLength: 150 }), (items) => {
        const q = new EventQueue();
        const recs = items.map(([t, cancel], i) => ({ rec: q.push(t, () => {}, i), cancel }));
        for (const { rec, cancel } of recs) if (cancel) expect(q.remove(rec)).toBe(true);
        expect(q.size).toBe(items.filter(([, c]) => !c).length);
        const popped: number[] = [];
        for (let r = q.pop(); r !== undefined; r = q.pop()) popped.push(r.arg as number);
        const expected = items
          .map(([t, c], i) => ({ t, c, i }))
          .filter((x) => !x.c)
          .sort((a, b) => a.t - b.t || a.i - b.i)
          .map((x) => x.i);
        expect(popped).toEqual(expected);
        for (const { rec } of recs) expect(q.remove(rec)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
  it('agrees with a sorted list through pushes, pops and cancels interleaved (slots reused, stale handles refused)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), t: fc.integer({ min: 0, max: 1000 }) }),
      fc.record({ kind: fc.constant('pop' as const) }),
      fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 40, maxLength: 300 }), (ops) => {
        const q = new EventQueue();
        const handles: ReturnType<EventQueue['push']>[] = [];
        /** The reference: pending (time, order) pairs, and which handles are still pending. */
        let model: { t: number; i: number }[] = [];
        const pending = new Set<number>();
        let clock = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            const i = handles.length;
            handles.push(q.push(clock + o.t, () => {}, i));
            model.push({ t: clock + o.t, i });
            pending.add(i);
          } else if (o.kind === 'pop') {
            model.sort((a, b) => a.t - b.t || a.i - b.i);
            const want = model.shift();
            const got = q.pop();
            expect(got === undefined ? undefined : [got.timeMs, got.arg]).toEqual(want === undefined ? undefined : [want.t, want.i]);
            if (want !== undefined) {
              pending.delete(want.i);
              clock = want.t;
            }
          } else if (handles.length > 0) {
            const i = o.pick % handles.length;
            expect(q.remove(handles[i] as ReturnType<EventQueue['push']>)).toBe(pending.has(i));
            pending.delete(i);
            model = model.filter((m) => m.i !== i);
          }
          expect(q.size).toBe(model.length);
          const head = [...model].sort((a, b) => a.t - b.t || a.i - b.i)[0];
          expect(q.peek()?.arg).toBe(head?.i);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('Engine', () => {
  it('runs events at equal times in the order they were scheduled', () => {
    const engine = new Engine({ seed: 1 });
    const seen: string[] = [];
    engine.at(10, () => seen.push('b'));
    engine.at(5, () => {
      seen.push('a');
      engine.at(10, () => seen.push('d'));
    });
    engine.at(10, () => seen.push('c'));
    engine.run();
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
  });

  it('never moves the clock backwards when asked to schedule in the past', () => {
    const engine = new Engine({ seed: 1 });
    const times: number[] = [];
    engine.at(100, () => engine.at(50, () => times.push(engine.nowMs)));
    engine.run();
    expect(times).toEqual([100]);
  });

  it('stops at untilMs with the clock set to it, leaving later events pending', () => {
    const engine = new Engine({ seed: 1 });
    let fired = 0;
    engine.at(100, () => fired++);
    engine.at(300, () => fired++);
    const outcome = engine.run({ untilMs: 200 });
    expect(outcome).toEqual({ reason: 'until', events: 1, nowMs: 200 });
    expect(fired).toBe(1);
    expect(engine.pendingCount).toBe(1);
  });

  it('ends a run that would not stop with the event-limit reason instead of hanging', () => {
    const engine = new Engine({ seed: 1 });
    const loop = (): void => {
      engine.after(1, loop);
    };
    engine.after(0, loop);
    const outcome = engine.run({ maxEvents: 1000 });
    expect(outcome.reason).toBe('event-limit');
    expect(outcome.events).toBe(1000);
  });

  it('fires tickers every period until cancelled, and cancel removes pending events', () => {
    const engine = new Engine({ seed: 1 });
    const ticks: number[] = [];
    const ticker = engine.every(2000, (t) => ticks.push(t));
    const h = engine.at(5000, () => ticks.push(-1));
    expect(engine.cancel(h)).toBe(true);
    expect(engine.cancel(h)).toBe(false);
    engine.at(7000, () => ticker.cancel());
    engine.run({ untilMs: 20_000 });
    expect(ticks).toEqual([2000, 4000, 6000]);
  });

  it('gives each named stream its own sequence, unaffected by draws from other streams', () => {
    const a = new Engine({ seed: 'x' });
    const b = new Engine({ seed: 'x' });
    const fromA = [a.rng('kubelet/node-1')(), a.rng('kubelet/node-1')()];
    b.rng('workload/other')();
    b.rng('workload/other')();
    const fromB = [b.rng('kubelet/node-1')(), b.rng('kubelet/node-1')()];
    expect(fromB).toEqual(fromA);
    expect(new Engine({ seed: 'y' }).rng('kubelet/node-1')()).not.toBe(fromA[0]);
  });

  it('gives the same fingerprint for the same seeded run and a different one when a traced fact differs', () => {
    const runOnce = (seed: number, extra: string): string => {
      const engine = new Engine({ seed });
      const rng = engine.rng('test');
      for (let i = 0; i < 100; i++) engine.at(rng() * 1000, () => engine.trace('c', 'o', `event ${i}`));
      engine.at(2000, () => engine.trace('c', 'o', extra));
      engine.run();
      return engine.fingerprintHex;
    };
    expect(runOnce(1, 'end')).toBe(runOnce(1, 'end'));
    expect(runOnce(1, 'end')).not.toBe(runOnce(2, 'end'));
    expect(runOnce(1, 'end')).not.toBe(runOnce(1, 'end!'));
    expect(runOnce(1, 'end')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('delivers traced facts to listeners with the virtual time', () => {
    const engine = new Engine({ seed: 1 });
    const entries: unknown[] = [];
    engine.onTrace((e) => entries.push(e));
    engine.at(1500, () => engine.trace('autoscaler', 'sunshine-00001', 'desired 3', { desired: 3 }));
    engine.run();
    expect(entries).toEqual([{ t: 1500, component: 'autoscaler', object: 'sunshine-00001', message: 'desired 3', data: { desired: 3 } }]);
  });
});

describe('Engine failures', () => {
  it('records which event threw out of run: its time, number and handler, for the one-line internal-error report', () => {
    const engine = new Engine({ seed: 1 });
    class Probe {}
    const fine = (): void => undefined;
    function explode(_probe: Probe): void {
      throw new Error('boom');
    }
    engine.at(5, fine);
    engine.at(7, explode, new Probe());
    expect(() => engine.run()).toThrow('boom');
    expect(engine.failedEvent).toEqual({ timeMs: 7, index: 2, handler: 'explode(Probe)' });
    expect(engine.nowMs).toBe(7);
  });
});

describe('units', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['0', 0],
    ['-2s', -2000],
    ['100us', 0.1],
  ])('parses the Go duration %s', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it.each(['', '5', 'abc', '5x', '1h 30m', 's'])('rejects the malformed duration "%s" with what was expected', (text) => {
    const r = parseDuration(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('500ms, 30s, 5m or 1h30m');
  });

  it("accepts Go's longest duration and refuses anything longer, as time.ParseDuration does (bug: 400 digits parsed to Infinity)", () => {
    expect(parseDuration('2562047h')).toEqual({ ok: true, ms: 2562047 * 3_600_000 });
    expect(parseDuration('2562047h47m16s').ok).toBe(true);
    for (const text of ['2562048h', '2562047h48m', `${'9'.repeat(400)}ms`]) {
      const r = parseDuration(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/longer than Go's maximum duration|expected a number with a unit/);
    }
  });

  it('formats durations as Go does', () => {
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(500)).toBe('500ms');
    expect(formatDuration(3_600_000)).toBe('1h0m0s');
    expect(formatDuration(0)).toBe('0s');
  });

  it('round-trips any whole-millisecond duration through format and parse', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 3_600_000 }), (ms) => {
        const r = parseDuration(formatDuration(ms));
        expect(r.ok && Math.abs(r.ms - ms) < 1e-6).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('formats clocks, ages and timestamps without the wall clock', () => {
    expect(formatClock(62_000)).toBe('00:01:02.000');
    expect(formatClock(3_723_456)).toBe('01:02:03.456');
    expect(formatAge(45_000)).toBe('45s');
    expect(formatAge(200_000)).toBe('3m20s');
    expect(formatAge(7_500_000)).toBe('125m');
    expect(formatAge(3 * 86_400_000 + 4 * 3_600_000)).toBe('3d4h');
    expect(formatTimestamp(0)).toBe('2026-01-01T00:00:00Z');
    expect(formatTimestamp(86_400_000 * 59 + 3_661_000)).toBe('2026-03-01T01:01:01Z');
  });

  // apimachinery pkg/util/duration: HumanDuration (kubectl's AGE, kn's tables) and ShortHumanDuration (kn describe).
  const S = 1000;
  const M = 60 * S;
  const H = 60 * M;
  const D = 24 * H;
  const ages: [number, string, string][] = [
    [-1999, '0s', '0s'],
    [-2000, '<invalid>', '<invalid>'],
    [59 * S + 999, '59s', '59s'],
    [60 * S, '60s', '1m'],
    [119 * S, '119s', '1m'],
    [120 * S, '2m', '2m'],
    [3 * M + 20 * S, '3m20s', '3m'],
    [9 * M + 59 * S, '9m59s', '9m'],
    [10 * M + 30 * S, '10m', '10m'],
    [179 * M, '179m', '2h'],
    [3 * H, '3h', '3h'],
    [7 * H + 59 * M, '7h59m', '7h'],
    [8 * H + 30 * M, '8h', '8h'],
    [47 * H, '47h', '1d'],
    [3 * D + 4 * H, '3d4h', '3d'],
    [8 * D, '8d', '8d'],
    [400 * D, '400d', '1y'],
    [2 * 365 * D + 30 * D, '2y30d', '2y'],
    [9 * 365 * D, '9y', '9y'],
  ];
  it.each(ages)('ages %d ms as %s (long) and %s (short)', (ms, long, short) => {
    expect(formatAge(ms)).toBe(long);
    expect(formatShortAge(ms)).toBe(short);
  });
});
