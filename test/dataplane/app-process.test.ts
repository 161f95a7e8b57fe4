/**
 * The user container's process as its app model drives it (app-process.ts), started the
 * way the kubelet starts it (the data plane's ProcessFactory): what requests that reach
 * its queue-proxy get while it starts, crashes, hangs or flaps, what queue-proxy answers
 * the kubelet's and the activator's probes, and that the activator probes a pod again
 * once Kubernetes marks it not Ready.
 */
import { describe, expect, it } from 'vitest';
import { must } from '../../src/engine/assert.js';
import type { Container, Pod, Probe } from '../../src/apis/core.js';
import type { AppModelSpec } from '../../src/dataplane/index.js';
import type { ContainerExit, ContainerProcess } from '../../src/k8s/index.js';
import { makeWorld } from './fixture.js';

const HOST = 'hello.default.example.com';
const QP_PROBE: Probe = { httpGet: { port: 8012 }, periodSeconds: 10, timeoutSeconds: 1 };

type World = ReturnType<typeof makeWorld>;

/** One Serve-mode revision r1 with one Ready pod whose user container runs the app of `img/r1`. */
function servedPod(
  seed: number,
  app: AppModelSpec,
  userProbe?: Probe,
): { w: World; pod: Pod; user: () => ContainerProcess; queue: ContainerProcess; exits: ContainerExit[] } {
  const w = makeWorld(seed, { 'img/r1': app });
  w.setIngress('hello', [w.route(HOST, [['r1', 100]])]);
  w.setSks('r1', 'Serve');
  const name = w.addPod('r1', { timeoutSeconds: 5 });
  w.run(1);
  const pod = must(w.api.get<Pod>('Pod', 'default', name), 'the pod');
  const exits: ContainerExit[] = [];
  const userContainer = must(pod.spec.containers[0], 'the user container');
  let restarts = 0;
  let current: ContainerProcess | null = null;
  const startUser = (): ContainerProcess => {
    current = w.dp.processes({ pod, container: userContainer, restartCount: restarts++, exit: (e) => exits.push(e) });
    return current;
  };
  startUser();
  const queueContainer: Container = {
    name: 'queue-proxy',
    image: 'queue',
    env: userProbe === undefined ? [] : [{ name: 'SERVING_READINESS_PROBE', value: JSON.stringify(userProbe) }],
  };
  const queue = w.dp.processes({ pod, container: queueContainer, restartCount: 0, exit: () => undefined });
  return { w, pod, user: () => must(current, 'a user process'), queue, exits };
}

function statuses(w: World): number[] {
  return w.ended.map((e) => e.status);
}

describe('the user container process', () => {
  it('refuses connections until it listens: queue-proxy answers 502 at once, then the app serves', () => {
    const { w } = servedPod(1, { serviceTime: { distribution: 'constant', valueMs: 10 }, startupDelayMs: 2000 });
    w.engine.at(1000, () => w.dp.send(HOST));
    w.engine.at(2500, () => w.dp.send(HOST));
    w.run(5000);
    expect(w.ended.map((e) => [e.status, e.endMs - e.arrivalMs])).toEqual([
      [502, 0],
      [200, 10],
    ]);
  });

  it('crashes as it takes its N-th request: that one and the others inside end with 502, later ones too, and the kubelet learns the exit', () => {
    const { w, exits } = servedPod(2, {
      serviceTime: { distribution: 'constant', valueMs: 1000 },
      failure: { crash: { afterRequests: 3 }, exitCode: 3, message: 'out of luck' },
    });
    for (const at of [10, 20, 30, 40]) w.engine.at(at, () => w.dp.send(HOST));
    w.run(5000);
    // The third request (at 30 ms) brings it down with the two inside; the fourth finds nothing listening.
    expect(w.ended.map((e) => [e.status, e.endMs])).toEqual([
      [502, 30],
      [502, 30],
      [502, 30],
      [502, 40],
    ]);
    expect(exits).toEqual([{ exitCode: 3, reason: 'Error', message: 'out of luck' }]);
    const m = w.dp.measurements;
    expect(m.arrived).toBe(m.succeeded + m.failed + m.inFlight);
  });

  it('crashes after a drawn running time; the kubelet stopping it (a restart) fails what is inside with 502', () => {
    const { w, exits } = servedPod(3, {
      serviceTime: { distribution: 'constant', valueMs: 500 },
      failure: { crash: { after: { distribution: 'constant', valueMs: 3000 } } },
    });
    w.engine.at(2800, () => w.dp.send(HOST));
    w.run(4000);
    expect(w.ended.map((e) => [e.status, e.endMs])).toEqual([[502, 3001]]);
    expect(exits).toEqual([{ exitCode: 1, reason: 'Error' }]);
  });

  it('stops answering when it hangs: requests end at their timeout (504) or with 502 when the kubelet kills it', () => {
    const { w, user } = servedPod(4, {
      serviceTime: { distribution: 'constant', valueMs: 2000 },
      failure: { hang: { after: { distribution: 'constant', valueMs: 1000 } } },
    });
    // In service when it hangs, and after: both wait for the 5 s timeout.
    w.engine.at(500, () => w.dp.send(HOST));
    w.engine.at(2000, () => w.dp.send(HOST));
    w.engine.at(9000, () => w.dp.send(HOST));
    w.engine.at(10_000, () => user().stopped(false));
    w.run(12_000);
    expect(w.ended.map((e) => [e.status, e.endMs])).toEqual([
      [504, 5500],
      [504, 7000],
      [502, 10_000],
    ]);
    const tcp = user().probe('liveness', { tcpSocket: { port: 8080 } }, 1000);
    expect(tcp.ok).toBe(false);
  });

  it('answers TCP probes while hung, but lets HTTP probes time out', () => {
    const { w, user } = servedPod(5, {
      serviceTime: { distribution: 'constant', valueMs: 10 },
      failure: { hang: { after: { distribution: 'constant', valueMs: 1000 } } },
    });
    w.run(2000);
    expect(user().probe('liveness', { tcpSocket: { port: 8080 } }, 1000)).toEqual({ ok: true, afterMs: 0 });
    expect(user().probe('liveness', { httpGet: { path: '/healthz', port: 8080 } }, 1000)).toMatchObject({ ok: false, afterMs: 1000 });
  });

  it('flaps only the readiness answers that ask the app: HTTP readiness fails while unready, TCP and liveness pass, requests are served', () => {
    const { w, user } = servedPod(6, {
      serviceTime: { distribution: 'constant', valueMs: 10 },
      failure: { readinessFlap: { ready: { distribution: 'constant', valueMs: 1000 }, unready: { distribution: 'constant', valueMs: 2000 } } },
    });
    w.run(1500);
    const http: Probe = { httpGet: { path: '/ready', port: 8080 } };
    expect(user().probe('readiness', http, 1000)).toMatchObject({ ok: false, afterMs: 0, message: 'HTTP probe failed with statuscode: 503' });
    expect(user().probe('readiness', { tcpSocket: { port: 8080 } }, 1000).ok).toBe(true);
    expect(user().probe('liveness', http, 1000).ok).toBe(true);
    w.dp.send(HOST);
    w.run(100);
    expect(statuses(w)).toEqual([200]);
    w.run(2000);
    expect(user().probe('readiness', http, 1000).ok).toBe(true);
  });
});

describe("queue-proxy's readiness probe of the user container", () => {
  it('polls the user container every 50 ms (periodSeconds 0): passes at the first poll after it listens, within the caller’s timeout', () => {
    const { w, queue } = servedPod(
      7,
      { serviceTime: { distribution: 'constant', valueMs: 10 }, startupDelayMs: 730 },
      { tcpSocket: { port: 8080 }, successThreshold: 1 },
    );
    w.run(300);
    // At 301 ms: the app listens at 731 ms; polls at 301, 351, … 751 pass.
    expect(queue.probe('readiness', QP_PROBE, 1000)).toEqual({ ok: true, afterMs: 450 });
    // The activator's 300 ms timeout is too short for it.
    expect(queue.probe('readiness', QP_PROBE, 300)).toMatchObject({ ok: false, afterMs: 300 });
  });

  it('times the kubelet out when the app listens later than the probe timeout', () => {
    const { w, queue } = servedPod(
      8,
      { serviceTime: { distribution: 'constant', valueMs: 10 }, startupDelayMs: 3000 },
      { tcpSocket: { port: 8080 }, successThreshold: 1 },
    );
    w.run(100);
    const a = queue.probe('readiness', QP_PROBE, 1000);
    expect(a).toMatchObject({ ok: false, afterMs: 1000 });
    expect(a.message).toMatch(/context deadline exceeded/);
  });

  it('probes once with a period: a refused connection fails at once with 503', () => {
    const { w, queue } = servedPod(
      9,
      { serviceTime: { distribution: 'constant', valueMs: 10 }, startupDelayMs: 3000 },
      { httpGet: { path: '/', port: 8080 }, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1 },
    );
    w.run(100);
    expect(queue.probe('readiness', QP_PROBE, 1000)).toEqual({ ok: false, afterMs: 0, message: 'HTTP probe failed with statuscode: 503' });
    w.run(3000);
    expect(queue.probe('readiness', QP_PROBE, 1000)).toEqual({ ok: true, afterMs: 0 });
  });

  it('makes the activator probe a pod again when Kubernetes marks it not Ready, and send to it only once the app answers', () => {
    const { w } = servedPod(
      10,
      {
        serviceTime: { distribution: 'constant', valueMs: 10 },
        failure: { readinessFlap: { ready: { distribution: 'constant', valueMs: 1000 }, unready: { distribution: 'constant', valueMs: 3000 } } },
      },
      { httpGet: { path: '/ready', port: 8080 }, successThreshold: 1 },
    );
    w.setSks('r1', 'Proxy');
    const probed: number[] = [];
    w.engine.onTrace((e) => {
      if (e.component === 'activator' && e.message.startsWith('Probe')) probed.push(e.t);
    });
    w.run(1500);
    const name = must(w.dp.revisionState('default', 'r1')?.routablePods[0], 'a routable pod');
    // Kubernetes says not Ready at 1.5 s (the flap began at 1 s): the pod leaves the activator's list.
    w.setPodReady(name, false);
    w.run(1);
    expect(w.dp.revisionState('default', 'r1')?.routablePods).toEqual([]);
    w.dp.send(HOST);
    w.run(5000);
    // Started at 1 ms: ready until 1.001 s, unready until 4.001 s; the activator saw the pod at 0,
    // so its first 200 ms probe tick after that passes.
    expect(probed).toEqual([4200]);
    expect(w.ended.map((e) => [e.status, e.viaActivator])).toEqual([[200, true]]);
  });
});
