/**
 * One revision as the recorders follow it: counts kept up to date from Pod watch events
 * by the recorder, read by the expectations and the report's recordings.
 */

import type { Tally } from '../dataplane/measurements.js';
import type { SeriesSample } from './result.js';

/** One revision as the recorder follows it. */
export interface RevisionTrack {
  namespace: string;
  name: string;
  /** `namespace/name`: the store key of the revision's PodAutoscaler and ServerlessService. */
  key: string;
  /** The store key of its Deployment (`namespace/<revision>-deployment`), built once: the recorders read it every second. */
  deploymentKey: string;
  /** Its Deployment's spec.replicas (0 without one) and its ServerlessService's mode ('' without one), as stored now: kept in step with every write. */
  desiredReplicas: number;
  sksMode: SeriesSample['sksMode'];
  /** Its data-plane tally once the data plane has one (a tally, once made, stays for the run). */
  tally: Tally | undefined;
  service: string;
  pods: number;
  readyPods: number;
  maxReadyPods: number;
  /** Requests routed to it up to the previous sample. */
  arrivedAtLastSample: number;
  /** False once the Revision object is gone. */
  alive: boolean;
  /** Pods of this revision that became Ready. */
  podStarts: number;
  /** Of those, the pods created while the revision had no Ready pod (starts from zero). */
  podStartsFromZero: number;
  /** Milliseconds lived by its pods that are gone (live ones are added when asked). */
  podMsClosed: number;
  /** Requests routed to it since the series' previous step. */
  requestsSinceSeries: number;
  /** Its latest series sample, kept or not (compared with the next when only changes are kept). */
  lastSeries: SeriesSample | undefined;
}
