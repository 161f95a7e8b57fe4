/**
 * Request timeouts as Knative's timeout handler enforces them, once in the activator
 * (from the moment it takes the request) and once in each queue-proxy (from the moment
 * the request reaches it, before its breaker): three timers per handler, each in seconds
 * of the revision spec, 0 or less meaning none:
 * - `timeoutSeconds` (the request timeout): the whole exchange must end in time; when it
 *   fires, a 504 is written — unless the response already started, then the status that
 *   went out stays and the response is cut off there;
 * - `responseStartTimeoutSeconds`: the first response byte must come in time, else 504;
 * - `idleTimeoutSeconds`: no gap between writes (or before the first one) may reach it;
 *   like the request timeout, a 504 only when nothing was written yet.
 *
 * The app's writes are known when it starts serving (app-model.ts): the first byte, a
 * chunk every stream interval after it, and the end. So the earliest timer can be worked
 * out at once and a request still costs one event. Worked example: responseStartTimeout
 * 10 s and an app that answers after 100 s → 504 at 10 s; the same app with its first byte
 * at 50 ms and chunks every second until 100 s → no response-start timeout, but a 60 s
 * request timeout cuts it off at 60 s with its 200 already sent.
 *
 * Fidelity: knative/serving pkg/http/handler/timeout.go (timeoutHandler, timeoutWriter),
 * wrapped around queue-proxy's breaker in pkg/queue/sharedmain/handlers.go and around the
 * activator's handler in cmd/activator/main.go; their 504 bodies are "request timeout" and
 * "activator request timeout". Timers that fire at the same instant are settled in a fixed
 * order (request, response start, idle; the activator before queue-proxy, whose timers
 * start later) where Go's select would pick one at random. A write exactly at a timer's
 * instant counts as in time.
 */

/** Which handler's timer ended a request. */
export const TIMER_COMPONENT = { activator: 0, queueProxy: 1 } as const;
/** Which timer: the request timeout, the response-start timeout, the idle timeout. */
export const TIMER_KIND = { request: 0, responseStart: 1, idle: 2 } as const;

/** A request that no timer ended. */
export const NO_TIMEOUT = -1;
/** Reasons 0–5 are component × kind with nothing written (504); 6–11 the same after the response started (cut off). */
export const TIMEOUT_REASON_COUNT = 12;
const TRUNCATED = 6;

/** The reason index of a timer that fired; `started` when the response had begun (cut off, status kept). */
export function timeoutReason(component: number, kind: number, started: boolean): number {
  return component * 3 + kind + (started ? TRUNCATED : 0);
}

/** Stable keys of the reasons, as the JSON summary counts them. */
export const TIMEOUT_REASON_KEYS: readonly string[] = [
  'activator:timeout',
  'activator:response-start-timeout',
  'activator:idle-timeout',
  'queue-proxy:timeout',
  'queue-proxy:response-start-timeout',
  'queue-proxy:idle-timeout',
  'activator:timeout-after-response-start',
  'activator:response-start-timeout-after-response-start',
  'activator:idle-timeout-after-response-start',
  'queue-proxy:timeout-after-response-start',
  'queue-proxy:response-start-timeout-after-response-start',
  'queue-proxy:idle-timeout-after-response-start',
];

/** The component (`activator`, `queue-proxy`) and the timer's name in the revision spec, for narration. */
export function describeReason(reason: number): { component: string; timer: string; started: boolean } {
  const base = reason % TRUNCATED;
  const component = Math.floor(base / 3) === TIMER_COMPONENT.activator ? 'activator' : 'queue-proxy';
  const timer = ['timeoutSeconds', 'responseStartTimeoutSeconds', 'idleTimeoutSeconds'][base % 3] ?? 'timeoutSeconds';
  return { component, timer, started: reason >= TRUNCATED };
}

/** One handler's timers, in ms (Infinity: no such timer). */
export interface TimerSettings {
  timeoutMs: number;
  responseStartMs: number;
  idleMs: number;
}

/** Seconds from a revision spec → ms; absent, 0 or negative means no timer (the handler skips it). */
export function timerMs(seconds: number | undefined): number {
  return seconds !== undefined && seconds > 0 ? seconds * 1000 : Infinity;
}

/** The earliest firing timer of one handler: its time (Infinity if none fires) and kind. Reused, never allocated per request. */
export interface Expiry {
  atMs: number;
  kind: number;
}

/**
 * When the handler started at `startMs` times the exchange out, given the app's writes:
 * the first byte at `firstByteMs`, then a chunk every `streamMs` (0: none) until the last
 * byte at `endMs`. For a request still waiting in a queue, pass Infinity for both.
 * Example: start 0, idle 5 s, first byte at 1 s, no stream, end at 20 s → idle at 6 s.
 */
export function expiry(out: Expiry, startMs: number, t: TimerSettings, firstByteMs: number, streamMs: number, endMs: number): Expiry {
  out.atMs = Infinity;
  out.kind = TIMER_KIND.request;
  const request = startMs + t.timeoutMs;
  if (request < endMs) out.atMs = request;
  // The usual revision has the request timeout only: nothing else to work out.
  if (t.responseStartMs === Infinity && t.idleMs === Infinity) return out;
  const responseStart = startMs + t.responseStartMs;
  if (firstByteMs > responseStart && responseStart < out.atMs) {
    out.atMs = responseStart;
    out.kind = TIMER_KIND.responseStart;
  }
  let idle = Infinity;
  if (firstByteMs > startMs + t.idleMs) idle = startMs + t.idleMs;
  else {
    // After the first byte: the next write is the next chunk, or the end.
    const next = streamMs > 0 ? Math.min(firstByteMs + streamMs, endMs) : endMs;
    if (next - firstByteMs > t.idleMs) idle = firstByteMs + t.idleMs;
  }
  if (idle < out.atMs) {
    out.atMs = idle;
    out.kind = TIMER_KIND.idle;
  }
  return out;
}
