import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distributionMeanMs, drawExponential, Engine, lognormalFromMedianP99, type Distribution, type Rng } from '../../src/engine/index.js';
import { startWorkload, type ArrivalSink, type ClosedLoopUser, type WorkloadHandle } from '../../src/workload/index.js';
import { gaps } from './recorder.js';

/** A fake server: each request completes after a service time drawn from its own stream (or fixed). */
class FakeServer implements ArrivalSink<string> {
  outstanding = 0;
  maxOutstanding = 0;
  sent = 0;
  perUserOverlap = false;
  readonly sendTimes: number[][] = [];
  private readonly inFlight: boolean[] = [];
  private readonly rng: Rng;

  constructor(
    private readonly engine: Engine,
    private readonly serviceMs: number | 'exponential',
    private readonly meanServiceMs = 100,
  ) {
    this.rng = engine.rng('test/server');
  }

  arrive(_target: string, nowMs: number, user: ClosedLoopUser | null): void {
    if (user === null) throw new Error('closed-loop arrivals carry their user');
    if (!user.outstanding || this.inFlight[user.index]) this.perUserOverlap = true;
    this.inFlight[user.index] = true;
    this.sent++;
    this.outstanding++;
    this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding);
    (this.sendTimes[user.index] ??= []).push(nowMs);
    const delayMs = this.serviceMs === 'exponential' ? drawExponential(this.rng, this.meanServiceMs) : this.serviceMs;
    this.engine.after(delayMs, finish, { server: this, user });
  }

  finished(user: ClosedLoopUser): void {
    this.outstanding--;
    this.inFlight[user.index] = false;
    user.complete();
  }
}

function finish(arg: { server: FakeServer; user: ClosedLoopUser }): void {
  arg.server.finished(arg.user);
}

function runUsers(
  users: number,
  thinkTime: Distribution,
  serviceMs: number | 'exponential',
  toMs: number,
  seed = 1,
  rampUpMs?: number,
): { server: FakeServer; handle: WorkloadHandle } {
  const engine = new Engine({ seed });
  const server = new FakeServer(engine, serviceMs);
  const handle = startWorkload(engine, { name: 'users', target: 'svc', pattern: 'closed-loop', users, thinkTime, rampUpMs, fromMs: 0, toMs }, server);
  engine.run({ untilMs: toMs + 60_000 });
  return { server, handle };
}

describe('closed-loop users', () => {
  it('each user sends, waits for the response, thinks, then sends again (hey -c N)', () => {
    // 4 users, 100 ms service, 400 ms think: a cycle of 500 ms, so 20 sends each in [0, 10 s).
    const { server, handle } = runUsers(4, { distribution: 'constant', valueMs: 400 }, 100, 10_000);
    expect(server.sent).toBe(80);
    expect(handle.arrivalCount).toBe(80);
    for (const times of server.sendTimes) {
      expect(times.length).toBe(20);
      for (const gap of gaps(times)) expect(gap).toBe(500);
    }
    expect(handle.outstandingCount).toBe(0);
  });

  it('offers less load when the server slows down', () => {
    const fast = runUsers(10, { distribution: 'constant', valueMs: 0 }, 10, 10_000).server.sent;
    const slow = runUsers(10, { distribution: 'constant', valueMs: 0 }, 100, 10_000).server.sent;
    expect(fast).toBe(10_000);
    expect(slow).toBe(1000);
  });

  it('spreads starts over rampUpMs', () => {
    const { server } = runUsers(4, { distribution: 'constant', valueMs: 1000 }, 10, 500, 1, 1000);
    expect(server.sendTimes.map((t) => t[0])).toEqual([0, 250]);
  });

  it('never has more than N requests outstanding, nor two for one user', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.oneof(
          fc.record({ distribution: fc.constant('constant' as const), valueMs: fc.integer({ min: 0, max: 500 }) }),
          fc.record({ distribution: fc.constant('exponential' as const), meanMs: fc.integer({ min: 0, max: 500 }) }),
          fc
            .integer({ min: 0, max: 300 })
            .chain((minMs) =>
              fc.record({ distribution: fc.constant('uniform' as const), minMs: fc.constant(minMs), maxMs: fc.integer({ min: minMs, max: 600 }) }),
            ),
          fc.integer({ min: 1, max: 300 }).map((medianMs): Distribution => lognormalFromMedianP99(medianMs, medianMs * 5)),
          fc.constant<Distribution>({
            distribution: 'empirical',
            points: [
              { p: 0, valueMs: 0 },
              { p: 90, valueMs: 100 },
              { p: 100, valueMs: 600 },
            ],
          }),
        ),
        fc.integer({ min: 1, max: 300 }),
        fc.integer(),
        (users, thinkTime, meanServiceMs, seed) => {
          const engine = new Engine({ seed });
          const server = new FakeServer(engine, 'exponential', meanServiceMs);
          const handle = startWorkload(engine, { name: 'users', target: 'svc', pattern: 'closed-loop', users, thinkTime, fromMs: 0, toMs: 5000 }, server);
          engine.run({ untilMs: 1_000_000 });
          expect(server.maxOutstanding).toBeLessThanOrEqual(users);
          expect(server.perUserOverlap).toBe(false);
          expect(handle.outstandingCount).toBe(0);
          for (const times of server.sendTimes) for (const t of times ?? []) expect(t).toBeLessThan(5000);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('draws exponential think times with the asked mean', () => {
    // 1 user, no service time, think Exp(mean 100 ms) over 1000 s: about 10,000 sends.
    const { server } = runUsers(1, { distribution: 'exponential', meanMs: 100 }, 0, 1_000_000);
    expect(Math.abs(server.sent - 10_000)).toBeLessThan(4 * Math.sqrt(10_000));
  });

  it('draws lognormal think times with the asked median and p99 (before one Distribution, only constant, exponential and uniform worked)', () => {
    // 1 user, no service time, think lognormal(median 100 ms, p99 1 s), mean ≈ 163 ms, over 1000 s: about 6,100 sends.
    const thinkTime = lognormalFromMedianP99(100, 1000);
    const { server } = runUsers(1, thinkTime, 0, 1_000_000);
    const expected = 1_000_000 / distributionMeanMs(thinkTime);
    // A renewal count's spread is about cv·√n; the lognormal's cv here is about 1.3.
    expect(Math.abs(server.sent - expected)).toBeLessThan(5 * 1.3 * Math.sqrt(expected));
  });

  it('throws when a user completes a request it did not send', () => {
    const engine = new Engine({ seed: 1 });
    let captured: ClosedLoopUser | null = null;
    startWorkload(
      engine,
      { name: 'u', target: 0, pattern: 'closed-loop', users: 1, thinkTime: { distribution: 'constant', valueMs: 10 }, fromMs: 0, toMs: 100 },
      {
        arrive: (_t, _now, user) => {
          captured = user;
        },
      },
    );
    engine.run({ untilMs: 1 });
    const user = captured as unknown as ClosedLoopUser;
    user.complete();
    expect(() => user.complete()).toThrow(/without a request outstanding/);
  });

  it('sends nothing more after stop(), even when responses come back', () => {
    const engine = new Engine({ seed: 1 });
    const server = new FakeServer(engine, 50);
    const handle = startWorkload(
      engine,
      { name: 'u', target: 'svc', pattern: 'closed-loop', users: 3, thinkTime: { distribution: 'constant', valueMs: 0 }, fromMs: 0, toMs: 10_000 },
      server,
    );
    engine.run({ untilMs: 1010 });
    handle.stop();
    const sent = server.sent;
    engine.run({ untilMs: 10_000 });
    expect(server.sent).toBe(sent);
    expect(handle.outstandingCount).toBe(0);
  });

  it('sends again after an answer that came back at once, never more than once per millisecond (bug: a user whose 404 ended inside send never sent again)', () => {
    const engine = new Engine({ seed: 1 });
    const sends: number[] = [];
    // A server that answers inside the send, as the data plane does for a host nothing routes.
    const instant: ArrivalSink<string> = {
      arrive: (_target, nowMs, user) => {
        sends.push(nowMs);
        user?.complete();
      },
    };
    startWorkload(
      engine,
      { name: 'users', target: 'svc', pattern: 'closed-loop', users: 1, thinkTime: { distribution: 'constant', valueMs: 0 }, fromMs: 0, toMs: 10 },
      instant,
    );
    engine.run({ untilMs: 100 });
    expect(sends).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // With a think time, the think time sets the pace.
    const thinking: number[] = [];
    const e2 = new Engine({ seed: 1 });
    startWorkload(
      e2,
      { name: 'users', target: 'svc', pattern: 'closed-loop', users: 1, thinkTime: { distribution: 'constant', valueMs: 250 }, fromMs: 0, toMs: 1000 },
      {
        arrive: (_t, nowMs, user) => {
          thinking.push(nowMs);
          user?.complete();
        },
      },
    );
    e2.run({ untilMs: 2000 });
    expect(thinking).toEqual([0, 250, 500, 750]);
  });
});
