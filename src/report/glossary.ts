/**
 * The Knative words `explain` uses, each said in a sentence or two and linked to Knative's own
 * documentation. `explain` ends with the terms its narration used; `explain --glossary` prints
 * them all. The explanations are knsim's; the links are knative.dev's pages on each subject.
 */

export interface GlossaryTerm {
  term: string;
  /** Finds the term in narrated text. */
  pattern: RegExp;
  meaning: string;
  url: string;
}

const DOCS = 'https://knative.dev/docs/serving';

export const GLOSSARY: readonly GlossaryTerm[] = [
  {
    term: 'Revision',
    pattern: /\brevision\b/i,
    meaning:
      "An immutable snapshot of a Service's code and configuration (`<service>-00001`, …). Each change of the template makes a new one; traffic is split between revisions.",
    url: `${DOCS}/revisions/`,
  },
  {
    term: 'Knative Pod Autoscaler (KPA)',
    pattern: /\bautoscaler\b|\bdesired \d/i,
    meaning:
      'Every 2 s decides how many pods each revision needs from the concurrency (or requests/s) its pods and the activator report, and scales the Deployment to that number, down to zero.',
    url: `${DOCS}/autoscaling/`,
  },
  {
    term: 'target and utilization',
    pattern: /\btarget\b.*\bper pod\b|\butilization\b/i,
    meaning:
      'The load one pod should carry: containerConcurrency (or container-concurrency-target-default, 100) times the target utilization (70%) — 70 concurrent requests by default. Desired pods = ceil(observed load / target).',
    url: `${DOCS}/autoscaling/concurrency/`,
  },
  {
    term: 'stable window',
    pattern: /stable window/i,
    meaning:
      'The 60 s (stable-window) over which the KPA averages the load in normal operation; a revision scales to zero only after a whole stable window without requests.',
    url: `${DOCS}/autoscaling/kpa-specific/`,
  },
  {
    term: 'panic mode and panic window',
    pattern: /\bpanic\b/i,
    meaning:
      'A short window (10% of the stable window, 6 s) that catches bursts: when it asks for at least panic-threshold-percentage (200%) of the ready pods, the KPA panics, scales on that window and never scales down until a stable window passes without a burst.',
    url: `${DOCS}/autoscaling/kpa-specific/`,
  },
  {
    term: 'rate limits',
    pattern: /max-scale-(up|down)-rate|rate limits?/i,
    meaning: 'max-scale-up-rate (1000) and max-scale-down-rate (2) bound one decision: at most 1000 × ready pods up, at least ready pods / 2 down.',
    url: 'https://github.com/knative/serving/blob/main/config/core/configmaps/autoscaler.yaml',
  },
  {
    term: 'scale bounds: min-scale, max-scale, initial scale, activation scale, scale-down delay',
    pattern: /min-scale|max-scale\b|activation-scale|initial scale|scale-down delay|scale-down-delay/i,
    meaning:
      "Per-revision bounds the PodAutoscaler applies to the KPA's decision: never fewer than min-scale or more than max-scale pods, start with initial-scale, jump to activation-scale when waking, and hold a scale-down for scale-down-delay.",
    url: `${DOCS}/autoscaling/scale-bounds/`,
  },
  {
    term: 'activator',
    pattern: /\bactivator\b/i,
    meaning:
      "Knative's buffering proxy. While it is in a revision's request path it holds requests until a pod has room — all of them when the revision has no pod — reports their concurrency to the autoscaler and pokes it when a request arrives at zero.",
    url: `${DOCS}/architecture/`,
  },
  {
    term: 'ServerlessService (SKS): Proxy and Serve',
    pattern: /\bSKS\b|\bProxy\b|\bServe\b|in the (request )?path|in path/,
    meaning:
      "Decides where a revision's traffic goes: in Proxy mode through the activator, in Serve mode straight to the pods. The PodAutoscaler picks Proxy at zero pods and whenever the excess burst capacity is negative.",
    url: `${DOCS}/request-flow/`,
  },
  {
    term: 'excess burst capacity and target burst capacity (TBC)',
    pattern: /burst capacity|\bTBC\b/i,
    meaning:
      'Spare room for a burst: ready pods × per-pod capacity − target-burst-capacity (211) − the load in the panic window. While it is negative the activator stays in the path to absorb bursts; TBC 0 keeps it there only at zero pods, -1 always.',
    url: `${DOCS}/load-balancing/target-burst-capacity/`,
  },
  {
    term: 'scale to zero, grace period, pod retention',
    pattern: /scal(e|ed|ing) to zero|zero pods|grace period|retention/i,
    meaning:
      'After a stable window without requests the PodAutoscaler marks the revision inactive, puts the activator in the path and removes the last pod once the activator is serving (scale-to-zero-grace-period, 30 s, at most) and any scale-to-zero-pod-retention-period has passed.',
    url: `${DOCS}/autoscaling/scale-to-zero/`,
  },
  {
    term: 'cold start',
    pattern: /cold start|waited for a pod|buffer/i,
    meaning:
      'A request that arrives while its revision has no ready pod waits in the activator while a pod is scheduled, its images pulled, its containers started and probed. knsim counts those requests (cold-start requests) and the pods that started from zero.',
    url: `${DOCS}/request-flow/`,
  },
  {
    term: 'queue-proxy',
    pattern: /queue-proxy/i,
    meaning:
      'The sidecar in every revision pod: it admits at most containerConcurrency requests at once to the app, queues the rest, reports concurrency to the autoscaler every second and drains on shutdown.',
    url: `${DOCS}/architecture/`,
  },
];

/** The glossary entries whose term appears in `text`, in glossary order. */
export function termsUsed(text: string): GlossaryTerm[] {
  return GLOSSARY.filter((t) => t.pattern.test(text));
}

/** A glossary section: each term, its meaning, and the Knative page on it. */
export function renderGlossary(terms: readonly GlossaryTerm[] = GLOSSARY): string {
  return ['Glossary', ...terms.map((t) => `  ${t.term}\n      ${t.meaning}\n      ${t.url}`)].join('\n');
}
