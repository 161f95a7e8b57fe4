/**
 * Request timeouts as Knative's timeout handler enforces them (pkg/http/handler/timeout.go
 * in queue-proxy and the activator): the pure arithmetic of one handler's timers, then
 * whole worlds where a revision's timeoutSeconds, responseStartTimeoutSeconds and
 * idleTimeoutSeconds meet apps that answer late, stream, or go quiet.
 */
import { describe, expect, it } from 'vitest';
import { expiry, TIMER_KIND, timerMs, type Expiry, type TimerSettings } from '../../src/dataplane/timeouts.js';
import { simulationOf } from '../sim/helpers.js';

const T = (timeout: number, responseStart?: number, idle?: number): TimerSettings => ({
  timeoutMs: timerMs(timeout),
  responseStartMs: timerMs(responseStart),
  idleMs: timerMs(idle),
});
const out = (): Expiry => ({ atMs: 0, kind: -1 });
const kinds = ['request', 'responseStart', 'idle'];

describe('one timeout handler (timeout.go)', () => {
  // [name, timers (s), first byte, stream, end (ms), want time or Infinity, want kind]
  const rows: [string, TimerSettings, number, number, number, number, string | undefined][] = [
    ['an answer within every timer: none fires', T(300, 10, 5), 1000, 0, 4000, Infinity, undefined],
    ['no byte before the response-start timeout: it fires', T(300, 10), 100_000, 0, 100_000, 10_000, 'responseStart'],
    ['the first byte in time, the end too late: the request timeout', T(60, 10), 50, 1000, 100_000, 60_000, 'request'],
    ['a first byte exactly at the response-start timeout counts as in time', T(300, 10), 10_000, 0, 10_000, Infinity, undefined],
    ['the end exactly at the request timeout completes', T(60), 60_000, 0, 60_000, Infinity, undefined],
    ['idle: nothing written before the idle timeout', T(300, undefined, 5), 8000, 0, 8000, 5000, 'idle'],
    ['idle: a long gap between the first byte and the end', T(300, undefined, 5), 1000, 0, 20_000, 6000, 'idle'],
    ['idle: a stream every 1 s never goes quiet for 5 s', T(300, undefined, 5), 1000, 1000, 20_000, Infinity, undefined],
    ['idle: a stream every 6 s is quiet too long after the first byte', T(300, undefined, 5), 1000, 6000, 20_000, 6000, 'idle'],
    ['idle: a gap of exactly the idle timeout is in time', T(300, undefined, 5), 1000, 0, 6000, Infinity, undefined],
    ['waiting in a queue (nothing will be written): the shortest timer', T(300, 10, 30), Infinity, 0, Infinity, 10_000, 'responseStart'],
    ['timers of 0 or less are off', T(300, 0, -1), 200_000, 0, 200_000, Infinity, undefined],
  ];
  it.each(rows)('%s', (_name, timers, firstByte, stream, end, wantAt, wantKind) => {
    const e = expiry(out(), 0, timers, firstByte, stream, end);
    expect(e.atMs).toBe(wantAt);
    if (wantKind !== undefined) expect(kinds[e.kind]).toBe(wantKind);
  });

  it('counts from its own start (the activator before queue-proxy)', () => {
    expect(expiry(out(), 2500, T(300, 10), 100_000, 0, 100_000)).toEqual({ atMs: 12_500, kind: TIMER_KIND.responseStart });
  });
});

/** A world with one service whose template spec gets `spec`, an app model for it, and one request per second for `requests` seconds. */
function world(spec: string, app: string, requests = 5, duration = '8m'): ReturnType<typeof simulationOf> {
  return simulationOf(`
name: timeouts
duration: ${duration}
apps:
  slow: ${app}
timeline:
  - at: 0s
    apply: |
      apiVersion: serving.knative.dev/v1
      kind: Service
      metadata: {name: slow}
      spec:
        template:
          spec:
            containers: [{image: slow}]
${spec
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => `            ${l.trim()}`)
  .join('\n')}
traffic:
  - name: users
    target: slow
    pattern: constant
    rate: 1
    from: 30s
    to: ${30 + requests}s
`);
}

describe('timeouts in a world', () => {
  it('a 100 s answer with responseStartTimeoutSeconds 10 ends in 504 after 10 s, not 200 (the issue’s case)', () => {
    const sim = world('responseStartTimeoutSeconds: 10', '{serviceTime: 100s}');
    sim.runTo(60_000);
    const r = sim.result();
    expect(r.summary.requests.byStatus).toEqual({ '504': 5 });
    // One pod with the default target-burst-capacity keeps the activator in the path: its timer starts first.
    expect(r.summary.requests.timeouts).toEqual({ 'activator:response-start-timeout': 5 });
    expect(r.summary.latencyMs.max).toBeGreaterThanOrEqual(10_000);
    expect(r.summary.latencyMs.max).toBeLessThan(10_100);
    const first = r.events.find((e) => e.component === 'activator' && e.message.startsWith('504'));
    expect(first?.message).toBe('504 response start timeout: responseStartTimeoutSeconds passed without a response byte (after 10s)');
  });

  it('the same long request that starts answering at once and streams is not cut by the response-start timeout, only by timeoutSeconds', () => {
    const sim = world('responseStartTimeoutSeconds: 10\ntimeoutSeconds: 60', '{serviceTime: 100s, firstByte: 50ms, streamInterval: 1s}');
    sim.runTo(120_000);
    const r = sim.result();
    // The 200 went out with the first byte; at 60 s the response is cut off with it.
    expect(r.summary.requests.byStatus).toEqual({ '200': 5 });
    expect(r.summary.requests.timeouts).toEqual({ 'activator:timeout-after-response-start': 5 });
    expect(Math.round(r.summary.latencyMs.max / 1000)).toBe(60);
  });

  it('timeoutSeconds 0 is the 300 s default, not "no timeout"', () => {
    const sim = world('timeoutSeconds: 0', '{serviceTime: 400s}', 2);
    sim.runTo(480_000);
    const r = sim.result();
    expect(r.summary.requests.byStatus).toEqual({ '504': 2 });
    expect(r.summary.requests.timeouts).toEqual({ 'activator:timeout': 2 });
    expect(Math.round(r.summary.latencyMs.max / 1000)).toBe(300);
  });

  it('idleTimeoutSeconds cuts a response that goes quiet after its first byte, and spares one that keeps streaming', () => {
    const quiet = world('idleTimeoutSeconds: 5', '{serviceTime: 20s, firstByte: 1s}');
    quiet.runTo(60_000);
    expect(quiet.result().summary.requests.timeouts).toEqual({ 'activator:idle-timeout-after-response-start': 5 });
    const streaming = world('idleTimeoutSeconds: 5', '{serviceTime: 20s, firstByte: 1s, streamInterval: 2s}');
    streaming.runTo(60_000);
    const r = streaming.result();
    expect(r.summary.requests.byStatus).toEqual({ '200': 5 });
    expect(r.summary.requests.timeouts).toBeUndefined();
  });

  it('queue-proxy times requests out when the activator is not in the path, and narrates the 1st, 10th, 100th only', () => {
    // target-burst-capacity 0 takes the activator out of the path once a pod is ready.
    const sim = simulationOf(`
name: many-timeouts
duration: 4m
config:
  config-autoscaler: {target-burst-capacity: "0"}
apps:
  slow: {serviceTime: 30s}
timeline:
  - at: 0s
    kn: kn service create slow --image=slow --timeout 2 --scale-min 1
traffic:
  - name: users
    target: slow
    pattern: constant
    rate: 2
    from: 60s
    to: 180s
`);
    sim.runTo(240_000);
    const r = sim.result();
    expect(r.summary.requests.byStatus).toEqual({ '504': 240 });
    expect(r.summary.requests.timeouts).toEqual({ 'queue-proxy:timeout': 240 });
    const narrated = r.events.filter((e) => e.component === 'queue-proxy' && /timeout/.test(e.message)).map((e) => e.message);
    expect(narrated).toEqual([
      '504 request timeout: timeoutSeconds passed before the response (after 2s)',
      "10 requests ended by queue-proxy's request timeout (timeoutSeconds) so far",
      "100 requests ended by queue-proxy's request timeout (timeoutSeconds) so far",
    ]);
    // Conservation: each request ended exactly once.
    expect(r.summary.requests.total).toBe(r.summary.requests.succeeded + r.summary.requests.failed + r.summary.requests.inFlight);
  });
});
