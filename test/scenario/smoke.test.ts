import { it } from 'vitest';
import { loadScenario, formatDiagnostic } from '../../src/scenario/index.js';
const text = `name: demo
duraton: 5m
seed: 7
cluster:
  nodes: 3
  coldStart:
    imagePull: {base: 500ms, bandwidth: 50Mi}
    jitter: 0.1
config:
  config-autoscaler:
    stable-windw: 30s
    enable-scale-to-zero: true
    stable-window: 3s
apps:
  rainbows:
    serviceTime: {distribution: lognormal, median: 20ms, p99: 200ms}
    imageSize: 250Mi
timeline:
  - at: 0s
    kn: kn service create sunshine --image=rainbows
  - at: 10s
    apply: |
      apiVersion: serving.knative.dev/v1
      kind: Service
      metadata:
        name: hello
      spec:
        template:
          spec:
            containerConcurrency: 5000
            containers:
              - image: rainbows
  - at: 20
    delete: ksvcc/sunshine
traffic:
  - target: {service: sunshine}
    pattern: poison
    rate: 10
expect:
  - at: 1m
    revision: sunshine-00001
    readyPods: {min: 1}
`;
it('smoke', () => {
  const r = loadScenario(text, { file: 'demo.yaml' });
  for (const d of r.diagnostics) console.log(formatDiagnostic(d));
  console.log(JSON.stringify(r.scenario, null, 1)?.slice(0, 3000));
});
