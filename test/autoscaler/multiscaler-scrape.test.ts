// The multiscaler scrapes a one-pod revision through a handle it opened (PodStatSource.open)
// and opens it again when the ready pod is another one, even if the source's version did not
// move: a handle stands for one pod, not for "the revision's pod".
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { ApiServer } from '../../src/k8s/api-server.js';
import type { Pod } from '../../src/apis/core.js';
import { AUTOSCALING_API_VERSION, LABEL, type PodAutoscaler } from '../../src/apis/serving-types.js';
import { defaultAutoscalerConfig } from '../../src/apis/config/autoscaler.js';
import { MultiScaler } from '../../src/autoscaler/multiscaler.js';
import { makeDeciderSpec, makeMetricSpec } from '../../src/autoscaler/kpa/resources.js';
import type { PodStat, PodStatSource } from '../../src/autoscaler/index.js';

const NS = 'default';
const REV = 'hello-00001';

function pod(name: string, ready: boolean): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { [LABEL.revision]: REV } },
    spec: { containers: [{ name: 'user-container' }] },
    status: { phase: 'Running', startTime: 0, podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: 0 }] },
  };
}

describe('multiscaler scrapes', () => {
  it('open the ready pod again when it is another pod, whatever the source version says', () => {
    const engine = new Engine({ seed: 1 });
    const api = new ApiServer(engine, { watchLatencyMs: 0 });
    const scraped: string[] = [];
    const stat = (podName: string): PodStat => {
      scraped.push(podName);
      return { podName, averageConcurrency: 1, averageProxiedConcurrency: 0, requestCount: 1, proxiedRequestCount: 0, processUptimeSeconds: 1 };
    };
    // A source whose version never moves: only the pod's identity can tell the handle is stale.
    const podStats: PodStatSource = { scrape: (_ns, name) => stat(name), open: (_ns, name) => ({ scrape: () => stat(name) }), version: () => 0 };
    const multiscaler = new MultiScaler(engine, api, podStats, () => undefined);
    const pa = { apiVersion: AUTOSCALING_API_VERSION, kind: 'PodAutoscaler', metadata: { name: REV, namespace: NS }, spec: {} } as PodAutoscaler;
    const cfg = defaultAutoscalerConfig();
    api.create(pod('a', true));
    api.create(pod('b', false));
    multiscaler.reconcile(NS, REV, REV, makeDeciderSpec(pa, cfg), makeMetricSpec(pa, cfg), 1);
    engine.run({ untilMs: 3000 });
    expect(scraped.at(-1)).toBe('a');
    // b becomes the one ready pod, a is no longer ready.
    api.updateStatus(pod('b', true));
    api.updateStatus(pod('a', false));
    scraped.length = 0;
    engine.run({ untilMs: 6000 });
    expect(scraped.length).toBeGreaterThan(0);
    expect(new Set(scraped)).toEqual(new Set(['b']));
  });
});
