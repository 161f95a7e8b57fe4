/**
 * The structural schema of the kinds knsim applies: the JSON type of every field the
 * simulator reads (and of their neighbours in the same Go structs), as Knative's CRD
 * schemas (config/core/300-resources/{service,configuration,route}.yaml) and Kubernetes'
 * Go types (k8s.io/api core/v1: ObjectMeta, Container, ContainerPort, EnvVar, Probe, …,
 * ConfigMap) declare them. `checkStructure` checks a manifest against it before defaulting
 * and validation, so a value of the wrong type is refused the way the cluster refuses it,
 * located at the field, instead of reaching a controller: `ports: "8080"`, `env: oops`,
 * `containers: [null]`, `traffic: oops`, an unquoted number as an annotation value, a
 * number as a namespace.
 *
 * The messages are the cluster's, by where the check happens there:
 * - `metadata` of any kind: kubectl's decode, `json: cannot unmarshal number into Go struct
 *   field ObjectMeta.metadata.annotations of type string`;
 * - the body of a Knative kind: the CRD's OpenAPI validation,
 *   `spec.template.spec.containers[0].ports: Invalid value: "string": spec.template.spec.containers[0].ports in body must be of type array: "string"`,
 *   and an integer too large for its Go field: the webhook's decode, `json: cannot unmarshal
 *   number 99999999999 into Go struct field ContainerPort.….containerPort of type int32`;
 * - the body of a ConfigMap (a built-in kind): the API server's decode,
 *   `ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string`.
 *
 * Fidelity: a `null` field is dropped, as the API server prunes nulls of non-nullable fields;
 * a `null` list item is refused. Fields the schema does not list are kept unchecked (the
 * CRD would prune them; knsim does not read them). A YAML alias that makes a manifest
 * contain itself is refused (JSON has no cycles).
 */
import { setOwn } from './meta.js';

/** The JSON type a field takes; `go` names the Go struct or type the messages cite. */
type FieldType =
  | { t: 'string' }
  | { t: 'boolean' }
  | { t: 'integer'; bits: 32 | 64 }
  /** A resource quantity: an integer or a string of the quantity grammar. */
  | { t: 'quantity' }
  /** A port by number or by name (`intstr.IntOrString`). */
  | { t: 'int-or-string' }
  | { t: 'object'; go: string; fields: Readonly<Record<string, FieldType>> }
  | { t: 'array'; go: string; items: FieldType }
  | { t: 'map'; go: string; values: FieldType };

/** A problem found by `checkStructure`, with the field path (for locating it) and the cluster's whole message. */
export interface StructureError {
  /** `spec.template.spec.containers[0].ports`, as FieldError paths are written. */
  path: string;
  message: string;
}

const STRING: FieldType = { t: 'string' };
const BOOLEAN: FieldType = { t: 'boolean' };
const INT32: FieldType = { t: 'integer', bits: 32 };
const INT64: FieldType = { t: 'integer', bits: 64 };
const QUANTITY: FieldType = { t: 'quantity' };
const INT_OR_STRING: FieldType = { t: 'int-or-string' };
const object = (go: string, fields: Record<string, FieldType>): FieldType => ({ t: 'object', go, fields });
const array = (go: string, items: FieldType): FieldType => ({ t: 'array', go, items });
const STRING_MAP: FieldType = { t: 'map', go: 'map[string]string', values: STRING };
const STRING_LIST: FieldType = array('[]string', STRING);

const OBJECT_META = object('ObjectMeta', {
  name: STRING,
  generateName: STRING,
  namespace: STRING,
  labels: STRING_MAP,
  annotations: STRING_MAP,
  finalizers: STRING_LIST,
});

const HTTP_HEADER = object('HTTPHeader', { name: STRING, value: STRING });
const PROBE = object('Probe', {
  exec: object('ExecAction', { command: STRING_LIST }),
  httpGet: object('HTTPGetAction', { path: STRING, port: INT_OR_STRING, host: STRING, scheme: STRING, httpHeaders: array('[]v1.HTTPHeader', HTTP_HEADER) }),
  tcpSocket: object('TCPSocketAction', { port: INT_OR_STRING, host: STRING }),
  grpc: object('GRPCAction', { port: INT32, service: STRING }),
  initialDelaySeconds: INT32,
  timeoutSeconds: INT32,
  periodSeconds: INT32,
  successThreshold: INT32,
  failureThreshold: INT32,
  terminationGracePeriodSeconds: INT64,
});

const CONTAINER = object('Container', {
  name: STRING,
  image: STRING,
  command: STRING_LIST,
  args: STRING_LIST,
  workingDir: STRING,
  ports: array('[]v1.ContainerPort', object('ContainerPort', { name: STRING, containerPort: INT32, protocol: STRING, hostPort: INT32, hostIP: STRING })),
  env: array('[]v1.EnvVar', object('EnvVar', { name: STRING, value: STRING })),
  resources: object('ResourceRequirements', {
    limits: { t: 'map', go: 'v1.ResourceList', values: QUANTITY },
    requests: { t: 'map', go: 'v1.ResourceList', values: QUANTITY },
  }),
  livenessProbe: PROBE,
  readinessProbe: PROBE,
  startupProbe: PROBE,
  imagePullPolicy: STRING,
  terminationMessagePath: STRING,
  terminationMessagePolicy: STRING,
});

const REVISION_SPEC = object('RevisionSpec', {
  containers: array('[]v1.Container', CONTAINER),
  initContainers: array('[]v1.Container', CONTAINER),
  containerConcurrency: INT64,
  timeoutSeconds: INT64,
  responseStartTimeoutSeconds: INT64,
  idleTimeoutSeconds: INT64,
  serviceAccountName: STRING,
  enableServiceLinks: BOOLEAN,
  automountServiceAccountToken: BOOLEAN,
  nodeSelector: STRING_MAP,
  runtimeClassName: STRING,
  priorityClassName: STRING,
  schedulerName: STRING,
  dnsPolicy: STRING,
  imagePullSecrets: array('[]v1.LocalObjectReference', object('LocalObjectReference', { name: STRING })),
});

const REVISION_TEMPLATE = object('RevisionTemplateSpec', {
  metadata: object('ObjectMeta', { name: STRING, namespace: STRING, labels: STRING_MAP, annotations: STRING_MAP, finalizers: STRING_LIST }),
  spec: REVISION_SPEC,
});

const TRAFFIC = array(
  '[]v1.TrafficTarget',
  object('TrafficTarget', { tag: STRING, revisionName: STRING, configurationName: STRING, latestRevision: BOOLEAN, percent: INT64, url: STRING }),
);

/** The body (everything but metadata) of each kind, by API server type key. */
const BODIES: Readonly<Record<string, { kind: string; crd: boolean; fields: Readonly<Record<string, FieldType>> }>> = {
  'Service.serving.knative.dev': { kind: 'Service', crd: true, fields: { spec: object('ServiceSpec', { template: REVISION_TEMPLATE, traffic: TRAFFIC }) } },
  'Configuration.serving.knative.dev': { kind: 'Configuration', crd: true, fields: { spec: object('ConfigurationSpec', { template: REVISION_TEMPLATE }) } },
  'Route.serving.knative.dev': { kind: 'Route', crd: true, fields: { spec: object('RouteSpec', { traffic: TRAFFIC }) } },
  ConfigMap: { kind: 'ConfigMap', crd: false, fields: { data: STRING_MAP, binaryData: STRING_MAP, immutable: BOOLEAN } },
};

/** The quantity grammar of the CRD schemas (resource.Quantity). */
const QUANTITY_PATTERN = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';
const QUANTITY_RE = new RegExp(QUANTITY_PATTERN);

/** How the cluster names a JSON value's type: in the CRD's schema validation, and in Go's decoder. */
function schemaTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

function goJsonTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'number';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value;
}

function goTypeName(type: FieldType): string {
  switch (type.t) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'integer':
      return type.bits === 32 ? 'int32' : 'int64';
    case 'quantity':
      return 'resource.Quantity';
    case 'int-or-string':
      return 'intstr.IntOrString';
    case 'object':
      return `v1.${type.go}`;
    default:
      return type.go;
  }
}

function schemaTypeWanted(type: FieldType): string {
  switch (type.t) {
    case 'map':
    case 'object':
      return 'object';
    case 'quantity':
    case 'int-or-string':
      return 'integer or string';
    default:
      return type.t;
  }
}

/** Where the checker is: the field path with indices (`a.b[0].c`), without (`a.b.c`, Go's), and the Go struct holding the field. */
interface Place {
  path: string;
  goPath: string;
  struct: string;
}

class Checker {
  readonly errors: StructureError[] = [];
  private readonly onPath = new Set<object>();

  constructor(
    /** How a type error reads here: Go's decoder (metadata, built-in kinds) or the CRD's schema. */
    private readonly style: (place: Place, value: unknown, type: FieldType) => string,
    /** A Knative kind: an integer that fits JSON but not its Go field is the webhook's decode error. */
    private readonly crd: boolean,
  ) {}

  value(value: unknown, type: FieldType, place: Place): unknown {
    switch (type.t) {
      case 'string':
        return typeof value === 'string' ? value : this.fail(place, value, type);
      case 'boolean':
        return typeof value === 'boolean' ? value : this.fail(place, value, type);
      case 'integer':
        if (typeof value !== 'number' || !Number.isInteger(value)) return this.fail(place, value, type);
        if (type.bits === 32 ? value > 2147483647 || value < -2147483648 : !Number.isSafeInteger(value) && Math.abs(value) >= 2 ** 63) {
          this.errors.push({ path: place.path, message: this.overflow(place, value, type) });
          return undefined;
        }
        return value;
      case 'int-or-string':
        if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) return value;
        return this.fail(place, value, type);
      case 'quantity':
        if (typeof value === 'number' && Number.isInteger(value)) return value;
        if (typeof value !== 'string') return this.fail(place, value, type);
        if (!QUANTITY_RE.test(value)) {
          this.errors.push({
            path: place.path,
            message: `${place.path}: Invalid value: ${JSON.stringify(value)}: ${place.path} in body should match '${QUANTITY_PATTERN}'`,
          });
          return undefined;
        }
        return value;
      case 'array': {
        if (!Array.isArray(value)) return this.fail(place, value, type);
        if (!this.enter(value, place)) return undefined;
        const out: unknown[] = [];
        value.forEach((item, i) => {
          const itemPlace = { path: `${place.path}[${i}]`, goPath: place.goPath, struct: place.struct };
          if (item === null || item === undefined) {
            this.fail(itemPlace, null, type.items);
            return;
          }
          const v = this.value(item, type.items, itemPlace);
          if (v !== undefined) out.push(v);
        });
        this.onPath.delete(value);
        return out;
      }
      case 'map': {
        if (!isRecord(value)) return this.fail(place, value, type);
        if (!this.enter(value, place)) return undefined;
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value)) {
          const v = value[key];
          if (v === null || v === undefined) continue;
          const checked = this.value(v, type.values, { path: `${place.path}.${key}`, goPath: place.goPath, struct: place.struct });
          if (checked !== undefined) setOwn(out, key, checked);
        }
        this.onPath.delete(value);
        return out;
      }
      case 'object':
        if (!isRecord(value)) return this.fail(place, value, type);
        return this.fields(value, type.fields, place.path, place.goPath, type.go);
    }
  }

  /** Checks the listed fields of a record; the others are kept as written (nulls dropped). */
  fields(record: Record<string, unknown>, fields: Readonly<Record<string, FieldType>>, path: string, goPath: string, struct: string): unknown {
    if (!this.enter(record, { path, goPath, struct })) return undefined;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(record)) {
      const v = record[key];
      if (v === null || v === undefined) continue;
      const at = path === '' ? key : `${path}.${key}`;
      const goAt = goPath === '' ? key : `${goPath}.${key}`;
      const type = Object.hasOwn(fields, key) ? fields[key] : undefined;
      const checked = type === undefined ? this.unchecked(v, at) : this.value(v, type, { path: at, goPath: goAt, struct });
      if (checked !== undefined) setOwn(out, key, checked);
    }
    this.onPath.delete(record);
    return out;
  }

  /** A field the schema does not list: kept, with nulls dropped and cycles refused. */
  private unchecked(value: unknown, path: string): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (!this.enter(value, { path, goPath: path, struct: '' })) return undefined;
    let out: unknown;
    if (Array.isArray(value)) out = value.map((v, i) => this.unchecked(v, `${path}[${i}]`));
    else {
      const rec: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[key];
        if (v !== null && v !== undefined) setOwn(rec, key, this.unchecked(v, `${path}.${key}`));
      }
      out = rec;
    }
    this.onPath.delete(value);
    return out;
  }

  /** Marks a container as being checked; false (reported) when it contains itself through a YAML alias. */
  private enter(value: object, place: Place): boolean {
    if (this.onPath.has(value)) {
      this.errors.push({ path: place.path, message: `${place.path}: a YAML alias makes this value contain itself; a manifest is JSON and cannot be circular` });
      return false;
    }
    this.onPath.add(value);
    return true;
  }

  private fail(place: Place, value: unknown, type: FieldType): undefined {
    this.errors.push({ path: place.path, message: this.style(place, value, type) });
    return undefined;
  }

  private overflow(place: Place, value: number, type: FieldType): string {
    const decode = `json: cannot unmarshal number ${String(value)} into Go struct field ${place.struct}.${place.goPath} of type ${goTypeName(type)}`;
    return this.crd
      ? `admission webhook "webhook.serving.knative.dev" denied the request: mutation failed: cannot decode incoming new object: ${decode}`
      : decode;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Checks a manifest (already parsed from YAML) of API server type `type` against the
 * schema; returns the object as the cluster would store it (nulls dropped) and the errors.
 * Types knsim has no schema for come back unchanged (nulls dropped, cycles refused).
 */
export function checkStructure(manifest: Record<string, unknown>, type: string): { object: Record<string, unknown>; errors: StructureError[] } {
  const body = Object.hasOwn(BODIES, type) ? BODIES[type] : undefined;
  const kind = body?.kind ?? String(manifest.kind);
  const goDecode = (prefix: string) => (place: Place, value: unknown, t: FieldType) =>
    `${prefix}json: cannot unmarshal ${goJsonTypeName(value)} into Go struct field ${place.struct}.${place.goPath} of type ${goTypeName(t)}`;
  const schema = (place: Place, value: unknown, t: FieldType): string =>
    `${place.path}: Invalid value: "${schemaTypeName(value)}": ${place.path} in body must be of type ${schemaTypeWanted(t)}: "${schemaTypeName(value)}"`;
  // metadata is decoded by kubectl for every kind; the body by the CRD schema or the API server's decoder.
  const meta = new Checker(goDecode('unable to decode: '), false);
  const rest = new Checker(body?.crd === false ? goDecode(`${kind} in version "v1" cannot be handled as a ${kind}: `) : schema, body?.crd ?? true);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(manifest)) {
    const v = manifest[key];
    if (v === null || v === undefined) continue;
    if (key === 'metadata') {
      const checked = meta.value(v, OBJECT_META, { path: 'metadata', goPath: 'metadata', struct: 'ObjectMeta' });
      if (checked !== undefined) setOwn(out, key, checked);
      continue;
    }
    const checked = rest.fields({ [key]: v }, body?.fields ?? {}, '', '', kind);
    if (isRecord(checked) && Object.hasOwn(checked, key)) setOwn(out, key, checked[key]);
  }
  return { object: out, errors: [...meta.errors, ...rest.errors] };
}
