/**
 * Labels and annotations a revision passes to its Deployment, pods and PodAutoscaler.
 * Fidelity: knative/serving pkg/reconciler/revision/resources/meta.go — the revision's
 * labels minus routing state, plus `serving.knative.dev/revision`, `revisionUID` and
 * `app` (unless the user set it); annotations minus the routing bookkeeping.
 */
import { ANNOTATION, LABEL, type Revision } from '../../../apis/serving-types.js';
import { withoutKeys } from '../../shared.js';

const EXCLUDED_LABELS = [LABEL.routingState, LABEL.route];
const EXCLUDED_ANNOTATIONS = [ANNOTATION.routes, ANNOTATION.routingStateModified];

export function makeLabels(rev: Revision): Record<string, string> {
  const labels = withoutKeys(rev.metadata.labels, EXCLUDED_LABELS);
  labels[LABEL.revision] = rev.metadata.name;
  labels[LABEL.revisionUID] = rev.metadata.uid ?? '';
  labels.app ??= rev.metadata.name;
  return labels;
}

export function makeAnnotations(rev: Revision): Record<string, string> {
  return withoutKeys(rev.metadata.annotations, EXCLUDED_ANNOTATIONS);
}

/** The selector of a revision's pods: its uid label, unique across re-created revisions of one name. */
export function makeSelector(rev: Revision): { matchLabels: Record<string, string> } {
  return { matchLabels: { [LABEL.revisionUID]: rev.metadata.uid ?? '' } };
}
