/**
 * `knsim get`: any object at a virtual time, as `kubectl get` shows it. Core kinds use
 * the Kubernetes view; Knative kinds use the printer columns of Knative's CRDs
 * (knative/serving config/core/300-resources/*.yaml additionalPrinterColumns).
 */
import { formatAge, must } from '../engine/index.js';
import { TYPE } from '../apis/core.js';
import { getCondition } from '../apis/conditions.js';
import type { KObject } from '../apis/meta.js';
import { LABEL, type Configuration, type KnService, type PodAutoscaler, type Revision, type Route, type ServerlessService } from '../apis/serving-types.js';
import { formatColumns, renderTable, renderYaml, resolveKind, type ApiServer } from '../k8s/index.js';

interface KnativeKind {
  type: string;
  resource: string;
  headers: string[];
  row: (obj: KObject, nowMs: number) => string[];
}

const ready = (o: KObject): string[] => {
  const c = getCondition((o.status as { conditions?: never[] } | undefined)?.conditions, 'Ready');
  return [c?.status ?? 'Unknown', c?.status === 'True' ? '' : (c?.reason ?? '')];
};

const KNATIVE: Record<string, KnativeKind> = {
  ksvc: {
    type: TYPE.knService,
    resource: 'services.serving.knative.dev',
    headers: ['NAME', 'URL', 'LATESTCREATED', 'LATESTREADY', 'READY', 'REASON'],
    row: (o) => {
      const s = (o as KnService).status;
      return [o.metadata.name, s?.url ?? '', s?.latestCreatedRevisionName ?? '', s?.latestReadyRevisionName ?? '', ...ready(o)];
    },
  },
  configuration: {
    type: TYPE.configuration,
    resource: 'configurations.serving.knative.dev',
    headers: ['NAME', 'LATESTCREATED', 'LATESTREADY', 'READY', 'REASON'],
    row: (o) => {
      const s = (o as Configuration).status;
      return [o.metadata.name, s?.latestCreatedRevisionName ?? '', s?.latestReadyRevisionName ?? '', ...ready(o)];
    },
  },
  revision: {
    type: TYPE.revision,
    resource: 'revisions.serving.knative.dev',
    headers: ['NAME', 'CONFIG NAME', 'GENERATION', 'READY', 'REASON', 'ACTUAL REPLICAS', 'DESIRED REPLICAS'],
    row: (o) => {
      const r = o as Revision;
      const l = r.metadata.labels ?? {};
      return [
        r.metadata.name,
        l[LABEL.configuration] ?? '',
        l[LABEL.configurationGeneration] ?? '',
        ...ready(o),
        String(r.status?.actualReplicas ?? ''),
        String(r.status?.desiredReplicas ?? ''),
      ];
    },
  },
  route: {
    type: TYPE.route,
    resource: 'routes.serving.knative.dev',
    headers: ['NAME', 'URL', 'READY', 'REASON'],
    row: (o) => [o.metadata.name, (o as Route).status?.url ?? '', ...ready(o)],
  },
  podautoscaler: {
    type: TYPE.podAutoscaler,
    resource: 'podautoscalers.autoscaling.internal.knative.dev',
    headers: ['NAME', 'DESIREDSCALE', 'ACTUALSCALE', 'READY', 'REASON'],
    row: (o) => {
      const s = (o as PodAutoscaler).status;
      return [o.metadata.name, String(s?.desiredScale ?? ''), String(s?.actualScale ?? ''), ...ready(o)];
    },
  },
  sks: {
    type: TYPE.serverlessService,
    resource: 'serverlessservices.networking.internal.knative.dev',
    headers: ['NAME', 'MODE', 'ACTIVATORS', 'SERVICENAME', 'PRIVATESERVICENAME', 'READY', 'REASON'],
    row: (o) => {
      const s = o as ServerlessService;
      return [o.metadata.name, s.spec.mode, String(s.spec.numActivators ?? ''), s.status?.serviceName ?? '', s.status?.privateServiceName ?? '', ...ready(o)];
    },
  },
};

const KNATIVE_ALIASES: Record<string, string> = {
  ksvc: 'ksvc',
  ksvcs: 'ksvc',
  kservice: 'ksvc',
  kservices: 'ksvc',
  'service.serving.knative.dev': 'ksvc',
  configuration: 'configuration',
  configurations: 'configuration',
  config: 'configuration',
  cfg: 'configuration',
  revision: 'revision',
  revisions: 'revision',
  rev: 'revision',
  route: 'route',
  routes: 'route',
  rt: 'route',
  podautoscaler: 'podautoscaler',
  podautoscalers: 'podautoscaler',
  kpa: 'podautoscaler',
  pa: 'podautoscaler',
  sks: 'sks',
  serverlessservice: 'sks',
  serverlessservices: 'sks',
};

const CORE_RESOURCES: Record<string, string> = {
  [TYPE.pod]: 'pods',
  [TYPE.node]: 'nodes',
  [TYPE.deployment]: 'deployments.apps',
  [TYPE.replicaSet]: 'replicasets.apps',
};

/** Every kind name `get` accepts, for help and did-you-mean. */
export const GET_KINDS = ['ksvc', 'configuration', 'revision', 'route', 'podautoscaler', 'sks', 'deployment', 'replicaset', 'pod', 'node'] as const;

export type GetOutput = 'table' | 'yaml' | 'json';

export interface GetOptions {
  name?: string;
  namespace?: string;
  output?: GetOutput;
  nowMs: number;
}

/** The objects of a kind (or one by name) as a table, YAML or JSON; `{ok: false}` with kubectl's message when unknown or missing. */
export function getObjects(api: ApiServer, kind: string, options: GetOptions): { ok: boolean; text: string } {
  const namespace = options.namespace ?? 'default';
  const output = options.output ?? 'table';
  const knative = Object.hasOwn(KNATIVE_ALIASES, kind.toLowerCase()) ? KNATIVE_ALIASES[kind.toLowerCase()] : undefined;
  // A Knative kind by its aliases, else a core kind by the Kubernetes view's.
  const info = knative === undefined || !Object.hasOwn(KNATIVE, knative) ? undefined : KNATIVE[knative];
  const type = info === undefined ? resolveKind(kind) : info.type;
  if (type === undefined) return { ok: false, text: `error: the server doesn't have a resource type "${kind}"` };
  if (info === undefined && output === 'table') {
    const text = renderTable(api, kind, options.nowMs, { namespace, name: options.name });
    return { ok: !text.startsWith('Error') && !text.startsWith('error'), text };
  }
  const resource = info?.resource ?? (Object.hasOwn(CORE_RESOURCES, type) ? CORE_RESOURCES[type] : undefined) ?? kind;
  const isNamespaced = type !== TYPE.node;
  const objects =
    options.name !== undefined
      ? [api.get(type, isNamespaced ? namespace : '', options.name)].filter((o): o is KObject => o !== undefined)
      : api.list(type, isNamespaced ? { namespace } : {});
  if (options.name !== undefined && objects.length === 0) return { ok: false, text: `Error from server (NotFound): ${resource} "${options.name}" not found` };
  if (output === 'yaml') return { ok: true, text: objects.map((o) => renderYaml(o)).join('---\n') };
  if (output === 'json')
    return {
      ok: true,
      text: JSON.stringify(objects.length === 1 && options.name !== undefined ? objects[0] : { apiVersion: 'v1', kind: 'List', items: objects }, null, 2),
    };
  if (objects.length === 0) return { ok: true, text: `No resources found in ${namespace} namespace.` };
  const kindInfo = must(info, 'a core kind renders its table through the Kubernetes view above');
  return {
    ok: true,
    text: formatColumns([
      [...kindInfo.headers, 'AGE'],
      ...objects.map((o) => [...kindInfo.row(o, options.nowMs), formatAge(options.nowMs - (o.metadata.creationTimestamp ?? 0))]),
    ]),
  };
}
