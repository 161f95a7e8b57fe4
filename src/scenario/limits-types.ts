/**
 * The bounds a scenario is checked against (`limits:`, `--set limits.*`, `--max-duration`) and
 * the loader's estimate of a run's work (the scenario's `budget`); load/limits.ts reads and
 * checks them.
 */
/** What the loader expects the run to cost, from each workload's own target and the timeline's objects. */
export interface ScenarioBudget {
  limits: ScenarioLimits;
  /** Requests all workloads send, rounded. */
  expectedRequests: number;
  /** Pod-seconds: the pods the timeline asks for over the run, plus those the traffic needs (Little's law), rounded. */
  expectedPodSeconds: number;
  /** The run's CPU time in seconds (requests, pods, services at costs measured on knsim's benchmark machine), to 0.1 s. */
  expectedRunSeconds: number;
  /** Most pods the timeline asks for at once (min-scale and initial-scale of every service it creates). */
  podsAsked: number;
  /** What the run will hold, for the estimate of its peak memory (estimate-memory.ts), which adds the output form. */
  memory: MemoryWork;
}

/** What a run will hold, counted by the loader before any output form is chosen. */
export interface MemoryWork {
  revisions: number;
  /** Revision-seconds over the run (every revision to the end): a stepped series samples each. */
  revisionSeconds: number;
  /** Seconds revisions are busy (traffic, pods settling in): where a change-points series keeps samples. */
  busyRevisionSeconds: number;
  /** Pods expected to start. */
  podStarts: number;
  /** Bytes the selected trace functions keep (their per-minute counts). */
  traceBytes: number;
  /** Bytes parsing the trace files takes before the run (their text and every row's counts). */
  traceParseBytes: number;
}

/**
 * Bounds that keep a hostile or mistaken scenario from exhausting time or memory. They count
 * totals over the whole scenario. A scenario raises (or lowers) them in its `limits:` section;
 * `--set limits.<key>=<value>` and `--max-duration` do the same from the command line.
 */
export interface ScenarioLimits {
  /** Longest `duration` accepted (`limits.maxDuration`). Default 48h. */
  maxDurationMs: number;
  /** Most timeline actions (`limits.maxTimelineActions`). Default 10,000. */
  maxTimelineActions: number;
  /** Most objects: manifests and kn-created Services, nodes, ConfigMaps (`limits.maxObjects`). Default 10,000. */
  maxObjects: number;
  /** Largest estimated number of requests over the whole run (`limits.maxRequests`). Default 200,000,000. */
  maxExpectedRequests: number;
  /** Longest estimated run time (CPU), requests and control plane together (`limits.maxRunTime`). Default 2h. */
  maxRunMs: number;
  /** Most closed-loop users over all workloads (`limits.maxUsers`). Default 10,000. */
  maxUsers: number;
  /** Most workloads, a trace's functions counted one each (`limits.maxWorkloads`). Default 1,000. */
  maxWorkloads: number;
  /** Most expectations (`limits.maxExpectations`). Default 10,000. */
  maxExpectations: number;
  /** Most pods the timeline can ask for through min-scale and initial-scale (`limits.maxPods`). Default 1,000. */
  maxPods: number;
  /** Most data rows in one trace file (`limits.maxTraceRows`). Default 100,000. */
  maxTraceRows: number;
  /** Largest file a scenario reads, the scenario included (`limits.maxFileSize`, a quantity such as 256Mi). Default 256 MiB. */
  maxFileBytes: number;
  /**
   * Largest YAML text parsed, the scenario and each manifest or ConfigMap text (`limits.maxYamlSize`). Default 2 MiB:
   * YAML parsing costs about 130 bytes of memory and 2 µs per byte of text, so a 2 MiB scenario takes about 250 MB and 4 s.
   */
  maxYamlBytes: number;
  /** YAML aliases allowed per document (the `yaml` package's `maxAliasCount`; `limits.maxAliasCount`). Default 100. */
  maxAliasCount: number;
}

export const DEFAULT_LIMITS: Readonly<ScenarioLimits> = Object.freeze({
  maxDurationMs: 48 * 3_600_000,
  maxTimelineActions: 10_000,
  maxObjects: 10_000,
  maxExpectedRequests: 200_000_000,
  maxRunMs: 2 * 3_600_000,
  maxUsers: 10_000,
  maxWorkloads: 1_000,
  maxExpectations: 10_000,
  maxPods: 1_000,
  maxTraceRows: 100_000,
  maxFileBytes: 256 * 2 ** 20,
  maxYamlBytes: 2 * 2 ** 20,
  maxAliasCount: 100,
});
