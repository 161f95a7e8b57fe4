/**
 * The five Knative promises through the whole world: real kn, serving reconcilers,
 * Kubernetes controllers and kubelet, KPA and data plane. Each test checks what a user
 * sees: kn's output, the objects `kubectl get` would show, and where real requests went.
 */
import { describe, expect, it } from 'vitest';
import { TYPE } from '../../src/apis/core.js';
import { getCondition } from '../../src/apis/conditions.js';
import type { Revision } from '../../src/apis/serving-types.js';
import { arrivedAt, knLines, revisionNames, simulationOf } from './helpers.js';

const revision = (sim: ReturnType<typeof simulationOf>, name: string): Revision | undefined => sim.world.api.get<Revision>(TYPE.revision, 'default', name);

describe('easy deploys', () => {
  it('kn service create prints the URL once the revision is Ready, and the URL serves requests', () => {
    const sim = simulationOf(`
name: deploy
duration: 90s
apps:
  rainbows: {serviceTime: 20ms}
timeline:
  - at: 0s
    kn: kn service create sunshine --image=rainbows
traffic:
  - name: users
    target: sunshine
    pattern: constant
    rate: 10
    from: 45s
`);
    sim.runTo(90_000);
    const result = sim.result();
    const lines = knLines(result, 'service/sunshine');
    expect(lines[0]).toBe('$ kn service create sunshine --image=rainbows');
    expect(lines).toContain("Creating service 'sunshine' in namespace 'default':");
    expect(lines).toContain("Service 'sunshine' created to latest revision 'sunshine-00001' is available at URL:");
    expect(lines.at(-1)).toBe('http://sunshine.default.example.com');

    // kn printed the URL no earlier than the revision became Ready (a pod pulled, started, passed readiness).
    const urlAt = result.events.find((e) => e.component === 'kn' && e.message === 'http://sunshine.default.example.com')?.t as number;
    const ready = getCondition(revision(sim, 'sunshine-00001')?.status?.conditions, 'Ready');
    expect(ready?.status).toBe('True');
    expect(ready?.lastTransitionTime).toBeGreaterThan(0);
    expect(urlAt).toBeGreaterThanOrEqual(ready?.lastTransitionTime as number);
    expect(urlAt).toBeLessThan(45_000);
    expect(sim.world.api.get(TYPE.knService, 'default', 'sunshine')).toMatchObject({ status: { url: 'http://sunshine.default.example.com' } });

    // Every request to the URL succeeds and lands on the first revision.
    expect(result.summary.requests.total).toBe(450);
    expect(result.summary.requests.byStatus).toEqual({ '200': 450 });
    expect(result.revisions).toEqual([expect.objectContaining({ name: 'sunshine-00001', requests: 450, trafficShare: 1 })]);
  });
});

describe('rollouts and traffic splits', () => {
  const splitScenario = `
name: canary
duration: 5m
apps:
  rainbows:v1: {serviceTime: 20ms}
  rainbows:v2: {serviceTime: 20ms}
timeline:
  - at: 0s
    kn: kn service create sunshine --image=rainbows:v1
  - at: 1m
    kn: kn service update sunshine --image=rainbows:v2
  - at: 2m
    kn: kn service update sunshine --traffic sunshine-00001=90,sunshine-00002=10
traffic:
  - name: users
    target: sunshine
    pattern: poisson
    rate: 20
    from: 30s
`;

  it('an image update creates sunshine-00002, moves 100% of requests there and keeps sunshine-00001', () => {
    const sim = simulationOf(splitScenario);
    sim.runTo(60_000);
    expect(revisionNames(sim)).toEqual(['sunshine-00001']);
    const firstSpec = revision(sim, 'sunshine-00001')?.spec;
    sim.runTo(100_000);
    expect(revisionNames(sim)).toEqual(['sunshine-00001', 'sunshine-00002']);
    expect(revision(sim, 'sunshine-00001')?.spec).toEqual(firstSpec);
    expect(revision(sim, 'sunshine-00002')?.spec.containers[0]?.image).toBe('rainbows:v2');
    const lines = knLines(sim.result(), 'service/sunshine');
    expect(lines).toContain("Service 'sunshine' updated to latest revision 'sunshine-00002' is available at URL:");

    // Once kn reported the update, every request goes to -00002.
    const old0 = arrivedAt(sim, 'sunshine-00001');
    const new0 = arrivedAt(sim, 'sunshine-00002');
    sim.runTo(120_000);
    expect(arrivedAt(sim, 'sunshine-00001')).toBe(old0);
    expect(arrivedAt(sim, 'sunshine-00002') - new0).toBeGreaterThan(300);
    expect(sim.result().summary.requests.byStatus).toEqual({ '200': sim.result().summary.requests.total });
  });

  it('--traffic sunshine-00001=90,sunshine-00002=10 splits real requests 90/10 (within 4 sd)', () => {
    const sim = simulationOf(splitScenario);
    sim.runTo(125_000); // the split is programmed by then (kn at 2m, route propagation ≤ a few s)
    const a0 = arrivedAt(sim, 'sunshine-00001');
    const b0 = arrivedAt(sim, 'sunshine-00002');
    sim.runTo(300_000);
    const a = arrivedAt(sim, 'sunshine-00001') - a0;
    const b = arrivedAt(sim, 'sunshine-00002') - b0;
    const n = a + b;
    expect(n).toBeGreaterThan(3000);
    const sd = Math.sqrt(n * 0.1 * 0.9);
    expect(Math.abs(b - 0.1 * n)).toBeLessThan(4 * sd);
    expect(revisionNames(sim)).toEqual(['sunshine-00001', 'sunshine-00002']);
    const result = sim.result();
    expect(knLines(result, 'service/sunshine')).toContain("Service 'sunshine' with latest revision 'sunshine-00002' (unchanged) is available at URL:");
    // sunshine-00001 had been idle for a minute; it comes back and every request succeeds.
    expect(result.summary.requests.failed).toBe(0);
    expect(result.summary.requests.succeeded + result.summary.requests.inFlight).toBe(result.summary.requests.total);
  });
});

describe('rollbacks', () => {
  it('after twenty updates, --traffic sunshine-00003=100 serves from that old revision, its spec unchanged', () => {
    const updates = Array.from({ length: 20 }, (_, i) => `  - {at: ${(i + 1) * 10}s, kn: kn service update sunshine --image=rainbows:v${i + 1}}`).join('\n');
    const sim = simulationOf(`
name: rollback
duration: 6m
apps:
  rainbows:v2: {serviceTime: 20ms}
timeline:
  - {at: 0s, kn: kn service create sunshine --image=rainbows:v0}
${updates}
  - {at: 4m, kn: kn service update sunshine --traffic sunshine-00003=100}
traffic:
  - {name: users, target: sunshine, pattern: constant, rate: 10, from: 3m}
`);
    sim.runTo(225_000); // each revision takes ~20s to pull and start; -00021 (kn at 3m20s) is Ready by now
    const latest0 = arrivedAt(sim, 'sunshine-00021');
    sim.runTo(239_000);
    expect(revisionNames(sim)).toHaveLength(21);
    const before = revision(sim, 'sunshine-00003') as Revision;
    expect(before.spec.containers[0]?.image).toBe('rainbows:v2');
    expect(arrivedAt(sim, 'sunshine-00021') - latest0).toBe(140);
    expect(arrivedAt(sim, 'sunshine-00003')).toBe(0);

    sim.runTo(250_000); // the rollback at 4m is programmed by now
    const rolled0 = arrivedAt(sim, 'sunshine-00003');
    const latest1 = arrivedAt(sim, 'sunshine-00021');
    sim.runTo(360_000);
    const after = revision(sim, 'sunshine-00003') as Revision;
    expect(after.spec).toEqual(before.spec);
    expect(after.metadata.generation).toBe(before.metadata.generation);
    // Every request after the rollback goes to the old revision, which scales from zero and serves them.
    expect(arrivedAt(sim, 'sunshine-00003') - rolled0).toBe(1100);
    expect(arrivedAt(sim, 'sunshine-00021')).toBe(latest1);
    const result = sim.result();
    expect(result.revisions.find((r) => r.name === 'sunshine-00003')?.maxReadyPods).toBeGreaterThanOrEqual(1);
    expect(result.summary.requests.byStatus).toEqual({ '200': result.summary.requests.total });
    expect(knLines(result, 'service/sunshine')).toContain("Service 'sunshine' with latest revision 'sunshine-00021' (unchanged) is available at URL:");
    expect(knLines(result, 'service/sunshine').join('\n')).not.toMatch(/Error/);
  });
});

describe('routes and access', () => {
  it('a tag gives a tag URL that routes requests to the tagged revision only', () => {
    const sim = simulationOf(`
name: tags
duration: 4m
apps:
  rainbows:v1: {serviceTime: 20ms}
  rainbows:v2: {serviceTime: 20ms}
timeline:
  - {at: 0s, kn: kn service create sunshine --image=rainbows:v1}
  - {at: 1m, kn: kn service update sunshine --image=rainbows:v2 --tag sunshine-00001=old}
traffic:
  - {name: main, target: sunshine, pattern: constant, rate: 10, from: 2m}
  - {name: testers, target: {service: sunshine, tag: old}, pattern: constant, rate: 3, from: 2m}
`);
    sim.runTo(240_000);
    const result = sim.result();
    expect(knLines(result, 'service/sunshine')).toContain("Service 'sunshine' updated to latest revision 'sunshine-00002' is available at URL:");
    const svc = sim.world.api.get(TYPE.knService, 'default', 'sunshine') as { status: { traffic: { tag?: string; url?: string; revisionName: string }[] } };
    const tagged = svc.status.traffic.find((t) => t.tag === 'old');
    expect(tagged).toMatchObject({ revisionName: 'sunshine-00001', url: 'http://old-sunshine.default.example.com' });
    // 3/s for 2 minutes through the tag URL reach -00001; the main URL's 10/s reach -00002.
    expect(result.revisions.map((r) => [r.name, r.requests])).toEqual([
      ['sunshine-00001', 360],
      ['sunshine-00002', 1200],
    ]);
    expect(result.summary.requests.byStatus).toEqual({ '200': 1560 });
  });

  it('a cluster-local service answers requests from inside the cluster and 404s outside ones', () => {
    const sim = simulationOf(`
name: local
duration: 3m
apps:
  rainbows: {serviceTime: 20ms}
timeline:
  - {at: 0s, kn: kn service create internal --image=rainbows --cluster-local}
traffic:
  - {name: inside, target: {service: internal, fromCluster: true}, pattern: constant, rate: 5, from: 1m}
  - {name: outside-host, target: {host: internal.default.svc.cluster.local}, pattern: constant, rate: 2, from: 1m}
  - {name: outside-url, target: internal, pattern: constant, rate: 1, from: 1m}
`);
    sim.runTo(180_000);
    const result = sim.result();
    expect(knLines(result, 'service/internal').at(-1)).toBe('http://internal.default.svc.cluster.local');
    expect(result.summary.requests.byStatus).toEqual({ '200': 600, '404': 360 });
    expect(result.revisions.map((r) => [r.name, r.requests])).toEqual([['internal-00001', 600]]);
  });
});
