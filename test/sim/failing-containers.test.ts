/**
 * Failing containers through the whole world, as a user of `kn` and `kubectl` sees them:
 * what `kn service create` prints when the revision's pods cannot become ready, a missing
 * image caught by Knative's digest resolution, and what a crashed pod means to the
 * endpoints, the activator and the autoscaler's ready-pod count.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { must } from '../../src/engine/assert.js';
import { TYPE, type Endpoints, type Pod } from '../../src/apis/core.js';
import type { Revision } from '../../src/apis/serving-types.js';
import { getCondition } from '../../src/apis/conditions.js';
import { knLines, simulationOf } from './helpers.js';

describe('failing containers', () => {
  it('kn service create of an app that never starts: progress lines until the progress deadline, then Ready=False for the 2 s wait window, then the error', () => {
    const sim = simulationOf(`
duration: 3m
config:
  config-deployment: {progress-deadline: 60s}
apps:
  broken:v1:
    startupDelay: 2s
    failure: {startupFailures: always, message: "Error: cannot connect to database"}
timeline:
  - {at: 0s, kn: kn service create broken --image=broken:v1}
`);
    sim.runTo(sim.scenario.durationMs);
    const result = sim.result();
    const lines = knLines(result, 'service/broken');
    const error = must(
      result.events.find((e) => e.component === 'kn' && e.message.startsWith('Error: ')),
      'the error kn printed',
    );
    const falseAt = must(
      result.events.find((e) => e.component === 'service-controller' && e.message.startsWith('Ready=False')),
      'the Service failing',
    ).t;
    // kn sees the Service 5 ms (the watch latency) after it is written, and waits 2 s more.
    expect(error.t - falseAt).toBe(2005);
    expect(error.message).toBe('Error: RevisionMissing: Configuration "broken" does not have any ready Revision.');
    // kn prints its usage hint after every error (cmd/kn/main.go printError).
    expect(lines.at(-1)).toBe("Run 'kn --help' for usage");
    expect(lines.at(-3)).toMatch(/^ {1,2}\d+\.\d{3}s Configuration "broken" does not have any ready Revision\.$/);
    const rev = must(sim.world.api.get<Revision>(TYPE.revision, 'default', 'broken-00001'), 'the revision');
    expect(getCondition(rev.status?.conditions, 'ContainerHealthy')).toMatchObject({
      status: 'False',
      reason: 'ExitCode1',
      message: 'Container failed with: Error: cannot connect to database',
    });
  });

  it('kn service update to an image its registry does not have fails within a second: ContainerMissing, no Deployment', () => {
    const sim = simulationOf(`
duration: 1m
cluster:
  missingImages: [rainbows:typo]
timeline:
  - {at: 0s, kn: kn service create sunshine --image=rainbows}
  - {at: 30s, kn: kn service update sunshine --image=rainbows:typo}
`);
    sim.runTo(sim.scenario.durationMs);
    const result = sim.result();
    const error = must(
      result.events.find((e) => e.component === 'kn' && e.message.startsWith('Error: ')),
      'the error kn printed',
    );
    expect(error.t).toBeLessThan(33_000);
    expect(error.message).toMatch(
      /^Error: RevisionFailed: Revision "sunshine-00002" failed with message: Unable to fetch image "rainbows:typo": failed to resolve image to digest: /,
    );
    expect(sim.world.api.get(TYPE.deployment, 'default', 'sunshine-00002-deployment')).toBeUndefined();
  });

  it('takes a crashed pod out of the endpoints and the autoscaler’s ready count at once, and back when it is ready again', () => {
    const sim = simulationOf(`
duration: 3m
apps:
  crashy:v1:
    startupDelay: 1s
    failure: {crash: {after: 40s}}
timeline:
  - {at: 0s, kn: kn service create crashy --image=crashy:v1 --scale-min 1}
traffic:
  - {name: users, target: crashy, pattern: poisson, rate: 5, from: 20s}
`);
    const ready: { t: number; ready: number; notReady: number }[] = [];
    sim.world.api.watch<Endpoints>(TYPE.endpoints, (e) => {
      if (e.object.metadata.name !== 'crashy-00001-private') return;
      const subset = e.object.subsets?.[0];
      ready.push({ t: sim.world.engine.nowMs, ready: subset?.addresses?.length ?? 0, notReady: subset?.notReadyAddresses?.length ?? 0 });
    });
    const exits: number[] = [];
    sim.world.engine.onTrace((e) => {
      if (e.data?.reason === 'Exited') exits.push(e.t);
    });
    // What the autoscaler's last decision counted as ready pods, every second.
    const counted: { t: number; readyPods: number | undefined }[] = [];
    sim.world.engine.every(1000, (t) => counted.push({ t, readyPods: sim.world.autoscaler.latestDecision('default', 'crashy-00001')?.readyPods }));
    sim.runTo(sim.scenario.durationMs);
    // The second crash waits out a 10 s back-off: a window with the pod down.
    const crash = must(exits[1], 'a second crash');
    // Within the API's watch latencies of the crash, the pod's address moves to notReadyAddresses …
    const out = must(
      ready.find((r) => r.t >= crash && r.ready === 0),
      'the pod out of the endpoints',
    );
    expect(out.t - crash).toBeLessThan(50);
    expect(out.notReady).toBe(1);
    // … and back once the restarted container is ready again.
    const back = must(
      ready.find((r) => r.t > out.t && r.ready === 1),
      'the pod back in the endpoints',
    );
    expect(back.t - crash).toBeGreaterThan(10_000);
    const m = must(sim.world.dataplane.measurements.revision('default', 'crashy-00001'), 'the revision tally');
    expect(m.arrived).toBe(m.succeeded + m.failed + m.inFlight);
    // The autoscaler counted no ready pod while the container was down (its decisions come every 2 s).
    const down = counted.filter((c) => c.t > out.t + 2000 && c.t < back.t);
    expect(down.length).toBeGreaterThan(5);
    for (const c of down) expect(c.readyPods, `at ${c.t}`).toBe(0);
    expect(counted.some((c) => c.t > back.t + 2000 && c.readyPods === 1)).toBe(true);
  });
});

describe('scenarios/10-crashloop.yaml', () => {
  it('restarts the canary with CrashLoopBackOff (at once, then 10 s, 20 s, 40 s…), counts every restart, and ends every request once', () => {
    const text = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../scenarios/10-crashloop.yaml'), 'utf8');
    const sim = simulationOf(text);
    // Per pod of the canary: its exits and restarts, in order, with the trace data.
    const byPod = new Map<string, { t: number; reason: string; backoffMs?: number; restartCount?: number }[]>();
    sim.world.engine.onTrace((e) => {
      const reason = e.data?.reason;
      if (!e.object.startsWith('pod/sunshine-00002') || e.data?.container !== 'user-container') return;
      if (reason !== 'Exited' && reason !== 'BackOff' && reason !== 'Pulled') return;
      const list = byPod.get(e.object) ?? [];
      list.push({ t: e.t, reason, backoffMs: e.data?.backoffMs as number | undefined, restartCount: e.data?.restartCount as number | undefined });
      byPod.set(e.object, list);
    });
    sim.runTo(sim.scenario.durationMs);
    const first = must([...byPod.values()][0], 'the first canary pod');
    const exits = first.filter((e) => e.reason === 'Exited');
    expect(exits.length).toBeGreaterThanOrEqual(4);
    // Each exit is one more restart of the same container.
    expect(exits.map((e) => e.restartCount)).toEqual(exits.map((_, i) => i));
    // The back-off each wait announces doubles from 10 s, and the restart waits at least that long.
    const waits = first.filter((e) => e.reason === 'BackOff').map((e) => e.backoffMs);
    expect(waits.slice(0, 3)).toEqual([10_000, 20_000, 40_000]);
    for (let i = 0; i + 1 < first.length; i++) {
      const [e, next] = [must(first[i], 'an event'), must(first[i + 1], 'the next')];
      if (e.reason === 'BackOff' && next.reason === 'Pulled') expect(next.t - e.t).toBeGreaterThanOrEqual(must(e.backoffMs, 'the back-off'));
    }
    // The first exit restarts at once (no back-off yet): an image check, no BackOff.
    expect(first[1]?.reason).toBe('Pulled');

    const result = sim.result();
    expect(result.expectations.every((x) => x.passed)).toBe(true);
    const canary = must(sim.world.dataplane.measurements.revision('default', 'sunshine-00002'), 'the canary tally');
    expect(canary.arrived).toBe(canary.succeeded + canary.failed + canary.inFlight);
    expect(result.summary.requests.byStatus['502']).toBeGreaterThan(0);
    expect(result.summary.requests.total).toBe(result.summary.requests.succeeded + result.summary.requests.failed + result.summary.requests.inFlight);
  });
});

describe('start-ups that fail and apps that hang, through the whole world', () => {
  it('a start-up that fails twice: restarted at once, then after the 10 s back-off, then Ready; kn create succeeds', () => {
    const sim = simulationOf(`
duration: 2m
apps:
  flaky:v1:
    startupDelay: 1s
    failure: {startupFailures: 2, message: "cannot reach config server"}
timeline:
  - {at: 0s, kn: kn service create flaky --image=flaky:v1}
`);
    const exits: number[] = [];
    const backOffs: number[] = [];
    sim.world.engine.onTrace((e) => {
      if (e.data?.container !== 'user-container') return;
      if (e.data.reason === 'Exited') exits.push(e.t);
      if (e.data.reason === 'BackOff') backOffs.push(e.data.backoffMs as number);
    });
    sim.runTo(sim.scenario.durationMs);
    expect(exits).toHaveLength(2);
    expect(backOffs).toEqual([10_000]);
    const lines = knLines(sim.result(), 'service/flaky');
    expect(lines.some((l) => l.startsWith("Service 'flaky' created to latest revision 'flaky-00001'"))).toBe(true);
    const rev = must(sim.world.api.get<Revision>(TYPE.revision, 'default', 'flaky-00001'), 'the revision');
    expect(getCondition(rev.status?.conditions, 'Ready')?.status).toBe('True');
    // Ready only after the second failed start and its back-off.
    const readyAt = must(
      sim.result().events.find((e) => e.component === 'revision-controller' && e.message === 'Ready=True'),
      'the revision Ready',
    ).t;
    expect(readyAt - must(exits[1], 'the second exit')).toBeGreaterThanOrEqual(10_000);
  });

  it('a hung app with a liveness probe is killed after failureThreshold failed probes and restarted; its requests are counted', () => {
    const sim = simulationOf(`
duration: 3m
apps:
  stuck:v1:
    serviceTime: 10ms
    failure: {hang: {after: 40s}}
timeline:
  - at: 0s
    apply: |
      apiVersion: serving.knative.dev/v1
      kind: Service
      metadata: {name: stuck}
      spec:
        template:
          metadata:
            annotations: {autoscaling.knative.dev/min-scale: "1"}
          spec:
            timeoutSeconds: 20
            containers:
              - image: stuck:v1
                livenessProbe: {httpGet: {path: /healthz}, periodSeconds: 5, failureThreshold: 3}
traffic:
  - {name: users, target: stuck, pattern: constant, rate: 2, from: 20s}
`);
    const kills: number[] = [];
    sim.world.engine.onTrace((e) => {
      if (e.data?.reason === 'Killing' && e.data.probe === 'liveness') kills.push(e.t);
    });
    sim.runTo(sim.scenario.durationMs);
    expect(kills.length).toBeGreaterThanOrEqual(1);
    const result = sim.result();
    const { requests } = result.summary;
    expect(requests.total).toBe(requests.succeeded + requests.failed + requests.inFlight);
    // Requests caught in the hang end with the timeout (504) or with 502 when the container is killed.
    expect((requests.byStatus['502'] ?? 0) + (requests.byStatus['504'] ?? 0)).toBeGreaterThan(0);
    const pod = must(
      sim.world.api.list<Pod>(TYPE.pod).find((p) => p.metadata.name.startsWith('stuck-00001')),
      'the pod',
    );
    const user = must(
      pod.status?.containerStatuses?.find((c) => c.name === 'user-container'),
      'the user container',
    );
    expect(user.restartCount).toBe(kills.length);
  });
});
