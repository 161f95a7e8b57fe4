/**
 * What runs in a revision's containers, for the kubelet (its ProcessFactory): the user
 * container's process as its app model drives it, and queue-proxy answering the
 * kubelet's and the activator's probes by probing the user container.
 *
 * The user container's process (an AppProcess record, records.ts):
 *   starting (connections refused) → listening `startupDelay` after its start → maybe
 *   hung (connections accepted, nothing answered) → gone (it exited, or was stopped).
 * Its app model's `failure` (app-failure.ts) schedules the exits: a failed start-up at the
 * end of start-up for the first K starts in a pod, a crash at a drawn running time or at
 * its N-th request, a hang, and readiness flaps once it listens. When it exits on its own
 * or the kubelet kills it to restart it, what queue-proxy was proxying to it fails with 502
 * (queue-proxy's reverse proxy loses the connection) and later requests that reach
 * queue-proxy get 502 at once until a new process listens; when the whole pod goes away
 * its requests fail with 503 as before (revision-backends.ts).
 *
 * Probe answers (computed when a probe is sent):
 * - TCP: passes once listening (a hung process still accepts); HTTP, exec, gRPC: pass
 *   while listening and answering; a readiness probe also fails while the readiness flaps.
 *   Refused connections fail at once; a hung process lets the probe time out.
 * - queue-proxy (the kubelet's probe of queue-proxy, the activator's probe) runs the
 *   user's probe from SERVING_READINESS_PROBE: with periodSeconds 0 it polls every 50 ms
 *   for up to 10 s until successThreshold polls in a row pass — the caller's timeout
 *   (the kubelet's 1 s, the activator's 300 ms) cuts it short; otherwise it probes once
 *   with the probe's own timeout. A draining queue-proxy answers 503.
 * Example: the kubelet probes queue-proxy at 2.30 s; the app listens at 2.73 s → polls at
 * 2.30, 2.35, … pass at 2.75 s: Ready at 2.75 s. Had the app listened at 3.5 s, the probe
 * would fail at 3.30 s (the kubelet's 1 s timeout) and the pod would wait for the next
 * period.
 *
 * Fidelity: the process is a schedule, not code; queue-proxy's shared in-flight probe
 * (its gate value) is not modelled; other containers of a revision's pod (sidecars) and
 * pods of no revision run the kubelet's default process with the image's start-up delay.
 *
 * Upstream: knative/serving pkg/queue/readiness/probe.go (ProbeContainer, aggressive
 * polling: 50 ms, 10 s), pkg/queue/health/handler.go (ProbeHandler),
 * pkg/queue/sharedmain/{main.go, handlers.go} (the drainer answering probes), knative.dev/pkg
 * network/handlers/error.go (502 when the user container is unreachable).
 */
import { drawExponential, type Engine } from '../engine/index.js';
import type { Container, Pod, Probe } from '../apis/core.js';
import {
  defaultProcess,
  refusedMessage,
  timeoutMessage,
  type ContainerProcess,
  type ContainerStart,
  type ProbeAnswer,
  type ProbeKind,
  type ProcessFactory,
} from '../k8s/index.js';
import type { AppCatalog } from './app-catalog.js';
import { AppProcess, PROCESS, type PodState } from './records.js';

/** queue-proxy's aggressive probing: one try every 50 ms (pkg/queue/readiness/probe.go retryInterval). */
export const AGGRESSIVE_PROBE_INTERVAL_MS = 50;
/** …for at most 10 s (pkg/queue/readiness/probe.go PollTimeout). */
export const AGGRESSIVE_PROBE_POLL_TIMEOUT_MS = 10_000;
/** The container name Knative gives queue-proxy. */
const QUEUE_PROXY = 'queue-proxy';
/** What queue-proxy answers a probe it cannot pass. */
const QUEUE_PROXY_UNAVAILABLE = 'HTTP probe failed with statuscode: 503';

/** How a process answers a probe right now. */
const ANSWER = { ok: 0, refused: 1, failing: 2, silent: 3 } as const;

/** What the processes need from the rest of the data plane. */
export interface ProcessHost {
  /** The data plane's record of a revision's pod (made now if the watch has not shown it yet); undefined for pods of no revision. */
  podFor(pod: Pod): PodState | undefined;
  /** The user container died: what queue-proxy is proxying to it fails (502). */
  failServing(pod: PodState, nowMs: number): void;
  /** The user container stopped answering: what it serves ends only at its deadline. */
  stallServing(pod: PodState, nowMs: number): void;
  /** The user container's answers may have changed: the activator may probe again. */
  answersChanged(pod: PodState): void;
}

export class AppProcesses {
  /** Register with the kubelets: starts the process of each container. */
  readonly factory: ProcessFactory = (start) => this.start(start);
  // Bound once: events carry the process record, not a closure.
  private readonly startDoneFn = (p: AppProcess): void => this.onStartDone(p);
  private readonly crashFn = (p: AppProcess): void => this.exit(p, 'crash');
  private readonly hangFn = (p: AppProcess): void => this.onHang(p);
  private readonly flapFn = (p: AppProcess): void => this.onFlap(p);

  constructor(
    private readonly engine: Engine,
    private readonly apps: AppCatalog,
    private readonly host: ProcessHost,
  ) {}

  /** The activator's probe through queue-proxy: when it would first pass, looking from now (Infinity: not without a change). */
  activatorPassesFromMs(pod: PodState, nowMs: number): number {
    if (pod.draining || pod.gone || !pod.running) return Infinity;
    const user = pod.user;
    if (user === null) return Infinity;
    const spec = pod.userProbe;
    return spec === null ? nowMs : passesFromMs(user, 'readiness', isTcp(spec), nowMs);
  }

  private start(s: ContainerStart): ContainerProcess {
    const pod = this.host.podFor(s.pod);
    if (pod !== undefined && s.container.name === QUEUE_PROXY) return this.startQueueProxy(pod, s);
    if (pod !== undefined && isServing(s.pod, s.container)) return this.startUser(pod, s);
    return defaultProcess(this.apps.startupDelayMs(s.container.image ?? ''), this.engine.nowMs, this.engine);
  }

  /** queue-proxy reads the user's readiness probe from its environment and answers probes with it. */
  private startQueueProxy(pod: PodState, s: ContainerStart): ContainerProcess {
    pod.userProbe = readUserProbe(s.container);
    return {
      startupMs: 0,
      probe: (_kind, probe, timeoutMs) => this.probeQueueProxy(pod, probe, timeoutMs),
      stopped: () => undefined,
    };
  }

  private startUser(pod: PodState, s: ContainerStart): ContainerProcess {
    const nowMs = this.engine.nowMs;
    const app = this.apps.modelFor(s.container.image);
    const p = new AppProcess(pod, app, nowMs, s.restartCount, (exitCode, message) =>
      s.exit(
        message === '' ? { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' } : { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', message },
      ),
    );
    pod.user = p;
    const f = app.failure;
    const startupMs = app.startupDelayMs;
    if (f !== null && s.restartCount < f.startupFailures) p.failsAtMs = nowMs + startupMs;
    else p.listensAtMs = nowMs + startupMs;
    p.startTimer = this.engine.at(nowMs + startupMs, this.startDoneFn, p);
    if (f !== null) {
      const rng = failureRng(this.engine, pod);
      let crashAfter = f.crashAfter === null ? Infinity : f.crashAfter.sample(rng);
      if (f.crashRatePerSecond > 0) crashAfter = Math.min(crashAfter, drawExponential(rng, 1000 / f.crashRatePerSecond));
      if (crashAfter !== Infinity) {
        p.crashAtMs = nowMs + crashAfter;
        p.crashTimer = this.engine.at(p.crashAtMs, this.crashFn, p);
      }
      if (f.hangAfter !== null) {
        p.hangAtMs = nowMs + f.hangAfter.sample(rng);
        p.hangTimer = this.engine.at(p.hangAtMs, this.hangFn, p);
      }
      p.crashAfterRequests = f.crashAfterRequests;
    }
    p.crash = () => this.exit(p, 'crash');
    return {
      startupMs,
      probe: (kind, probe, timeoutMs) => answerDirect(p, kind, probe, timeoutMs, this.engine.nowMs),
      stopped: (podTerminating) => this.stopped(p, podTerminating),
    };
  }

  /** Start-up over: it listens (flaps begin), or its start-up fails (it exits). */
  private onStartDone(p: AppProcess): void {
    p.startTimer = null;
    if (p.state !== PROCESS.starting) return;
    if (p.failsAtMs !== Infinity) {
      this.exit(p, 'startup');
      return;
    }
    p.state = PROCESS.listening;
    const f = p.app.failure;
    if (f?.flapReady != null) p.flapTimer = this.engine.after(f.flapReady.sample(failureRng(this.engine, p.pod)), this.flapFn, p);
    this.host.answersChanged(p.pod);
  }

  /** The readiness endpoint flips: from passing to failing for an `unready` draw, or back for a `ready` draw. */
  private onFlap(p: AppProcess): void {
    p.flapTimer = null;
    const f = p.app.failure;
    if (p.state === PROCESS.gone || f === null || f.flapReady === null || f.flapUnready === null) return;
    const nowMs = this.engine.nowMs;
    const rng = failureRng(this.engine, p.pod);
    if (p.unreadyUntilMs === -Infinity) {
      p.unreadyUntilMs = nowMs + f.flapUnready.sample(rng);
      p.flapTimer = this.engine.at(p.unreadyUntilMs, this.flapFn, p);
      return;
    }
    p.unreadyUntilMs = -Infinity;
    p.flapTimer = this.engine.after(f.flapReady.sample(rng), this.flapFn, p);
    this.host.answersChanged(p.pod);
  }

  /** It stops answering: requests inside never end by themselves. */
  private onHang(p: AppProcess): void {
    p.hangTimer = null;
    if (p.state === PROCESS.gone) return;
    p.state = PROCESS.hung;
    this.host.stallServing(p.pod, this.engine.nowMs);
  }

  /** It exits on its own: timers stop, what is inside fails (502), the kubelet learns its exit code. */
  private exit(p: AppProcess, why: 'crash' | 'startup'): void {
    if (p.state === PROCESS.gone) return;
    this.end(p);
    const f = p.app.failure;
    const exitCode = f?.exitCode ?? 1;
    this.host.failServing(p.pod, this.engine.nowMs);
    this.engine.trace('queue-proxy', `pod/${p.pod.name}`, why === 'startup' ? 'User container exited during start-up' : 'User container exited', {
      exitCode,
      requests: p.requests,
      restartCount: p.restartCount,
    });
    p.exit(exitCode, f?.message ?? '');
  }

  /** The kubelet stopped it: when only this container restarts, what is inside fails (502); a pod going away fails its requests itself (503). */
  private stopped(p: AppProcess, podTerminating: boolean): void {
    if (p.state === PROCESS.gone) return;
    this.end(p);
    if (!podTerminating) this.host.failServing(p.pod, this.engine.nowMs);
  }

  private end(p: AppProcess): void {
    p.state = PROCESS.gone;
    for (const t of [p.startTimer, p.crashTimer, p.hangTimer, p.flapTimer]) this.engine.cancel(t);
    p.startTimer = p.crashTimer = p.hangTimer = p.flapTimer = null;
  }

  /** queue-proxy's answer to a probe carrying `K-Network-Probe: queue`: the user's probe against the user container. */
  private probeQueueProxy(pod: PodState, probe: Probe, timeoutMs: number): ProbeAnswer {
    if (pod.draining) return { ok: false, afterMs: 0, message: QUEUE_PROXY_UNAVAILABLE };
    const spec = pod.userProbe;
    const user = pod.user;
    if (spec === null || user === null) return { ok: true, afterMs: 0 };
    const nowMs = this.engine.nowMs;
    const tcp = isTcp(spec);
    if ((spec.periodSeconds ?? 0) === 0) {
      const limitMs = Math.min(timeoutMs, AGGRESSIVE_PROBE_POLL_TIMEOUT_MS);
      const t = passesFromMs(user, 'readiness', tcp, nowMs);
      if (t !== Infinity) {
        const passAtMs = nowMs + Math.ceil((t - nowMs) / AGGRESSIVE_PROBE_INTERVAL_MS) * AGGRESSIVE_PROBE_INTERVAL_MS;
        const afterMs = passAtMs - nowMs + ((spec.successThreshold ?? 1) - 1) * AGGRESSIVE_PROBE_INTERVAL_MS;
        if (afterMs <= limitMs) return { ok: true, afterMs };
      }
      return { ok: false, afterMs: limitMs, message: limitMs < timeoutMs ? QUEUE_PROXY_UNAVAILABLE : timeoutMessage(probe, timeoutMs) };
    }
    const a = answerNow(user, 'readiness', tcp, nowMs);
    if (a === ANSWER.ok) return { ok: true, afterMs: 0 };
    if (a !== ANSWER.silent) return { ok: false, afterMs: 0, message: QUEUE_PROXY_UNAVAILABLE };
    const ownMs = (spec.timeoutSeconds || 1) * 1000;
    return ownMs < timeoutMs
      ? { ok: false, afterMs: ownMs, message: QUEUE_PROXY_UNAVAILABLE }
      : { ok: false, afterMs: timeoutMs, message: timeoutMessage(probe, timeoutMs) };
  }
}

/** The user container: the one with a port (Knative gives the serving container its port), never queue-proxy. */
function isServing(pod: Pod, container: Container): boolean {
  if (container.name === QUEUE_PROXY) return false;
  const withPorts = (pod.spec.containers ?? []).filter((c) => c.name !== QUEUE_PROXY && (c.ports?.length ?? 0) > 0);
  return withPorts.length === 0 ? pod.spec.containers?.[0]?.name === container.name : withPorts[0]?.name === container.name;
}

/** SERVING_READINESS_PROBE of queue-proxy's environment, or null when it has none (or it does not parse). */
function readUserProbe(container: Container): Probe | null {
  const value = container.env?.find((e) => e.name === 'SERVING_READINESS_PROBE')?.value;
  if (value === undefined || value === '') return null;
  try {
    // Written by the revision's Deployment builder (deploy.ts) as Knative's EncodeSingleProbe does.
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null ? parsed : null;
  } catch {
    return null;
  }
}

function isTcp(probe: Probe): boolean {
  return probe.tcpSocket !== undefined;
}

/** The revision's stream for failure draws, made on first use (revisions without a failure model make none). */
function failureRng(engine: Engine, pod: PodState): ReturnType<Engine['rng']> {
  const rev = pod.rev;
  rev.failureRng ??= engine.rng(`app/${rev.key}/failure`);
  return rev.failureRng;
}

/** How the process answers now: TCP needs a listening socket; the app's own answers need it to answer (and, for readiness, not to flap). */
function answerNow(p: AppProcess, kind: ProbeKind, tcp: boolean, nowMs: number): number {
  if (p.state === PROCESS.starting || p.state === PROCESS.gone) return ANSWER.refused;
  if (tcp) return ANSWER.ok;
  if (p.state === PROCESS.hung) return ANSWER.silent;
  return kind === 'readiness' && nowMs < p.unreadyUntilMs ? ANSWER.failing : ANSWER.ok;
}

/**
 * The earliest time from now at which the process passes such a probe, from what is
 * already scheduled: now, its listen time, the end of a readiness flap — Infinity when it
 * will not (it fails its start-up, exits or hangs first, or is hung or gone).
 */
function passesFromMs(p: AppProcess, kind: ProbeKind, tcp: boolean, nowMs: number): number {
  if (answerNow(p, kind, tcp, nowMs) === ANSWER.ok) return nowMs;
  let t = Infinity;
  if (p.state === PROCESS.starting) t = p.failsAtMs === Infinity ? p.listensAtMs : Infinity;
  else if (p.state === PROCESS.listening && !tcp && kind === 'readiness') t = p.unreadyUntilMs;
  if (t >= p.crashAtMs || (!tcp && t >= p.hangAtMs)) return Infinity;
  return t;
}

/** The kubelet's own probe of the user container (liveness, startup, an exec readiness probe). */
function answerDirect(p: AppProcess, kind: ProbeKind, probe: Probe, timeoutMs: number, nowMs: number): ProbeAnswer {
  const a = answerNow(p, kind, isTcp(probe), nowMs);
  switch (a) {
    case ANSWER.ok:
      return { ok: true, afterMs: 0 };
    case ANSWER.silent:
      return { ok: false, afterMs: timeoutMs, message: timeoutMessage(probe, timeoutMs) };
    case ANSWER.failing:
      return { ok: false, afterMs: 0, message: probe.exec !== undefined ? 'command failed: exit code 1' : 'HTTP probe failed with statuscode: 503' };
    default:
      return { ok: false, afterMs: 0, message: refusedMessage(probe) };
  }
}
