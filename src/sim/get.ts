/**
 * `knsim get`: any object at a virtual time, as `kubectl get` shows it. Core kinds use
 * kubectl's own printers (k8s/view.ts); Knative kinds the server-side tables of their CRDs:
 * NAME, then exactly the CRD's `additionalPrinterColumns` (no AGE: Knative's CRDs define
 * none), a missing value printed as an empty cell. Names resolve as kubectl resolves them:
 * singular, plural, short names (`ksvc`, `kservice`, `rev`, `rt`, `config`, `cfg`, `kpa`, `pa`,
 * `sks`) and `<name>.<group>`. `-o yaml|json` print the object (one by name) or kubectl's
 * `kind: List`, with RFC 3339 times.
 *
 * Printer columns: knative/serving config/core/300-resources/{service,configuration,revision,
 * route,podautoscaler}.yaml and knative/networking config/serverlessservice.yaml; cell values
 * as the apiextensions-apiserver table convertor renders a JSONPath (first match, nothing for
 * none). Fidelity: no categories (`get all`, `get knative`), labels or custom columns.
 */
import { TYPE } from '../apis/core.js';
import type { Condition, KObject } from '../apis/meta.js';
import { LABEL, type Configuration, type KnService, type PodAutoscaler, type Revision, type Route, type ServerlessService } from '../apis/serving-types.js';
import {
  CORE_PRINTERS,
  findPrinter,
  kubectlList,
  objectsFor,
  printTable,
  renderJson,
  renderYaml,
  type ApiServer,
  type KindPrinter,
  type KubectlOutput,
  type PrinterColumn,
} from '../k8s/index.js';
import type { DomainMapping } from '../apis/domainmapping.js';

const col = (name: string): PrinterColumn => ({ name, priority: 0 });

/** `.status.conditions[?(@.type=='Ready')].status` and `.reason`: empty when absent. */
function readyCells(o: KObject): [string, string] {
  const c = ((o.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find((x) => x.type === 'Ready');
  return [c?.status ?? '', c?.reason ?? ''];
}

/** An integer column: the number, or nothing when the field is absent. */
const int = (n: number | undefined): string => (n === undefined ? '' : String(Math.trunc(n)));

const READY_REASON = [col('READY'), col('REASON')];

/** Knative's kinds with their CRD printer columns. */
export const KNATIVE_PRINTERS: readonly KindPrinter[] = [
  {
    type: TYPE.knService,
    resource: 'services.serving.knative.dev',
    names: ['kservice', 'ksvc'],
    group: 'serving.knative.dev',
    version: 'v1',
    namespaced: true,
    columns: [col('NAME'), col('URL'), col('LATESTCREATED'), col('LATESTREADY'), ...READY_REASON],
    row: (o) => {
      const s = (o as KnService).status;
      return [o.metadata.name, s?.url ?? '', s?.latestCreatedRevisionName ?? '', s?.latestReadyRevisionName ?? '', ...readyCells(o)];
    },
  },
  {
    type: TYPE.configuration,
    resource: 'configurations.serving.knative.dev',
    names: ['configuration', 'configurations', 'config', 'cfg'],
    group: 'serving.knative.dev',
    version: 'v1',
    namespaced: true,
    columns: [col('NAME'), col('LATESTCREATED'), col('LATESTREADY'), ...READY_REASON],
    row: (o) => {
      const s = (o as Configuration).status;
      return [o.metadata.name, s?.latestCreatedRevisionName ?? '', s?.latestReadyRevisionName ?? '', ...readyCells(o)];
    },
  },
  {
    type: TYPE.revision,
    resource: 'revisions.serving.knative.dev',
    names: ['revision', 'revisions', 'rev'],
    group: 'serving.knative.dev',
    version: 'v1',
    namespaced: true,
    columns: [col('NAME'), col('CONFIG NAME'), col('GENERATION'), ...READY_REASON, col('ACTUAL REPLICAS'), col('DESIRED REPLICAS')],
    row: (o) => {
      const r = o as Revision;
      const l = r.metadata.labels ?? {};
      return [
        r.metadata.name,
        l[LABEL.configuration] ?? '',
        l[LABEL.configurationGeneration] ?? '',
        ...readyCells(o),
        int(r.status?.actualReplicas),
        int(r.status?.desiredReplicas),
      ];
    },
  },
  {
    type: TYPE.route,
    resource: 'routes.serving.knative.dev',
    names: ['route', 'routes', 'rt'],
    group: 'serving.knative.dev',
    version: 'v1',
    namespaced: true,
    columns: [col('NAME'), col('URL'), ...READY_REASON],
    row: (o) => [o.metadata.name, (o as Route).status?.url ?? '', ...readyCells(o)],
  },
  {
    type: TYPE.domainMapping,
    resource: 'domainmappings.serving.knative.dev',
    names: ['domainmapping', 'domainmappings', 'dm'],
    group: 'serving.knative.dev',
    version: 'v1beta1',
    namespaced: true,
    columns: [col('NAME'), col('URL'), ...READY_REASON],
    row: (o) => [o.metadata.name, (o as DomainMapping).status?.url ?? '', ...readyCells(o)],
  },
  {
    type: TYPE.podAutoscaler,
    resource: 'podautoscalers.autoscaling.internal.knative.dev',
    names: ['podautoscaler', 'podautoscalers', 'kpa', 'pa'],
    group: 'autoscaling.internal.knative.dev',
    version: 'v1alpha1',
    namespaced: true,
    columns: [col('NAME'), col('DESIREDSCALE'), col('ACTUALSCALE'), ...READY_REASON],
    row: (o) => {
      const s = (o as PodAutoscaler).status;
      return [o.metadata.name, int(s?.desiredScale), int(s?.actualScale), ...readyCells(o)];
    },
  },
  {
    type: TYPE.serverlessService,
    resource: 'serverlessservices.networking.internal.knative.dev',
    names: ['serverlessservice', 'serverlessservices', 'sks'],
    group: 'networking.internal.knative.dev',
    version: 'v1alpha1',
    namespaced: true,
    columns: [col('NAME'), col('MODE'), col('ACTIVATORS'), col('SERVICENAME'), col('PRIVATESERVICENAME'), ...READY_REASON],
    row: (o) => {
      const s = o as ServerlessService;
      return [o.metadata.name, s.spec.mode ?? '', int(s.spec.numActivators), s.status?.serviceName ?? '', s.status?.privateServiceName ?? '', ...readyCells(o)];
    },
  },
];

/** Knative's `service.serving.knative.dev` also answers to its singular and plural with the group. */
const PRINTERS: readonly KindPrinter[] = [
  ...CORE_PRINTERS,
  ...KNATIVE_PRINTERS.map((p) =>
    p.type === TYPE.knService ? { ...p, names: [...p.names, 'service.serving.knative.dev', 'services.serving.knative.dev'] } : p,
  ),
];

/** Every kind name `get` accepts, for help and did-you-mean. */
export const GET_KINDS = [
  'ksvc',
  'configuration',
  'revision',
  'route',
  'domainmapping',
  'podautoscaler',
  'sks',
  'deployment',
  'replicaset',
  'pod',
  'service',
  'endpoints',
  'configmap',
  'node',
] as const;

export type GetOutput = 'table' | 'wide' | 'yaml' | 'json';

export interface GetOptions {
  name?: string;
  namespace?: string;
  /** kubectl -A: every namespace, with a NAMESPACE column. */
  allNamespaces?: boolean;
  output?: GetOutput;
  nowMs: number;
}

/**
 * What `kubectl get <kind> [name]` prints for the objects at `nowMs`: stdout, stderr (kubectl's
 * errors, and `No resources found…`, which kubectl writes to stderr) and kubectl's exit code.
 */
export function getObjects(api: ApiServer, kind: string, options: GetOptions): KubectlOutput {
  const printer = findPrinter(PRINTERS, kind);
  if (printer === undefined) return { code: 1, stdout: '', stderr: `error: the server doesn't have a resource type "${kind}"\n` };
  const output = options.output ?? 'table';
  const table = { namespace: options.namespace, name: options.name, allNamespaces: options.allNamespaces, wide: output === 'wide' };
  const objects = objectsFor(api, printer, table);
  if (!Array.isArray(objects)) return { code: 1, stdout: '', stderr: `${objects.notFound}\n` };
  if (output === 'yaml' || output === 'json') {
    const doc = options.name !== undefined ? objects[0] : kubectlList(objects);
    return { code: 0, stdout: output === 'json' ? renderJson(doc) : renderYaml(doc), stderr: '' };
  }
  return printTable(printer, objects, options.nowMs, table);
}
