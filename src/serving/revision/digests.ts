/**
 * The revision controller's image digest resolution: before making any Deployment, each
 * container's image tag is resolved to a digest in its registry. An image the registry does
 * not have fails the revision at once: ContainerHealthy False, reason `ContainerMissing`,
 * "Unable to fetch image …: failed to resolve image to digest: …", and no Deployment.
 * Images given by digest and images from the registries config-deployment
 * `registries-skipping-tag-resolving` names (kind.local, ko.local, dev.local by default)
 * are not resolved: a missing one fails later, in the kubelet's pull (ErrImagePull,
 * ImagePullBackOff, and after the progress deadline ProgressDeadlineExceeded).
 * Example: `rainbows:broken` → registry index.docker.io, repository library/rainbows,
 * tag broken → `GET https://index.docker.io/v2/library/rainbows/manifests/broken: …`.
 *
 * Fidelity: resolution is instant (no background resolver, no digest-resolution-timeout,
 * no ResolvingDigests phase); the resolved "digest" is the image string itself; a failed
 * resolution is tried again on the next reconcile without a rate limit.
 *
 * Mirrors knative/serving pkg/reconciler/revision/{revision.go reconcileDigest,
 * background.go, resolve.go} and go-containerregistry's reference defaults.
 */

/** What the cluster's registries hold (the scenario's `cluster.missingImages` are not there). */
export interface ImageRegistry {
  has(image: string): boolean;
}

/** The registry, repository and tag of an image reference, with Docker's defaults. */
function parseReference(image: string): { registry: string; repository: string; tag: string } {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  let registry = hasRegistry ? first : 'index.docker.io';
  if (registry === 'docker.io') registry = 'index.docker.io';
  let rest = hasRegistry ? image.slice(slash + 1) : image;
  let tag = 'latest';
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const repository = registry === 'index.docker.io' && !rest.includes('/') ? `library/${rest}` : rest;
  return { registry, repository, tag };
}

/**
 * Why an image cannot be resolved, or undefined when it resolves (or is not resolved at
 * all: a digest, or a registry that skips tag resolution).
 */
export function digestFailure(image: string, registry: ImageRegistry, skipRegistries: readonly string[]): string | undefined {
  if (image.includes('@')) return undefined;
  const ref = parseReference(image);
  if (skipRegistries.includes(ref.registry)) return undefined;
  if (registry.has(image)) return undefined;
  const detail = `GET https://${ref.registry}/v2/${ref.repository}/manifests/${ref.tag}: MANIFEST_UNKNOWN: manifest unknown; map[Tag:${ref.tag}]`;
  return `Unable to fetch image ${JSON.stringify(image)}: failed to resolve image to digest: ${detail}`;
}
