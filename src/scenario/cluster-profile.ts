/**
 * The scenario's `cluster:` as the Kubernetes layer takes it: the cluster profile's overrides
 * (cold-start timings, images, missing images) and the node shapes. One mapping for both
 * sides: the loader checks it with the Kubernetes layer's own checks (`resolveClusterProfile`,
 * `checkNodeProfiles`, so a node the scheduler could not use is refused at load, not thrown at
 * run time), and sim/world.ts builds the cluster from it.
 * Fidelity: see src/k8s/profile.ts; the queue-proxy image's size is the world's to add.
 */
import { DEFAULT_NODES, type ClusterProfile, type ImageProfile, type NodeProfile } from '../k8s/profile.js';
import { setOwn } from '../apis/meta.js';
import type { ScenarioCluster } from './types.js';

/** The cluster profile's overrides written in the scenario (undefined fields keep the profile's defaults). */
export function clusterProfileOverrides(cluster: ScenarioCluster): Partial<ClusterProfile> {
  const cold = cluster.coldStart;
  const profile: Partial<ClusterProfile> = { missingImages: [...cluster.missingImages] };
  if (cold.pullBaseMs !== undefined) profile.pullBaseMs = cold.pullBaseMs;
  if (cold.pullBandwidthBytesPerSecond !== undefined) profile.registryBandwidthBytesPerSecond = cold.pullBandwidthBytesPerSecond;
  if (cold.unpackBytesPerSecond !== undefined) profile.unpackBytesPerSecond = cold.unpackBytesPerSecond;
  if (cold.defaultImageSizeBytes !== undefined) profile.defaultImageSizeBytes = cold.defaultImageSizeBytes;
  if (cold.serializeImagePulls !== undefined) profile.serializeImagePulls = cold.serializeImagePulls;
  if (cold.sandboxMs !== undefined) profile.sandboxMs = cold.sandboxMs;
  if (cold.containerStartMs !== undefined) profile.containerStartMs = cold.containerStartMs;
  if (cold.readinessProbePeriodMs !== undefined) profile.readinessProbePeriodMs = cold.readinessProbePeriodMs;
  if (cold.jitterFraction !== undefined) profile.jitter = cold.jitterFraction;
  const images: Record<string, ImageProfile> = {};
  for (const image of cold.images) {
    const entry: ImageProfile = {};
    if (image.sizeBytes !== undefined) entry.sizeBytes = image.sizeBytes;
    if (image.pullMs !== undefined) entry.pullMs = image.pullMs;
    // setOwn: an image named like an Object.prototype key is an image like any other.
    setOwn(images, image.image, entry);
  }
  profile.images = images;
  return profile;
}

/** The nodes: the scenario's, or the profile's default three. */
export function nodeProfilesOf(cluster: ScenarioCluster): NodeProfile[] {
  if (cluster.nodes === undefined) return DEFAULT_NODES.map((n) => ({ ...n }));
  return cluster.nodes.map((n) => ({ name: n.name, cpu: n.cpu, memory: n.memory }));
}
