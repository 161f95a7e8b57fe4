// Builders shared by the k8s tests: a world (engine + API + Kubernetes) and Deployments.
import { Engine } from '../../src/engine/index.js';
import { must } from '../../src/engine/assert.js';
import { TYPE, isPodReady, type Deployment, type Pod } from '../../src/apis/core.js';
import { ApiServer } from '../../src/k8s/api-server.js';
import { startKubernetes, type ClusterProfile, type Kubernetes, type NodeProfile } from '../../src/k8s/index.js';

export interface World {
  engine: Engine;
  api: ApiServer;
  k8s: Kubernetes;
}

export function makeWorld(profile: Partial<ClusterProfile> = { jitter: 0 }, nodes?: NodeProfile[], seed: string | number = 1): World {
  const engine = new Engine({ seed });
  const api = new ApiServer(engine, { watchLatencyMs: 5 });
  const k8s = startKubernetes({ engine, api, profile, nodes });
  return { engine, api, k8s };
}

export interface DeploymentOptions {
  replicas?: number;
  image?: string;
  cpu?: string;
  memory?: string;
  strategy?: Deployment['spec']['strategy'];
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
  probe?: { initialDelaySeconds?: number; periodSeconds?: number };
  grace?: number;
}

export function deployment(name: string, o: DeploymentOptions = {}): Deployment {
  const container: Deployment['spec']['template']['spec']['containers'][number] = { name: 'app', image: o.image ?? 'registry/app:1' };
  if (o.cpu !== undefined || o.memory !== undefined)
    container.resources = { requests: { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.memory ? { memory: o.memory } : {}) } };
  if (o.probe !== undefined) container.readinessProbe = { httpGet: { path: '/', port: 8080 }, ...o.probe };
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: o.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [container], ...(o.grace !== undefined ? { terminationGracePeriodSeconds: o.grace } : {}) },
      },
    },
  };
  if (o.strategy !== undefined) d.spec.strategy = o.strategy;
  if (o.progressDeadlineSeconds !== undefined) d.spec.progressDeadlineSeconds = o.progressDeadlineSeconds;
  if (o.revisionHistoryLimit !== undefined) d.spec.revisionHistoryLimit = o.revisionHistoryLimit;
  return d;
}

export function podsOf(w: World, app: string): Pod[] {
  return w.api.list<Pod>(TYPE.pod, { namespace: 'default', selector: { app } });
}

export function readyPods(w: World, app: string): Pod[] {
  return podsOf(w, app).filter(isPodReady);
}

/** Copies the stored Deployment, edits it, and updates it. */
export function editDeployment(w: World, name: string, edit: (d: Deployment) => void): Deployment {
  const d = structuredClone(w.api.get<Deployment>(TYPE.deployment, 'default', name)) as Deployment;
  edit(d);
  return w.api.update(d);
}

/** Rolls a Deployment's (single) container to a new image. */
export function setImage(w: World, name: string, image: string): Deployment {
  return editDeployment(w, name, (d) => {
    must(d.spec.template.spec.containers[0], 'a Deployment container').image = image;
  });
}
