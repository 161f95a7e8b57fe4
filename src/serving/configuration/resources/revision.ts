/**
 * The Revision a Configuration stamps out for its current generation.
 * Fidelity: knative/serving pkg/reconciler/configuration/resources/revision.go and
 * knative/pkg kmeta/names.go (ChildName). Name `<config>-<generation, 5 digits>` or
 * the template's own (BYO) name; labels configuration, configurationGeneration,
 * configurationUID, service and serviceUID (when the Configuration belongs to a
 * Service); routing state `pending` with routingStateModified = now.
 * Simplified: ChildName's overflow hash is FNV-based here (Knative uses md5), so an
 * overlong name is shortened to the same length with a different suffix.
 */
import { deepCopy, makeControllerRef, shortHash } from '../../../apis/meta.js';
import { ANNOTATION, LABEL, SERVING_API_VERSION, type Configuration, type Revision } from '../../../apis/serving-types.js';
import { formatTimestamp } from '../../../engine/units.js';

const MAX_NAME_LENGTH = 63;

/** kmeta.ChildName: parent + suffix, shortened with a hash when longer than 63 characters. */
function childName(parent: string, suffix: string): string {
  const name = parent + suffix;
  if (name.length <= MAX_NAME_LENGTH) return name;
  const hash = shortHash(parent, 32);
  const head = parent.slice(0, Math.max(0, MAX_NAME_LENGTH - hash.length - suffix.length));
  return (head + hash + suffix).slice(0, MAX_NAME_LENGTH);
}

/** `hello` generation 2 → `hello-00002`. */
function revisionNameFor(config: Configuration): string {
  const byo = config.spec.template?.metadata?.name;
  if (byo) return byo;
  return childName(config.metadata.name, `-${String(config.metadata.generation ?? 1).padStart(5, '0')}`);
}

export function makeRevision(config: Configuration, nowMs: number): Revision {
  const template = deepCopy(config.spec.template);
  const labels: Record<string, string> = { ...(template.metadata?.labels ?? {}) };
  labels[LABEL.configuration] = config.metadata.name;
  labels[LABEL.configurationGeneration] = String(config.metadata.generation ?? 1);
  labels[LABEL.configurationUID] = config.metadata.uid ?? '';
  const service = config.metadata.labels?.[LABEL.service];
  if (service !== undefined) labels[LABEL.service] = service;
  const serviceUID = config.metadata.labels?.[LABEL.serviceUID];
  if (serviceUID !== undefined) labels[LABEL.serviceUID] = serviceUID;
  labels[LABEL.routingState] = 'pending';
  const annotations: Record<string, string> = { ...(template.metadata?.annotations ?? {}) };
  annotations[ANNOTATION.routingStateModified] = formatTimestamp(nowMs);
  return {
    apiVersion: SERVING_API_VERSION,
    kind: 'Revision',
    metadata: {
      name: revisionNameFor(config),
      namespace: config.metadata.namespace,
      labels,
      annotations,
      ownerReferences: [makeControllerRef(config)],
    },
    spec: template.spec,
  };
}
