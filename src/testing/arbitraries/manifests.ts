/**
 * fast-check arbitraries of Knative Service manifests (serving.knative.dev/v1) as a user writes
 * them: one container with an image from a given list, optional containerConcurrency and
 * timeoutSeconds within the webhook's bounds, autoscaling annotations, an optional BYO revision
 * name, an optional cluster-local label, and traffic blocks with tags (all to the latest
 * revision, or to the BYO-named one). Each draw is defaulted and validated with Knative's own
 * webhook rules (src/apis/serving-defaults.ts, serving-validation.ts) under the given
 * config-autoscaler; only what they accept is generated.
 *
 * Fidelity: the PodSpec is a single container (no ports, probes or resources).
 */
import fc from 'fast-check';
import { deepCopy } from '../../apis/meta.js';
import {
  DEFAULT_CONTAINER_CONCURRENCY_MAX_LIMIT as CONTAINER_CONCURRENCY_MAX_LIMIT,
  DEFAULT_MAX_REVISION_TIMEOUT_SECONDS as MAX_REVISION_TIMEOUT_SECONDS,
} from '../../apis/config/defaults.js';
import { defaultService } from '../../apis/serving-defaults.js';
import type { KnService } from '../../apis/serving-types.js';
import { validateService } from '../../apis/serving-validation.js';
import { autoscalerConfigOf, type AutoscalerConfigInput } from '../../autoscaler/decider-inputs.js';
import { service, type ServiceOptions } from '../builder.js';
import { autoscalingAnnotationsArb, type AutoscalingLimits } from './autoscaling.js';

export interface KnServiceArbOptions extends AutoscalingLimits {
  /** The Service's name (default drawn from a few DNS labels). */
  name?: string;
  /** Images to pick from (default `rainbows`). */
  images?: readonly string[];
  /** The config-autoscaler the annotations must satisfy (Knative's defaults when omitted). */
  config?: AutoscalerConfigInput;
  /** Largest containerConcurrency drawn (default 100; Knative allows up to 1000). */
  maxContainerConcurrency?: number;
}

const NAMES = ['sunshine', 'moon', 'rainbow', 'hello'] as const;
const TAGS = ['current', 'candidate', 'blue', 'green'] as const;

/** A Knative Service manifest that Knative's webhook accepts. */
export function knServiceArb(options: KnServiceArbOptions = {}): fc.Arbitrary<KnService> {
  const config = autoscalerConfigOf(options.config);
  const images = options.images ?? ['rainbows'];
  const maxCc = Math.min(CONTAINER_CONCURRENCY_MAX_LIMIT, options.maxContainerConcurrency ?? 100);
  return fc
    .record(
      {
        name: options.name === undefined ? fc.constantFrom(...NAMES) : fc.constant(options.name),
        image: fc.constantFrom(...images),
        extras: fc.record(
          {
            containerConcurrency: fc.integer({ min: 0, max: maxCc }),
            timeoutSeconds: fc.integer({ min: 1, max: MAX_REVISION_TIMEOUT_SECONDS }),
            annotations: autoscalingAnnotationsArb(config, options),
            env: fc.dictionary(fc.constantFrom('RELEASE', 'MODE', 'COLOR'), fc.constantFrom('1', '2', 'blue'), { maxKeys: 2 }),
            byoRevision: fc.constantFrom('v1', 'first'),
            clusterLocal: fc.constant(true),
          },
          { requiredKeys: [] },
        ),
        traffic: fc.constantFrom('none', 'latest', 'latest-tagged', 'latest-and-candidate', 'byo-tagged'),
        tags: fc.shuffledSubarray([...TAGS], { minLength: 2, maxLength: 2 }),
      },
      { requiredKeys: ['name', 'image', 'extras', 'traffic', 'tags'] },
    )
    .map(({ name, image, extras, traffic, tags }) => {
      const o: ServiceOptions = { image };
      if (extras.containerConcurrency !== undefined) o.containerConcurrency = extras.containerConcurrency;
      if (extras.timeoutSeconds !== undefined) o.timeoutSeconds = extras.timeoutSeconds;
      if (extras.annotations !== undefined && Object.keys(extras.annotations).length > 0) o.annotations = extras.annotations;
      if (extras.env !== undefined && Object.keys(extras.env).length > 0) o.env = extras.env;
      if (extras.clusterLocal === true) o.clusterLocal = true;
      const byo = extras.byoRevision === undefined ? undefined : `${name}-${extras.byoRevision}`;
      if (byo !== undefined) o.revisionName = byo;
      const [first = 'current', second = 'candidate'] = tags;
      switch (traffic) {
        case 'latest':
          o.traffic = [{ latestRevision: true, percent: 100 }];
          break;
        case 'latest-tagged':
          o.traffic = [{ latestRevision: true, percent: 100, tag: first }];
          break;
        case 'latest-and-candidate':
          o.traffic = [
            { latestRevision: true, percent: 100 },
            { latestRevision: true, percent: 0, tag: second },
          ];
          break;
        case 'byo-tagged':
          o.traffic = byo === undefined ? [{ latestRevision: true, percent: 100 }] : [{ revisionName: byo, percent: 100, tag: first }];
          break;
        case 'none':
          break;
      }
      return service(name, o);
    })
    .filter((svc) => {
      const copy = deepCopy(svc);
      defaultService(copy);
      return validateService(copy, undefined, { autoscalerConfig: config }).length === 0;
    });
}
