/**
 * The cluster profile: how long the machinery between "pod created" and "pod Ready"
 * takes on the simulated cluster, and which nodes it has.
 *
 * Where the defaults come from (see /work/shared/data/SOURCES.md §4, faas-sim's measured
 * pod start-ups on a cloud VM, 7 runs × 126 pods):
 * - Image already on the node: creation → Running took 4.6–7.3 s (median ≈ 5.2 s) on the
 *   2019 cloud VM with large ML images and 1.9–2.5 s on a Tegra board. Kubernetes' own SLO
 *   for stateless pods is p99 ≤ 5 s excluding pulls. The defaults below give ≈ 1.9 s for a
 *   one-container pod and ≈ 2.5 s for a two-container (Knative) pod: scheduling 10 ms +
 *   sandbox 1200 ms + 600 ms per container.
 * - Image pulled: the same VM took ≈ 520 s over a 10 Mbit/s link, ≈ 115 s at 100 Mbit/s and
 *   ≈ 93 s at 200 Mbit/s for three ~0.57 GB images. Fitting t = base + S/bandwidth + S/unpack
 *   to those points gives S ≈ 567 MB and an unpack (decompress + extract) rate ≈ 8.5 MB/s:
 *   1 + 567/1.25 + 567/8.5 ≈ 522 s (measured 520), 1 + 567/12.5 + 567/8.5 ≈ 113 s (measured 112–118).
 *   So the default link is 100 Mbit/s (12.5 MB/s) and unpacking runs at 8.5 MB/s; a 50 MB
 *   image then pulls in 1 + 4 + 5.9 ≈ 10.9 s.
 * - Jitter: the measured spread around the median with the image present is roughly ±15 %.
 *
 * Fidelity: durations are fixed per step and scaled by a uniform factor in
 * [1 − jitter, 1 + jitter] drawn from the node's own stream `kubelet/<node>`.
 */
import { parseCpuMillis, parseMemoryBytes } from '../apis/core.js';

export interface ImageProfile {
  /** Compressed size in bytes; default `defaultImageSizeBytes`. */
  sizeBytes?: number;
  /** A measured pull time (ms) for this image; replaces the size-based formula of `computePullMs`. */
  pullMs?: number;
  /** Extra time (ms) the app in this image needs after its container started before it answers probes. */
  startupMs?: number;
}

export interface NodeProfile {
  name: string;
  /** Allocatable CPU as a quantity (`4`, `3500m`). */
  cpu: string;
  /** Allocatable memory as a quantity (`16Gi`). */
  memory: string;
  /** Maximum pods; default 110 (the kubelet's default `maxPods`). */
  pods?: number;
  /** Extra node labels, e.g. `node-role.kubernetes.io/control-plane: ""`. */
  labels?: Record<string, string>;
}

export interface ClusterProfile {
  /** What `kubectl get nodes` shows as VERSION. */
  kubernetesVersion: string;
  /** Scheduler: time from seeing a pending pod to binding it (one scheduling cycle plus the bind call). */
  schedulingLatencyMs: number;
  /** Kubelet: pod sandbox creation and network setup (CNI) before any container starts; the pod gets its IP at the end. */
  sandboxMs: number;
  /** Kubelet: create and start one container whose image is present. */
  containerStartMs: number;
  /** Fixed part of an image pull: registry auth and manifest round trips; also how long a failing pull takes to fail. */
  pullBaseMs: number;
  /** Registry link bandwidth in bytes per second. */
  registryBandwidthBytesPerSecond: number;
  /** Decompress-and-extract rate of pulled layers in bytes per second. */
  unpackBytesPerSecond: number;
  /** Size of an image not listed in `images`. */
  defaultImageSizeBytes: number;
  /** Per-image size and app startup. */
  images: Record<string, ImageProfile>;
  /** Images the registry does not have: pulls fail with ErrImagePull, then ImagePullBackOff. */
  missingImages: string[];
  /** Images already in every node's cache at the start (e.g. pre-pulled system images). */
  preloadedImages: string[];
  /** The kubelet's `serializeImagePulls` (default true): one pull at a time per node. */
  serializeImagePulls: boolean;
  /** Time from SIGTERM (after the pre-stop hook) until the containers have exited. */
  containerStopMs: number;
  /** When set, the period of every readiness probe instead of its periodSeconds (which Kubernetes defaults to 10 s). */
  readinessProbePeriodMs?: number;
  /** Fraction in [0, 1): each kubelet step is scaled by a uniform factor in [1 − jitter, 1 + jitter]. 0 = exact. */
  jitter: number;
}

/** Defaults close to a real small cluster; see the module comment for the measurements behind them. */
export const DEFAULT_CLUSTER_PROFILE: Readonly<ClusterProfile> = Object.freeze({
  kubernetesVersion: 'v1.33.1',
  schedulingLatencyMs: 10,
  sandboxMs: 1200,
  containerStartMs: 600,
  pullBaseMs: 1000,
  registryBandwidthBytesPerSecond: 12_500_000,
  unpackBytesPerSecond: 8_500_000,
  defaultImageSizeBytes: 50_000_000,
  images: {},
  missingImages: [],
  preloadedImages: [],
  serializeImagePulls: true,
  // SIGTERM to exit of a typical HTTP server plus runtime teardown: a few hundred ms.
  containerStopMs: 300,
  jitter: 0.15,
});

/** Default nodes: three workers of 4 CPU / 16 GiB, a common small managed-cluster shape. */
export const DEFAULT_NODES: readonly NodeProfile[] = Object.freeze([
  { name: 'node-1', cpu: '4', memory: '16Gi' },
  { name: 'node-2', cpu: '4', memory: '16Gi' },
  { name: 'node-3', cpu: '4', memory: '16Gi' },
]);

/** The kubelet's default maximum number of pods per node. */
export const DEFAULT_MAX_PODS = 110;

/** A full profile from defaults and overrides; throws on values no cluster could have. */
export function resolveClusterProfile(overrides: Partial<ClusterProfile> = {}): ClusterProfile {
  const profile: ClusterProfile = { ...DEFAULT_CLUSTER_PROFILE, ...overrides, images: { ...(overrides.images ?? {}) } };
  const nonNegative: (keyof ClusterProfile)[] = [
    'schedulingLatencyMs',
    'sandboxMs',
    'containerStartMs',
    'pullBaseMs',
    'defaultImageSizeBytes',
    'containerStopMs',
  ];
  if (profile.readinessProbePeriodMs !== undefined && !(profile.readinessProbePeriodMs > 0))
    throw new Error(`cluster profile: readinessProbePeriodMs must be > 0, got ${profile.readinessProbePeriodMs}`);
  for (const key of nonNegative) {
    const v = profile[key] as number;
    if (!(v >= 0) || !Number.isFinite(v)) throw new Error(`cluster profile: ${key} must be a finite number >= 0, got ${v}`);
  }
  for (const key of ['registryBandwidthBytesPerSecond', 'unpackBytesPerSecond'] as const) {
    if (!(profile[key] > 0)) throw new Error(`cluster profile: ${key} must be > 0, got ${profile[key]}`);
  }
  if (!(profile.jitter >= 0 && profile.jitter < 1)) throw new Error(`cluster profile: jitter must be in [0, 1), got ${profile.jitter}`);
  return profile;
}

/** Validates node shapes; throws with the node name on a bad quantity. */
export function checkNodeProfiles(nodes: readonly NodeProfile[]): void {
  const seen = new Set<string>();
  for (const n of nodes) {
    if (seen.has(n.name)) throw new Error(`cluster profile: duplicate node name "${n.name}"`);
    seen.add(n.name);
    if (!(parseCpuMillis(n.cpu) > 0)) throw new Error(`cluster profile: node "${n.name}": cpu must be a positive quantity, got "${n.cpu}"`);
    if (!(parseMemoryBytes(n.memory) > 0)) throw new Error(`cluster profile: node "${n.name}": memory must be a positive quantity, got "${n.memory}"`);
    if (n.pods !== undefined && !(Number.isInteger(n.pods) && n.pods > 0))
      throw new Error(`cluster profile: node "${n.name}": pods must be a positive integer, got ${n.pods}`);
  }
}

/** The terms of one image's pull time (ms, before jitter): a measured time, or base + transfer + unpack. */
export interface ImagePullTerms {
  sizeBytes: number;
  /** The image's measured pull time, when the profile gives one (the other terms are then 0). */
  fixedMs?: number;
  baseMs: number;
  /** size / registry bandwidth. */
  transferMs: number;
  /** size / unpack rate. */
  unpackMs: number;
  totalMs: number;
}

/**
 * How long pulling `image` takes (ms) and why: its measured `pullMs` if the profile gives one,
 * else base + size / bandwidth + size / unpack rate.
 * Example with the defaults, 50 MB: 1000 + 50e6/12.5e6·1000 + 50e6/8.5e6·1000 ≈ 1000 + 4000 + 5882 = 10,882 ms.
 */
export function imagePullTerms(profile: ClusterProfile, image: string): ImagePullTerms {
  const sizeBytes = imageSizeBytes(profile, image);
  const fixedMs = profile.images[image]?.pullMs;
  if (fixedMs !== undefined) return { sizeBytes, fixedMs, baseMs: 0, transferMs: 0, unpackMs: 0, totalMs: fixedMs };
  const transferMs = (sizeBytes / profile.registryBandwidthBytesPerSecond) * 1000;
  const unpackMs = (sizeBytes / profile.unpackBytesPerSecond) * 1000;
  return { sizeBytes, baseMs: profile.pullBaseMs, transferMs, unpackMs, totalMs: profile.pullBaseMs + transferMs + unpackMs };
}

/** How long pulling `image` takes (ms): its measured `pullMs` if the profile gives one, else from its size. */
export function imagePullMs(profile: ClusterProfile, image: string): number {
  return imagePullTerms(profile, image).totalMs;
}

/** The image's size from the profile, or the default size. */
export function imageSizeBytes(profile: ClusterProfile, image: string): number {
  return profile.images[image]?.sizeBytes ?? profile.defaultImageSizeBytes;
}
