/**
 * The fuzzing swarm's mutator: a shipped scenario (or a pin fixture) parsed into plain data,
 * changed by a small plan of structural mutations, and written back as YAML. Mutations drop,
 * duplicate and retype keys and list items, set random scalars, durations and strings, add keys
 * the format or Knative knows (and names of Object.prototype members), reach inside inline
 * manifests and ConfigMap documents (parsed, mutated, written back), turn kn lines into the
 * equivalent manifest so there is always a manifest to mutate, add kn flags, and corrupt trace
 * CSV cells. A plan is plain data that fast-check generates and shrinks; applying it is
 * deterministic, so a failing plan replays from its seed and path.
 */
import fc from 'fast-check';
import { parse, parseAllDocuments, stringify } from 'yaml';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One mutation; `at` picks its target among the candidates, modulo their count. */
export type Mutation =
  | { op: 'drop'; at: number }
  | { op: 'duplicate'; at: number }
  | { op: 'set'; at: number; value: Json }
  /** A value of the same kind: a near number, another duration, an edited string, the other boolean. */
  | { op: 'tweak'; at: number; choice: number }
  | { op: 'add'; at: number; key: string; value: Json }
  | { op: 'knFlag'; at: number; flag: string }
  | { op: 'knToManifest'; at: number }
  /** A field Knative or Kubernetes knows, set on a map of that struct inside a manifest (a container, a template, metadata, …). */
  | { op: 'field'; at: number; field: number; value: Json }
  | { op: 'csv'; at: number; line: number; token: string };

export interface Plan {
  /** Index into the corpus. */
  scenario: number;
  /** Turn every `kn service create` into the Service manifest it creates first, so there are manifests to mutate. */
  asManifests: boolean;
  mutations: Mutation[];
}

/** A mutated scenario: its YAML text and how its trace files read. */
export interface Mutant {
  text: string;
  /** CSV cell changes, applied to every trace file the scenario reads. */
  csv: { line: number; at: number; token: string }[];
}

/** Marks a string field holding YAML documents (apply: |, config: - |) while it is mutated as data. */
const MANIFESTS = '__fuzz_manifests__';

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

const DURATIONS = ['0s', '1ms', '30s', '90s', '5m', '-5m', '0', '2562047h', '2562048h', `${'9'.repeat(400)}ms`, '1.5s', '1h30m', 'soon', '30'];

const STRINGS = ['', ' ', 'x', 'sunshine', 's-00001', '8080', 'true', 'null', 'a:b', 'ünïcödé', 'x'.repeat(300), 'Bad_Name', '-1', '1e3', ...PROTOTYPE_NAMES];

const NUMBERS = [0, 1, -1, 2, 3, 0.5, -0.001, 100, 1000, 5000, 2 ** 31, 2 ** 53 + 2, 1e308, 99999999999, 1e-9];

const STRUCTURES: Json[] = [[], {}, [null], ['x'], [1], { a: 1 }, [{}], { image: 'img' }];

/** Keys a mutation adds: the scenario format's, Knative's and Kubernetes' field names, and prototype names. */
const KEYS = [
  // scenario
  'name',
  'seed',
  'duration',
  'limits',
  'rate',
  'users',
  'thinkTime',
  'from',
  'to',
  'steps',
  'spike',
  'amplitude',
  'period',
  'revision',
  'service',
  'namespace',
  'readyPods',
  'serviceTime',
  'errorRate',
  'startupDelay',
  'nodes',
  'memory',
  'cpu',
  'count',
  'minutes',
  'timeScale',
  'functions',
  'targets',
  // Knative and Kubernetes
  'ports',
  'containerPort',
  'env',
  'args',
  'resources',
  'requests',
  'limits',
  'image',
  'readinessProbe',
  'containerConcurrency',
  'timeoutSeconds',
  'containers',
  'traffic',
  'percent',
  'tag',
  'revisionName',
  'latestRevision',
  'annotations',
  'labels',
  'autoscaling.knative.dev/min-scale',
  'autoscaling.knative.dev/target',
  'autoscaling.knative.dev/window',
  'data',
  'stable-window',
  'scale-down-delay',
  'enable-scale-to-zero',
  ...PROTOTYPE_NAMES,
];

const KN_FLAGS = [
  '--concurrency-limit 0',
  '--concurrency-limit 5000',
  '--timeout -5',
  '--timeout 600',
  '--scale-min 3',
  '--scale-min 2000',
  '--scale-max 99999999999',
  '--scale-init 0',
  '--scale 1..3',
  '--scale-window 10s',
  '--scale-target 0',
  '--scale-utilization 150',
  '--annotation autoscaling.knative.dev/scale-down-delay=2562047h',
  '--annotation autoscaling.knative.dev/target=abc',
  '--env A=B',
  '--env',
  '--port 70000',
  '--port h2c:8080',
  '--revision-name {{.Random 5}}',
  '--revision-name x',
  '--tag @latest=canary',
  '--traffic @latest=50',
  '--untag nope',
  '--cluster-local',
  '--image=img:v2',
  '--no-wait',
  '-n other',
  '--force',
  '--imagee=x',
];

const CSV_TOKENS = ['x', '1e3', '+5', '-1', '', '2147483648', ' 7 ', '3', 'HashApp', 'minute_2', '1,2'];

const scalar = fc.oneof(
  fc.constantFrom(...NUMBERS),
  fc.integer({ min: -5, max: 50 }),
  fc.constantFrom(...DURATIONS),
  fc.constantFrom(...STRINGS),
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<Json> = fc.oneof({ weight: 5, arbitrary: scalar }, { weight: 1, arbitrary: fc.constantFrom(...STRUCTURES) });
const at = fc.nat({ max: 10_000 });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('drop' as const), at }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('set' as const), at, value }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('tweak' as const), at, choice: fc.nat({ max: 1000 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('add' as const), at, key: fc.constantFrom(...KEYS), value }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('knFlag' as const), at, flag: fc.constantFrom(...KN_FLAGS) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('knToManifest' as const), at }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('csv' as const), at, line: fc.nat({ max: 200 }), token: fc.constantFrom(...CSV_TOKENS) }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constant('field' as const), at, field: fc.nat({ max: 1000 }), value }) },
);

export function planArb(corpusSize: number): fc.Arbitrary<Plan> {
  return fc.record({
    scenario: fc.nat({ max: corpusSize - 1 }),
    // Three plans in four work on manifests.
    asManifests: fc.nat({ max: 3 }).map((n) => n > 0),
    mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
  });
}

/** The fields of each struct a manifest holds, by the key the struct sits under (`containers` → a Container). */
const STRUCT_FIELDS: Record<string, string[]> = {
  containers: ['ports', 'env', 'args', 'image', 'resources', 'readinessProbe'],
  ports: ['containerPort', 'name', 'protocol'],
  env: ['name', 'value', 'valueFrom'],
  resources: ['requests', 'limits'],
  requests: ['cpu', 'memory'],
  limits: ['cpu', 'memory'],
  readinessProbe: ['httpGet', 'tcpSocket', 'periodSeconds', 'initialDelaySeconds', 'failureThreshold'],
  spec: ['containers', 'containerConcurrency', 'timeoutSeconds', 'responseStartTimeoutSeconds', 'template', 'traffic', 'serviceAccountName', 'nodeSelector'],
  template: ['metadata', 'spec'],
  metadata: ['name', 'namespace', 'labels', 'annotations', 'generateName'],
  annotations: [
    'autoscaling.knative.dev/min-scale',
    'autoscaling.knative.dev/max-scale',
    'autoscaling.knative.dev/initial-scale',
    'autoscaling.knative.dev/target',
    'autoscaling.knative.dev/window',
    'autoscaling.knative.dev/scale-down-delay',
    'autoscaling.knative.dev/metric',
    'autoscaling.knative.dev/class',
    'serving.knative.dev/progress-deadline',
    '__proto__',
  ],
  labels: ['networking.knative.dev/visibility', 'app', 'constructor'],
  traffic: ['percent', 'tag', 'revisionName', 'configurationName', 'latestRevision', 'url'],
  data: ['stable-window', 'scale-down-delay', 'enable-scale-to-zero', 'max-scale-up-rate', 'container-concurrency-target-default', 'min-scale', 'toString'],
  [MANIFESTS]: ['apiVersion', 'kind', 'metadata', 'spec', 'data'],
};

type Container = Json[] | { [key: string]: Json };

/** A place in the tree: a container and one of its keys (or indices). */
interface Place {
  parent: Container;
  key: string | number;
  /** Inside a manifest (mutations there are favoured, so they happen in every plan's reach). */
  inManifest: boolean;
  /** The key the parent sits under (a list's items: the list's key), for telling which struct a map is. */
  parentKey: string | number | undefined;
}

function isContainer(v: Json): v is Container {
  return v !== null && typeof v === 'object';
}

/** Every place of the tree, in a stable order (depth first, keys in order). */
function places(root: Json): Place[] {
  const out: Place[] = [];
  const walk = (node: Json, inManifest: boolean, nodeKey: string | number | undefined): void => {
    if (!isContainer(node)) return;
    const entries: [string | number, Json][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
    for (const [key, child] of entries) {
      const inside = inManifest || key === MANIFESTS;
      out.push({ parent: node, key, inManifest: inside, parentKey: nodeKey });
      // A list's items are known by the list's key (each of `containers` is a container).
      walk(child, inside, Array.isArray(node) ? nodeKey : key);
    }
  };
  walk(root, false, undefined);
  return out;
}

function containers(root: Json): { node: Container; inManifest: boolean }[] {
  const out: { node: Container; inManifest: boolean }[] = isContainer(root) ? [{ node: root, inManifest: false }] : [];
  for (const p of places(root)) {
    const child = get(p);
    if (isContainer(child)) out.push({ node: child, inManifest: p.inManifest });
  }
  return out;
}

function get(p: Place): Json {
  return Array.isArray(p.parent) ? (p.parent[p.key as number] ?? null) : (p.parent[p.key as string] ?? null);
}

function put(p: Place, v: Json): void {
  if (Array.isArray(p.parent)) p.parent[p.key as number] = v;
  else Object.defineProperty(p.parent, p.key, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Picks the `at`-th candidate, favouring those inside manifests (half the picks go there when there are any). */
function pick<T extends { inManifest: boolean }>(candidates: T[], n: number): T | undefined {
  if (candidates.length === 0) return undefined;
  const inside = candidates.filter((c) => c.inManifest);
  const pool = inside.length > 0 && n % 2 === 0 ? inside : candidates;
  return pool[Math.floor(n / 2) % pool.length];
}

/** Strings holding YAML documents become data while mutated: `{__fuzz_manifests__: [doc, …]}`. */
function openManifests(root: Json): void {
  const open = (text: string): Json => {
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return text;
    return { [MANIFESTS]: docs.map((d) => d.toJS() as Json) };
  };
  if (!isContainer(root) || Array.isArray(root)) return;
  const timeline = root.timeline;
  if (Array.isArray(timeline)) {
    for (const action of timeline) if (isContainer(action) && !Array.isArray(action) && typeof action.apply === 'string') action.apply = open(action.apply);
  }
  const config = root.config;
  if (Array.isArray(config)) config.forEach((item, i) => typeof item === 'string' && (config[i] = open(item)));
}

/** And back to YAML text, wherever they ended up. */
function closeManifests(node: Json): Json {
  if (!isContainer(node)) return node;
  if (!Array.isArray(node) && Object.keys(node).length === 1 && Object.hasOwn(node, MANIFESTS)) {
    const docs = node[MANIFESTS];
    return Array.isArray(docs) ? docs.map((d) => stringify(d)).join('---\n') : stringify(docs);
  }
  if (Array.isArray(node)) return node.map(closeManifests);
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) Object.defineProperty(out, k, { value: closeManifests(v), enumerable: true, writable: true, configurable: true });
  return out;
}

/** `kn service create NAME --image=IMG …` as the Service manifest it creates (other flags dropped). */
function manifestOfKn(line: string): Json | undefined {
  const m = /service create (\S+).*--image[= ](\S+)/.exec(line);
  if (m === null) return undefined;
  return {
    [MANIFESTS]: [
      {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Service',
        metadata: { name: m[1] ?? 's' },
        spec: { template: { spec: { containers: [{ image: m[2] ?? 'img' }] } } },
      },
    ],
  };
}

/** Applies a plan to a scenario's text. */
export function mutate(text: string, mutations: readonly Mutation[], asManifests = false): Mutant {
  const root = parse(text) as Json;
  openManifests(root);
  if (asManifests)
    for (const p of places(root)) {
      if (p.key !== 'kn' || Array.isArray(p.parent) || typeof get(p) !== 'string') continue;
      const manifest = manifestOfKn(get(p) as string);
      if (manifest === undefined) continue;
      delete p.parent.kn;
      p.parent.apply = manifest;
    }
  const csv: Mutant['csv'] = [];
  for (const m of mutations) {
    switch (m.op) {
      case 'drop': {
        const p = pick(places(root), m.at);
        if (p === undefined) break;
        if (Array.isArray(p.parent)) p.parent.splice(p.key as number, 1);
        else delete p.parent[p.key as string];
        break;
      }
      case 'duplicate': {
        const lists = containers(root).filter((c) => Array.isArray(c.node) && c.node.length > 0);
        const c = pick(lists, m.at);
        if (c === undefined || !Array.isArray(c.node)) break;
        const item = c.node[m.at % c.node.length] ?? null;
        c.node.push(structuredClone(item));
        break;
      }
      case 'set': {
        const p = pick(places(root), m.at);
        if (p !== undefined) put(p, structuredClone(m.value));
        break;
      }
      case 'tweak': {
        const leaves = places(root).filter((p) => !isContainer(get(p)));
        const p = pick(leaves, m.at);
        if (p !== undefined) put(p, tweak(get(p), m.choice));
        break;
      }
      case 'add': {
        const maps = containers(root).filter((c) => !Array.isArray(c.node));
        const c = pick(maps, m.at);
        if (c !== undefined) put({ parent: c.node, key: m.key, inManifest: c.inManifest, parentKey: undefined }, structuredClone(m.value));
        break;
      }
      case 'field': {
        // Maps inside manifests, with the struct their key names.
        const byStruct = new Map<string, { node: { [key: string]: Json }; fields: string[] }[]>();
        for (const p of places(root)) {
          const child = get(p);
          if (!p.inManifest || !isContainer(child) || Array.isArray(child)) continue;
          const structKey = typeof p.key === 'number' ? p.parentKey : p.key;
          const fields = typeof structKey === 'string' && Object.hasOwn(STRUCT_FIELDS, structKey) ? STRUCT_FIELDS[structKey] : undefined;
          if (fields === undefined || typeof structKey !== 'string') continue;
          const list = byStruct.get(structKey) ?? [];
          list.push({ node: child, fields });
          byStruct.set(structKey, list);
        }
        // Each kind of struct as likely as any other (a manifest has few containers but many maps).
        const kinds = [...byStruct.values()];
        const instances = kinds[m.at % Math.max(1, kinds.length)] ?? [];
        const s = instances[Math.floor(m.at / Math.max(1, kinds.length)) % Math.max(1, instances.length)];
        const field = s?.fields[m.field % s.fields.length];
        if (s !== undefined && field !== undefined) put({ parent: s.node, key: field, inManifest: true, parentKey: undefined }, structuredClone(m.value));
        break;
      }
      case 'knFlag':
      case 'knToManifest': {
        const kn = places(root).filter((p) => p.key === 'kn' && typeof get(p) === 'string');
        const p = kn[m.at % Math.max(1, kn.length)];
        if (p === undefined) break;
        const line = get(p) as string;
        if (m.op === 'knFlag') put(p, `${line} ${m.flag}`);
        else {
          const manifest = manifestOfKn(line);
          if (manifest !== undefined && !Array.isArray(p.parent)) {
            delete p.parent.kn;
            p.parent.apply = manifest;
          }
        }
        break;
      }
      case 'csv':
        csv.push({ line: m.line, at: m.at, token: m.token });
        break;
    }
  }
  return { text: stringify(closeManifests(root)), csv };
}

const DURATION_RE = /^-?(\d+(\.\d*)?(ns|us|µs|ms|s|m|h))+$/;

/** A value of the same kind as `v`, picked by `choice`. */
function tweak(v: Json, choice: number): Json {
  if (typeof v === 'number') {
    const options = [0, 1, 2, v * 2, v / 2, -v, v + 1, v * 1000, 0.5, 1e6];
    return options[choice % options.length] ?? v;
  }
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'string') {
    if (DURATION_RE.test(v)) return DURATIONS[choice % DURATIONS.length] ?? v;
    const options = [`${v}x`, v.toUpperCase(), v.slice(1), `${v} ${v}`, `${v}-00001`, v.replace(/\d/g, '9'), ''];
    return options[choice % options.length] ?? v;
  }
  return v;
}

/** A trace file's text with the plan's cell changes: line `line` (modulo the lines), cell `at` (modulo its cells) set to `token`. */
export function mutateCsv(text: string, changes: Mutant['csv']): string {
  if (changes.length === 0) return text;
  const lines = text.split('\n');
  for (const c of changes) {
    const i = c.line % Math.max(1, lines.length);
    const cells = (lines[i] ?? '').split(',');
    cells[c.at % Math.max(1, cells.length)] = c.token;
    lines[i] = cells.join(',');
  }
  return lines.join('\n');
}
