/**
 * The kubelet's probes and container restarts, against processes the test scripts: what
 * each probe answers and when a process exits are set by the test, the kubelet decides
 * readiness, kills, restarts and CrashLoopBackOff as Kubernetes' prober and
 * kuberuntime manager do.
 */
import { describe, expect, it } from 'vitest';
import { must } from '../../src/engine/assert.js';
import { TYPE, isPodReady, type Container, type Pod } from '../../src/apis/core.js';
import { getCondition } from '../../src/apis/conditions.js';
import { ContainerBackOff, renderTable, type ContainerExit, type ContainerProcess, type ProbeAnswer, type ProbeKind } from '../../src/k8s/index.js';
import { deployment, makeWorld, podsOf, type World } from './helpers.js';

/** A scripted process: answers from `answer`, exits when the test says. */
interface Scripted {
  answer: (kind: ProbeKind, nowMs: number) => ProbeAnswer;
  starts: { atMs: number; restartCount: number; exit: (e: ContainerExit) => void; stopped?: boolean }[];
  probes: { atMs: number; kind: ProbeKind }[];
}

/** Processes that answer probes with `answer` and, given `exitAfterMs`, exit with `exit` that long after each start. */
function scripted(
  w: World,
  answer: Scripted['answer'],
  exitAfterMs?: number,
  exit: ContainerExit = { exitCode: 1, reason: 'Error', message: 'boom' },
): Scripted {
  const s: Scripted = { answer, starts: [], probes: [] };
  w.k8s.setProcesses((start) => {
    const run: Scripted['starts'][number] = { atMs: w.engine.nowMs, restartCount: start.restartCount, exit: (e) => start.exit(e) };
    s.starts.push(run);
    if (exitAfterMs !== undefined)
      w.engine.after(exitAfterMs, () => {
        if (run.stopped === true) return;
        run.stopped = true;
        start.exit(exit);
      });
    const process: ContainerProcess = {
      startupMs: 0,
      probe: (kind) => {
        s.probes.push({ atMs: w.engine.nowMs, kind });
        return s.answer(kind, w.engine.nowMs);
      },
      stopped: () => {
        run.stopped = true;
      },
    };
    return process;
  });
  return s;
}

function oneNode(): World {
  return makeWorld({ jitter: 0, preloadedImages: ['registry/app:1'] }, [{ name: 'n1', cpu: '4', memory: '16Gi' }]);
}

/** A Deployment of one pod whose container has the given probes. */
function withProbes(w: World, probes: Pick<Container, 'readinessProbe' | 'livenessProbe' | 'startupProbe'>): void {
  const d = deployment('web', { replicas: 1 });
  const c = must(d.spec.template.spec.containers[0], 'a container');
  Object.assign(c, probes);
  w.api.create(d);
}

function pod(w: World): Pod {
  return must(podsOf(w, 'web')[0], 'the pod');
}

/** Ready transitions of the pod as the kubelet wrote them. */
function readyLog(w: World): { atMs: number; ready: boolean }[] {
  const log: { atMs: number; ready: boolean }[] = [];
  w.api.watch<Pod>(TYPE.pod, (e) => {
    if (e.type === 'DELETED') return;
    const ready = getCondition(e.object.status?.conditions, 'Ready')?.status === 'True';
    if ((log.at(-1)?.ready ?? false) !== ready) log.push({ atMs: w.engine.nowMs - 5, ready });
  });
  return log;
}

const OK: ProbeAnswer = { ok: true, afterMs: 0 };
const REFUSED: ProbeAnswer = { ok: false, afterMs: 0, message: 'connection refused' };
// Admitted at 15 ms (creation, RS, scheduler 10 ms, watch 5 ms …); the container runs 1800 ms later.
const STARTED = (w: World): number => must(pod(w).status?.startup?.containersStartedAt, 'started');

describe('kubelet prober', () => {
  it('probes readiness at once when the container starts (the manual trigger), so an app that answers is Ready without a tick', () => {
    const w = oneNode();
    const s = scripted(w, () => OK);
    withProbes(w, { readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 10 } });
    w.engine.run({ untilMs: 5_000 });
    expect(s.probes[0]?.atMs).toBe(STARTED(w));
    expect(pod(w).status?.startup?.readyAt).toBe(STARTED(w));
  });

  it('waits initialDelaySeconds, then probes on the period grid counted from admission', () => {
    const w = oneNode();
    const s = scripted(w, () => OK);
    withProbes(w, { readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 2, initialDelaySeconds: 3 } });
    w.engine.run({ untilMs: 20_000 });
    const admitted = must(pod(w).status?.startup?.syncStartedAt, 'admitted');
    const started = STARTED(w);
    // No probe before started + 3 s; the first is the first tick of admitted + k·2 s after it.
    const first = must(s.probes[0], 'a probe').atMs;
    expect(first).toBeGreaterThanOrEqual(started + 3000);
    expect((first - admitted) % 2000).toBe(0);
    expect(first - 2000).toBeLessThan(started + 3000);
    expect(pod(w).status?.startup?.readyAt).toBe(first);
  });

  it('needs successThreshold passes in a row to be Ready and failureThreshold failures in a row to be not Ready', () => {
    const w = oneNode();
    let failingFrom = Infinity;
    let failingTo = Infinity;
    scripted(w, (_kind, now) => (now >= failingFrom && now < failingTo ? REFUSED : OK));
    withProbes(w, { readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1, successThreshold: 2, failureThreshold: 3 } });
    const log = readyLog(w);
    w.engine.run({ untilMs: 10_000 });
    const started = STARTED(w);
    // Passes at the start (manual trigger) and at the next tick: Ready at the second pass.
    expect(log[0]?.ready).toBe(true);
    expect(must(log[0], 'ready').atMs - started).toBeLessThanOrEqual(1000);
    failingFrom = 20_000;
    failingTo = 30_000;
    w.engine.run({ untilMs: 40_000 });
    const admitted = must(pod(w).status?.startup?.syncStartedAt, 'admitted');
    const tickAtOrAfter = (t: number): number => admitted + Math.ceil((t - admitted) / 1000) * 1000;
    // Three failures from the first tick in the window, two passes from the first tick after it.
    expect(log.slice(1)).toEqual([
      { atMs: tickAtOrAfter(20_000) + 2000, ready: false },
      { atMs: tickAtOrAfter(30_000) + 1000, ready: true },
    ]);
  });

  it('restarts a container whose liveness probe fails failureThreshold times: exit 143, restartCount 1, lastState kept', () => {
    const w = oneNode();
    let answering = true;
    const s = scripted(w, (kind) => (kind === 'liveness' && !answering ? { ok: false, afterMs: 1000, message: 'timeout' } : OK));
    withProbes(w, { livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5, failureThreshold: 2 } });
    const kills: number[] = [];
    w.engine.onTrace((e) => {
      if (e.data?.reason === 'Killing' && e.data.probe === 'liveness') kills.push(e.t);
    });
    w.engine.run({ untilMs: 10_000 });
    answering = false;
    w.engine.run({ untilMs: 20_000 });
    // Two failed probes 5 s apart, each answered at its 1 s timeout: killed at the second answer.
    const livenessAfter = s.probes.filter((p) => p.kind === 'liveness' && p.atMs >= 10_000);
    expect(kills[0]).toBe(must(livenessAfter[1], 'second failure').atMs + 1000);
    expect(s.starts).toHaveLength(2);
    expect(s.starts[0]?.stopped).toBe(true);
    expect(s.starts[1]?.restartCount).toBe(1);
    // SIGTERM, the process gone 300 ms later, restarted at once (no back-off yet) after a 600 ms start.
    expect(must(s.starts[1], 'restart').atMs - must(kills[0], 'kill')).toBe(300 + 600);
    const status = must(pod(w).status?.containerStatuses?.[0], 'status');
    expect(status.restartCount).toBe(1);
    expect(status.lastState?.terminated).toMatchObject({ exitCode: 143, reason: 'Error' });
    expect(renderTable(w.api, 'po', w.engine.nowMs)).toMatch(/web-\S+\s+1\/1\s+Running\s+1 \(\d+s ago\)/);
  });

  it('holds readiness and liveness until the startup probe passes; a failing startup probe restarts the container', () => {
    const w = oneNode();
    let up = false;
    const s = scripted(w, (kind) => (kind === 'startup' && !up ? REFUSED : OK));
    withProbes(w, {
      startupProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 30 },
      readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
      livenessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
    });
    w.engine.run({ untilMs: 10_000 });
    expect(s.probes.some((p) => p.kind !== 'startup')).toBe(false);
    expect(isPodReady(pod(w))).toBe(false);
    expect(pod(w).status?.containerStatuses?.[0]?.started).toBe(false);
    up = true;
    w.engine.run({ untilMs: 12_000 });
    const startupPass = must(s.probes.filter((p) => p.kind === 'startup').at(-1), 'the passing startup probe').atMs;
    // Readiness runs at once when the startup probe passes; startup probes stop.
    expect(s.probes.find((p) => p.kind === 'readiness')?.atMs).toBe(startupPass);
    expect(isPodReady(pod(w))).toBe(true);
    expect(pod(w).status?.containerStatuses?.[0]?.started).toBe(true);

    const w2 = oneNode();
    const s2 = scripted(w2, () => REFUSED);
    withProbes(w2, { startupProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 3 } });
    w2.engine.run({ untilMs: 6_000 });
    expect(s2.starts.length).toBeGreaterThanOrEqual(2);
    expect(s2.starts[1]?.restartCount).toBe(1);
  });
});

describe('kubelet container restarts', () => {
  it('restarts a crashing container at once, then after 10, 20, 40, 80, 160 and 300 s of CrashLoopBackOff', () => {
    const w = oneNode();
    // Every instance exits with code 1 two seconds after it starts.
    const s = scripted(w, () => OK, 2000);
    w.api.create(deployment('web', { replicas: 1 }));
    const reasons = new Set<string>();
    w.api.watch<Pod>(TYPE.pod, (e) => {
      const waiting = e.object.status?.containerStatuses?.[0]?.state.waiting?.reason;
      if (waiting !== undefined) reasons.add(waiting);
    });
    w.engine.run({ untilMs: 1_000_000 });
    const gaps = s.starts.slice(1, 8).map((run, i) => run.atMs - must(s.starts[i], 'the run before').atMs - 2000);
    // The first restart at once; then the back-off, met by a pod-worker resync every 10 s after
    // the exit; 600 ms to start the container again.
    expect(gaps).toEqual([600, 10_600, 20_600, 40_600, 80_600, 160_600, 300_600]);
    expect(reasons).toContain('CrashLoopBackOff');
    const status = must(pod(w).status?.containerStatuses?.[0], 'status');
    expect(status.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error', message: 'boom' });
    expect(status.restartCount).toBe(s.starts.length - 1);
  });

  it('starts the back-off over after a container ran for 10 minutes', () => {
    const b = new ContainerBackOff();
    const key = 'uid/app';
    b.next(key, 0, 0);
    expect(b.get(key)).toBe(10_000);
    b.next(key, 5_000, 15_000);
    expect(b.get(key)).toBe(20_000);
    expect(b.inBackOffSince(key, 20_000, 30_000)).toBe(true);
    expect(b.inBackOffSince(key, 20_000, 40_000)).toBe(false);
    // Exited 11 minutes after the back-off last grew: no back-off, and the next restart starts at 10 s.
    expect(b.inBackOffSince(key, 15_000 + 660_000, 15_000 + 660_001)).toBe(false);
    b.next(key, 15_000 + 660_000, 15_000 + 660_001);
    expect(b.get(key)).toBe(10_000);
    for (let i = 0; i < 10; i++) b.next(key, 700_000 + i, 700_000 + i);
    expect(b.get(key)).toBe(300_000);
  });

  it('shows CrashLoopBackOff and the restarts as kubectl does while the container waits', () => {
    const w = oneNode();
    const s = scripted(w, () => OK);
    w.api.create(deployment('web', { replicas: 1 }));
    const crash = (): void => {
      const run = s.starts.at(-1);
      if (run !== undefined && !run.stopped) {
        run.stopped = true;
        run.exit({ exitCode: 2, reason: 'Error' });
      }
    };
    w.engine.at(10_000, crash);
    w.engine.at(15_000, crash);
    w.engine.run({ untilMs: 20_000 });
    expect(renderTable(w.api, 'po', w.engine.nowMs)).toMatch(/web-\S+\s+0\/1\s+CrashLoopBackOff\s+1 \(5s ago\)\s+\d+s/);
    const status = must(pod(w).status?.containerStatuses?.[0], 'status');
    expect(status.state.waiting?.message).toMatch(/^back-off 10s restarting failed container=app pod=web-\S+_default\(.+\)$/);
  });

  it('follows the restart policy of a bare pod: Never leaves it Failed after a non-zero exit, OnFailure restarts only those', () => {
    for (const [policy, exitCode, phase, restarts] of [
      ['Never', 1, 'Failed', 0],
      ['OnFailure', 0, 'Succeeded', 0],
      ['OnFailure', 3, 'Running', 1],
    ] as const) {
      const w = oneNode();
      const s = scripted(w, () => OK);
      w.api.create<Pod>({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'job', namespace: 'default' },
        spec: { restartPolicy: policy, containers: [{ name: 'app', image: 'registry/app:1' }] },
      });
      w.engine.at(5_000, () => must(s.starts[0], 'a run').exit({ exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' }));
      w.engine.run({ untilMs: 8_000 });
      const p = must(w.api.get<Pod>(TYPE.pod, 'default', 'job'), 'the pod');
      expect(p.status?.phase, `${policy} ${exitCode}`).toBe(phase);
      expect(p.status?.containerStatuses?.[0]?.restartCount, `${policy} ${exitCode}`).toBe(restarts);
    }
  });

  it('takes a container the runtime ended (OOMKilled, 137) through the same restart path', () => {
    const w = oneNode();
    const s = scripted(w, () => OK);
    w.api.create(deployment('web', { replicas: 1 }));
    w.engine.run({ untilMs: 5_000 });
    const name = pod(w).metadata.name;
    expect(w.k8s.kubelets.terminateContainer('default', name, 'app', { exitCode: 137, reason: 'OOMKilled' })).toBe(true);
    expect(s.starts[0]?.stopped).toBe(true);
    expect(w.k8s.kubelets.terminateContainer('default', name, 'nope', { exitCode: 137, reason: 'OOMKilled' })).toBe(false);
    w.engine.run({ untilMs: 8_000 });
    const status = must(pod(w).status?.containerStatuses?.[0], 'status');
    expect(status.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(status.restartCount).toBe(1);
    expect(s.starts).toHaveLength(2);
  });
});
