/**
 * The scenario format as TypeScript types: a `ScenarioDocument` is a scenario file's data,
 * key for key as README.md's Scenario format writes it (durations as Go duration text,
 * quantities as Kubernetes quantities, manifests as YAML text). The builder (builder.ts)
 * assembles one, `toYaml` writes it, and the loader checks it like any file.
 *
 * Fidelity: knsim's own format; manifests, ConfigMap data and kn command lines inside it are
 * Knative's. Kept loose where the loader is the judge (a bound may be a number or a mapping).
 */
import type { ConfigMapName, InvariantName } from '../scenario/index.js';

/** A Go duration: `500ms`, `30s`, `1m30s`. */
export type DurationText = string;

/** A distribution of durations: a bare duration (constant) or a mapping. */
export type DistributionDocument =
  | DurationText
  | { distribution: 'constant'; value: DurationText }
  | { distribution: 'exponential'; mean: DurationText }
  | { distribution: 'lognormal'; median: DurationText; p99: DurationText }
  | { distribution: 'lognormal'; mu: number; sigma: number }
  | { distribution: 'uniform'; min: DurationText; max: DurationText }
  | { distribution: 'empirical'; percentiles: Record<string, DurationText> };

export interface ClusterDocument {
  nodes?: number | { name?: string; cpu: number | string; memory: string; count?: number }[];
  coldStart?: {
    imagePull?: { base?: DurationText; bandwidth?: string; images?: Record<string, { size?: string; time?: DurationText }> };
    containerStart?: DurationText;
    readinessProbePeriod?: DurationText;
    jitter?: number;
  };
  apiLatency?: DurationText;
  routePropagation?: DurationText;
  missingImages?: string[];
}

export interface AppDocument {
  serviceTime?: DistributionDocument;
  errorRate?: number;
  startupDelay?: DurationText;
  imageSize?: string;
}

/** A timeline action: at a time, exactly one of `apply` (manifest YAML text or `{file}`), `kn` or `delete`. */
export type ActionDocument = { at: DurationText; note?: string } & (
  { apply: string | { file: string } } | { kn: string } | { delete: string | { kind: string; name: string; namespace?: string } }
);

export type TargetDocument = string | { service: string; tag?: string; namespace?: string; fromCluster?: boolean } | { host: string; fromCluster?: boolean };

/** Rates in requests per second. */
export type PatternDocument =
  | { pattern: 'constant' | 'poisson'; rate: number }
  | { pattern: 'ramp'; startRate: number; endRate: number }
  | { pattern: 'step'; rate?: number; steps: { at: DurationText; rate: number }[] }
  | { pattern: 'burst'; base?: number; spike: { at: DurationText; duration: DurationText; rate: number } | { at: DurationText; count: number } }
  | { pattern: 'diurnal'; mean: number; amplitude: number; period: DurationText; phase?: DurationText }
  | { pattern: 'users'; users: number; thinkTime?: DistributionDocument };

export type WorkloadDocument = { name?: string; target: TargetDocument; from?: DurationText; to?: DurationText } & PatternDocument;

/** A bound: a number (equals), `{equals}`, `{min?, max?}` or `{value, tolerance}`. */
export type BoundDocument = number | { equals: number } | { min?: number; max?: number } | { value: number; tolerance?: number };

export type ExpectDocument = ({ at: DurationText } | { over: { from: DurationText; to: DurationText } }) & {
  description?: string;
  revision?: string;
  service?: string;
  namespace?: string;
} & (
    | { readyPods: BoundDocument }
    | { desiredScale: BoundDocument }
    | { panic: boolean }
    | { sksMode: 'Serve' | 'Proxy' }
    | { trafficShare: BoundDocument }
    | { requests: { status?: number | string; count?: BoundDocument; min?: number; max?: number; ratio?: BoundDocument } }
    | { latency: { p: number; max?: DurationText; min?: DurationText } }
    | { coldStarts: BoundDocument }
  );

/** A `vary:` entry: a range of numbers or durations, or choices. */
export type VaryDocument =
  { min: number | DurationText; max: number | DurationText; step?: number | DurationText } | { choices: (string | number | boolean)[] };

/** A whole scenario file's data, in the order the README writes its keys. */
export interface ScenarioDocument {
  name?: string;
  description?: string;
  seed?: number | string;
  duration: DurationText;
  cluster?: ClusterDocument;
  config?: Partial<Record<ConfigMapName, Record<string, string | number | boolean>>>;
  apps?: Record<string, AppDocument>;
  timeline?: ActionDocument[];
  traffic?: WorkloadDocument[];
  expect?: ExpectDocument[];
  invariants?: InvariantName[];
  vary?: Record<string, VaryDocument>;
}
