/**
 * The two calls the data plane's components make upward, to parts that sit above them in
 * the import graph. The entry (dataplane.ts) implements them and hands them down, so
 * that the activator, queue-proxy and backends never import the entry:
 * - `finish`: a request ends (measurement, the activator's accounting, the record pool);
 * - `refreshRoutable`: a pod's routability changed (it began draining or passed the
 *   activator's probe): the revision backends rebuild the routable list and the
 *   throttler dispatches what waits;
 * - `oomKill`: a user container's memory passed its limit: the kubelet's runtime ends it
 *   (OOMKilled, 137) and its restart path takes over.
 *
 * Fidelity: not a Knative component; upstream these are return paths of HTTP handlers
 * and channel sends between goroutines.
 */
import type { PodState, Req, RevisionState } from './records.js';

export interface DataplanePorts {
  /** Ends a request exactly once, with `status`, at `nowMs`. */
  finish(req: Req, status: number, nowMs: number): void;
  /** Rebuilds the routable pods of a revision, then dispatches the requests waiting in the activator. */
  refreshRoutable(rev: RevisionState): void;
  /** The runtime kills the pod's user container out of memory; false when no container was running to kill. */
  oomKill(pod: PodState, memoryBytes: number): boolean;
}
