/**
 * Gradual rollout through the whole world: the Route's split moves in Knative's steps,
 * config-network `rollout-duration` is read as whole seconds, `kn service update --traffic`
 * during a rollout takes over at once, and a second new revision mid-rollout starts an
 * overlapping rollout from the current split (rollout.go's "two existing revisions").
 */
import { describe, expect, it } from 'vitest';
import { TYPE } from '../../src/apis/core.js';
import type { Route } from '../../src/apis/serving-types.js';
import { loadScenarioText } from '../../src/sim/index.js';
import { simulationOf } from './helpers.js';

/** The main host's split as `revision=percent` pairs, from the Route's status. */
function split(sim: ReturnType<typeof simulationOf>): string {
  const route = sim.world.api.get<Route>(TYPE.route, 'default', 'sunshine');
  return (route?.status?.traffic ?? [])
    .filter((t) => t.tag === undefined)
    .map((t) => `${t.revisionName ?? ''}=${t.percent ?? 0}`)
    .join(',');
}

const scenario = (config: string, timeline: string): string => `
name: rollout
duration: 6m
${config}
apps:
  rainbows:v1: {serviceTime: 20ms}
  rainbows:v2: {serviceTime: 20ms}
  rainbows:v3: {serviceTime: 20ms}
timeline:
  - at: 0s
    kn: kn service create sunshine --image=rainbows:v1
  - at: 1m
    kn: kn service update sunshine --image=rainbows:v2 --no-wait
${timeline}
traffic:
  - name: users
    target: sunshine
    pattern: constant
    rate: 20
    from: 30s
`;

describe('gradual rollout in a world', () => {
  it('reads config-network rollout-duration as whole seconds: "120" rolls out over two minutes in 1% steps', () => {
    const sim = simulationOf(scenario('config:\n  config-network: {rollout-duration: "120"}', ''));
    sim.runTo(70_000);
    // sunshine-00002 is Ready at about 1m20s: nothing moved yet.
    expect(split(sim)).toBe('sunshine-00001=100');
    sim.runTo(90_000);
    // 119 s over 99 percent: a 1% step every 1.2 s, after the first 1%.
    expect(split(sim)).toMatch(/^sunshine-00001=(9\d|8\d),sunshine-00002=\d+$/);
    sim.runTo(200_000);
    expect(split(sim)).toMatch(/^sunshine-00002=100$|^sunshine-00001=\d,sunshine-00002=9\d$/);
    sim.runTo(230_000);
    expect(split(sim)).toBe('sunshine-00002=100');
    const steps = sim.result().events.filter((e) => e.component === 'route-controller' && e.message.startsWith('gradual rollout'));
    expect(steps.map((e) => e.message)).toEqual([
      'gradual rollout of sunshine-00002 begins for sunshine: 1% first, over 120s',
      // (120 s − 1 s) / 99 steps.
      'gradual rollout of sunshine-00002: steps of 1% every 1.202s',
      'gradual rollout of sunshine-00002 done for sunshine',
    ]);
  });

  it('refuses "120s" for config-network rollout-duration, as Knative parses an integer', () => {
    const loaded = loadScenarioText(scenario('config:\n  config-network: {rollout-duration: "120s"}', ''), { file: 'x.yaml' });
    expect(loaded.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['SCENARIO_INVALID_CONFIG', 'config-network: failed to parse "rollout-duration": strconv.ParseInt: parsing "120s": invalid syntax'],
    ]);
  });

  it('kn service update --traffic during a rollout pins the split at once, and @latest afterwards jumps without a rollout', () => {
    const sim = simulationOf(
      scenario(
        'config:\n  config-network: {rollout-duration: "300"}',
        `  - at: 2m
    kn: kn service update sunshine --traffic sunshine-00001=100
  - at: 3m
    kn: kn service update sunshine --traffic @latest=100`,
      ),
    );
    sim.runTo(119_000);
    expect(split(sim)).toMatch(/^sunshine-00001=\d+,sunshine-00002=\d+$/);
    sim.runTo(121_000);
    expect(split(sim)).toBe('sunshine-00001=100');
    sim.runTo(181_000);
    // The rollout state has no configuration any more: the new target gets its share at once ("new config, no roll").
    expect(split(sim)).toBe('sunshine-00002=100');
  });

  it('a newer revision mid-rollout takes 1% from the newest one with traffic, and the old ones drain newest first', () => {
    const sim = simulationOf(
      scenario(
        'config:\n  config-network: {rollout-duration: "300"}',
        `  - at: 2m
    kn: kn service update sunshine --image=rainbows:v3 --no-wait`,
      ),
    );
    // Step in small increments so the split just before sunshine-00003 enters is known.
    let before = split(sim);
    while (!split(sim).includes('sunshine-00003') && sim.world.engine.nowMs < 200_000) {
      before = split(sim);
      sim.runTo(sim.world.engine.nowMs + 5);
    }
    const m = /^sunshine-00001=(\d+),sunshine-00002=(\d+)$/.exec(before);
    expect(m, before).not.toBeNull();
    const [a, b] = [Number(m?.[1]), Number(m?.[2])];
    expect(split(sim)).toBe(`sunshine-00001=${a},sunshine-00002=${b - 1},sunshine-00003=1`);
    // The old revisions drain newest first: sunshine-00002 empties while sunshine-00001 keeps its share.
    while (split(sim).includes('sunshine-00002') && sim.world.engine.nowMs < 360_000) sim.runTo(sim.world.engine.nowMs + 100);
    expect(split(sim)).toBe(`sunshine-00001=${a},sunshine-00003=${100 - a}`);
    sim.runTo(360_000);
    // Conservation: every request ended or is in flight, and none failed.
    const r = sim.result();
    expect(r.summary.requests.failed).toBe(0);
    expect(r.summary.requests.succeeded + r.summary.requests.inFlight).toBe(r.summary.requests.total);
  });
});
