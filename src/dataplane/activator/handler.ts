/**
 * The activator's request handler: a request that the router sends to one of the revision's
 * activators (its revision is in Proxy mode or has no routable pod) is marked as proxied,
 * starts the activator's timeout handler (the revision's three timeouts, timeouts.ts), counts
 * as a cold start when no pod is routable, enters that activator's concurrency reporter and
 * then its throttler. When the request is answered it leaves the reporter and frees its slots.
 *
 * Fidelity: the `Knative-Proxy: activator` header is the request's `viaActivator` flag;
 * the revision comes from the route's choice (no revision headers); a deleted revision
 * is answered 404 before the activator (dataplane.ts).
 *
 * Upstream: knative/serving pkg/activator/handler/handler.go (activationHandler),
 * pkg/activator/handler/concurrency_reporter.go (its handler wrapper).
 */
import type { PodTrackerState, Req, RevisionThrottler } from '../records.js';
import type { ConcurrencyReporter } from './concurrency-reporter.js';
import type { Throttler } from './throttler.js';
import { expiry, TIMER_COMPONENT, timeoutReason, type Expiry } from '../timeouts.js';

export class ActivatorHandler {
  private readonly scratch: Expiry = { atMs: Infinity, kind: 0 };

  constructor(
    private readonly throttler: Throttler,
    private readonly reporter: ConcurrencyReporter,
  ) {}

  /** A request reaches an activator (its throttler `t` for the request's revision). */
  admit(t: RevisionThrottler, req: Req, nowMs: number): void {
    const rev = t.rev;
    req.viaActivator = true;
    // The activator's timeout handler (timeouts.ts) starts now; waiting in the throttler counts toward it.
    req.activatorStartMs = nowMs;
    const e = expiry(this.scratch, nowMs, rev, Infinity, 0, Infinity);
    req.deadlineMs = e.atMs;
    req.deadlineReason = timeoutReason(TIMER_COMPONENT.activator, e.kind, false);
    if (rev.routable.length === 0) {
      req.coldStart = true;
      rev.tally.coldStarts++;
    }
    this.reporter.requestIn(t, nowMs);
    this.throttler.try(t, req, nowMs);
  }

  /** A request that went through activator throttler `t` ended; `tracker` when it held a slot of one of its pod trackers. */
  requestDone(t: RevisionThrottler, tracker: PodTrackerState | null, nowMs: number): void {
    this.reporter.requestOut(t, nowMs);
    if (tracker !== null) this.throttler.release(t, tracker, nowMs);
  }
}
