/**
 * One revision as the recorders follow it: counts kept up to date from Pod watch events
 * by the recorder, read by the expectations and the report's recordings.
 */

import type { SeriesSample } from './result.js';

/** One revision as the recorder follows it. */
export interface RevisionTrack {
  namespace: string;
  name: string;
  /** Its Deployment's name (`<revision>-deployment`), made once. */
  deploymentName: string;
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
  /** Its last kept series sample (compared with the next when only changes are kept). */
  lastSeries: SeriesSample | undefined;
}
