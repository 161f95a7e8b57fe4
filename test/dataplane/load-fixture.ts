/**
 * A ready-made data plane load for tests: one revision with N Ready pods behind one host,
 * and R Poisson arrivals, built apart from running. (Whole-simulation throughput is
 * measured by `npm run bench`, src/bench.)
 *
 * Fidelity: not a model of anything; the pods and routes are written straight into a
 * bare fake API, as the data plane tests do, with no Kubernetes controllers running.
 */
import { Engine, drawExponential, type Distribution, type Rng } from '../../src/engine/index.js';
import { ApiServer } from '../../src/k8s/api-server.js';
import type { Pod } from '../../src/apis/core.js';
import { LABEL, NETWORKING_API_VERSION, type Ingress, type ServerlessService } from '../../src/apis/serving-types.js';
import type { ActivatorStat } from '../../src/autoscaler/stats.js';
import { startDataplane, type Dataplane } from '../../src/dataplane/dataplane.js';
import type { HostEntry } from '../../src/dataplane/router.js';

export interface DataplaneBenchOptions {
  /** Ready pods of the revision. Default 10. */
  pods?: number;
  /** Requests to send. Default 1,000,000. */
  requests?: number;
  /** Arrival rate (Poisson), per virtual second. Default 2,000. */
  ratePerSecond?: number;
  /** Default 0 (no limit). */
  containerConcurrency?: number;
  /** Put the activator in the path (SKS Proxy). Default false. */
  proxy?: boolean;
  /** Default exponential with mean 20 ms. */
  serviceTime?: Distribution;
  seed?: string;
}

export interface DataplaneBench {
  readonly dataplane: Dataplane;
  readonly engine: Engine;
  /** Sends every request and runs until all have ended. */
  run(): { requests: number; events: number; simulatedMs: number; succeeded: number; failed: number };
}

const HOST = 'bench.default.example.com';
const REVISION = 'bench-00001';

interface Arrivals {
  dataplane: Dataplane;
  engine: Engine;
  host: HostEntry;
  rng: Rng;
  meanGapMs: number;
  left: number;
}

function arrive(state: Arrivals): void {
  state.dataplane.send(state.host);
  if (--state.left > 0) state.engine.after(drawExponential(state.rng, state.meanGapMs), arrive, state);
}

export function buildDataplaneBench(options: DataplaneBenchOptions = {}): DataplaneBench {
  const pods = options.pods ?? 10;
  const requests = options.requests ?? 1_000_000;
  const ratePerSecond = options.ratePerSecond ?? 2000;
  const cc = options.containerConcurrency ?? 0;
  const engine = new Engine({ seed: options.seed ?? 'bench' });
  const api = new ApiServer(engine);
  let reports = 0;
  const dataplane = startDataplane({
    engine,
    api,
    stats: { reportActivatorStat: (_stat: ActivatorStat) => void reports++ },
    apps: { 'bench/app': { serviceTime: options.serviceTime ?? { distribution: 'exponential', meanMs: 20 } } },
    options: { routePropagationMs: 0 },
  });
  const ingress: Ingress = {
    apiVersion: NETWORKING_API_VERSION,
    kind: 'Ingress',
    metadata: { name: 'bench', namespace: 'default' },
    spec: { rules: [{ hosts: [HOST], visibility: 'ExternalIP', splits: [{ revisionName: REVISION, serviceNamespace: 'default', percent: 100 }] }] },
  };
  api.create(ingress);
  const sks: ServerlessService = {
    apiVersion: NETWORKING_API_VERSION,
    kind: 'ServerlessService',
    metadata: { name: REVISION, namespace: 'default' },
    spec: { mode: options.proxy === true ? 'Proxy' : 'Serve', objectRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `${REVISION}-deployment` } },
  };
  api.create(sks);
  for (let i = 0; i < pods; i++) {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${REVISION}-deployment-${i}`, namespace: 'default', labels: { [LABEL.revision]: REVISION } },
      spec: { containers: [{ name: 'user-container', image: 'bench/app' }], containerConcurrency: cc, timeoutSeconds: 300 },
      status: { phase: 'Running', podIP: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`, conditions: [{ type: 'Ready', status: 'True' }] },
    };
    api.create(pod);
  }
  engine.run({ untilMs: 1 });
  return {
    dataplane,
    engine,
    run() {
      const startMs = engine.nowMs;
      const eventsBefore = engine.eventCount;
      if (requests > 0) {
        const state: Arrivals = {
          dataplane,
          engine,
          host: dataplane.hostHandle(HOST),
          rng: engine.rng('bench/arrivals'),
          meanGapMs: 1000 / ratePerSecond,
          left: requests,
        };
        engine.after(0, arrive, state);
      }
      // The activator's reporter ticks forever: run in slices until every request ended.
      const m = dataplane.measurements;
      while (m.arrived < requests || m.inFlight > 0) engine.run({ untilMs: engine.nowMs + 60_000 });
      return { requests: m.arrived, events: engine.eventCount - eventsBefore, simulatedMs: engine.nowMs - startMs, succeeded: m.succeeded, failed: m.failed };
    },
  };
}
