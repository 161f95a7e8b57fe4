/**
 * queue-proxy's request statistics: the time-weighted concurrency and the request counts
 * it publishes every second on :9090 for the autoscaler's scraper, all requests and the
 * activator's (proxied) requests apart.
 *
 * Concurrency counts queued and active requests alike (an In event before the breaker,
 * an Out event at the end). Sums are brought up to date lazily: `touch` before each
 * change, and on a scrape; every report period that ended on the way is published.
 *
 * Fidelity: the report is what a scrape at any instant reads: the last whole period's
 * values. Whole idle periods in a row publish the constant concurrency and no requests,
 * without simulating each one.
 *
 * Upstream: knative/networking pkg/http/stats/request.go (RequestStats),
 * knative/serving pkg/queue/sharedmain/main.go (reportingPeriod 1s).
 */

/** queue-proxy's stat reporting period (pkg/queue/sharedmain/main.go reportingPeriod). */
const REPORTING_PERIOD_MS = 1000;

export class RequestStats {
  /** Requests inside queue-proxy: queued in the breaker or in the user container. */
  concurrency = 0;
  /** Of those, requests the activator proxied (`Knative-Proxy: activator`). */
  proxiedConcurrency = 0;
  /** When queue-proxy started (processUptime counts from here). */
  startMs = 0;
  private lastChangeMs = 0;
  private areaMs = 0;
  private proxiedAreaMs = 0;
  requestCount = 0;
  proxiedCount = 0;
  private periodEndMs = Infinity;
  // The last published report (what :9090/metrics serves).
  reportedConcurrency = 0;
  reportedProxiedConcurrency = 0;
  reportedRequestCount = 0;
  reportedProxiedCount = 0;

  /** queue-proxy started: its stats clock begins, reporting every second from now. */
  start(nowMs: number): void {
    this.startMs = nowMs;
    this.lastChangeMs = nowMs;
    this.periodEndMs = nowMs + REPORTING_PERIOD_MS;
  }

  /** The In event of a request (before the breaker). */
  requestIn(nowMs: number, proxied: boolean): void {
    this.touch(nowMs);
    this.requestCount++;
    this.concurrency++;
    if (proxied) {
      this.proxiedCount++;
      this.proxiedConcurrency++;
    }
  }

  /** The Out event of a request (it ended, whatever the status). */
  requestOut(nowMs: number, proxied: boolean): void {
    this.touch(nowMs);
    this.concurrency--;
    if (proxied) this.proxiedConcurrency--;
  }

  /**
   * Brings the time-weighted sums up to `nowMs`, publishing every report period that
   * ended on the way. Call before any change of concurrency or counts.
   * Example: 2 requests in flight for 250 ms then 1 for 750 ms → area 1250 ms → 1.25.
   */
  touch(nowMs: number): void {
    if (nowMs >= this.periodEndMs) this.publish(nowMs);
    const dt = nowMs - this.lastChangeMs;
    if (dt > 0) {
      this.areaMs += this.concurrency * dt;
      this.proxiedAreaMs += this.proxiedConcurrency * dt;
      this.lastChangeMs = nowMs;
    }
  }

  private publish(nowMs: number): void {
    const endMs = this.periodEndMs;
    const dt = endMs - this.lastChangeMs;
    this.reportedConcurrency = (this.areaMs + this.concurrency * dt) / REPORTING_PERIOD_MS;
    this.reportedProxiedConcurrency = (this.proxiedAreaMs + this.proxiedConcurrency * dt) / REPORTING_PERIOD_MS;
    // Counts are per period of 1s, i.e. already per second.
    this.reportedRequestCount = this.requestCount;
    this.reportedProxiedCount = this.proxiedCount;
    this.areaMs = 0;
    this.proxiedAreaMs = 0;
    this.requestCount = 0;
    this.proxiedCount = 0;
    this.lastChangeMs = endMs;
    this.periodEndMs = endMs + REPORTING_PERIOD_MS;
    if (nowMs >= this.periodEndMs) {
      // Whole idle periods passed: the latest report saw a constant concurrency and no arrivals.
      const idlePeriods = Math.floor((nowMs - this.periodEndMs) / REPORTING_PERIOD_MS) + 1;
      this.reportedConcurrency = this.concurrency;
      this.reportedProxiedConcurrency = this.proxiedConcurrency;
      this.reportedRequestCount = 0;
      this.reportedProxiedCount = 0;
      this.lastChangeMs = this.periodEndMs + (idlePeriods - 1) * REPORTING_PERIOD_MS;
      this.periodEndMs += idlePeriods * REPORTING_PERIOD_MS;
    }
  }
}
