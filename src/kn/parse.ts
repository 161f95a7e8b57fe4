/**
 * Parsing of kn command lines into a command record, with kn's (cobra/pflag) wording
 * for mistakes: `unknown flag: --imagee`, `unknown shorthand flag: 'x' in -x`,
 * `invalid argument "abc" for "--concurrency-limit" flag: ...`, `flag needs an argument: --image`,
 * and kn's own messages for missing names and images. Pure: the scenario validator uses
 * it to reject a bad command line before a run; nothing here touches the API.
 * Fidelity: knative/client pkg/commands/service/{create,update,delete,describe,list}.go,
 * configuration_edit_flags.go, pkg/commands/revision/*.go, pkg/commands/route/*.go,
 * pkg/commands/domain/*.go.
 * A did-you-mean hint (not printed by kn) is added for near-miss flag names.
 */
import { didYouMean } from '../apis/did-you-mean.js';
import { splitShellWords } from './shell-words.js';
import { checkLatestTags, checkTrafficPercents } from './traffic.js';

export type KnVerb = 'create' | 'update' | 'delete' | 'describe' | 'list';
export type KnGroup = 'service' | 'revision' | 'route' | 'domain';

/** The flags of `kn service create|update`, as given (undefined = not given). */
export interface ServiceFlags {
  image?: string;
  env: string[];
  port?: string;
  annotation: string[];
  annotationRevision: string[];
  annotationService: string[];
  label: string[];
  labelRevision: string[];
  labelService: string[];
  scale?: string;
  scaleMin?: number;
  scaleMax?: number;
  scaleInit?: number;
  scaleTarget?: number;
  scaleUtilization?: number;
  scaleWindow?: string;
  scaleActivation?: number;
  scaleMetric?: string;
  /** `--request cpu=100m,memory=256Mi` items (a trailing `-` on the name removes it). */
  request: string[];
  /** `--limit cpu=1,memory=512Mi` items. */
  limit: string[];
  concurrencyLimit?: number;
  timeout?: number;
  traffic: string[];
  tag: string[];
  untag: string[];
  revisionName?: string;
  clusterLocal?: boolean;
  /** `kn domain create|update --ref [ksvc:|kroute:]NAME[:NAMESPACE]`. */
  ref?: string;
  /** `kn domain create --tls SECRET`. */
  tls?: string;
  force: boolean;
  wait: boolean;
  waitTimeoutSeconds: number;
  /** Seconds a Ready=False must last before the wait fails (kn's --wait-window, default 2). */
  waitWindowSeconds: number;
}

export interface KnCommand {
  group: KnGroup;
  verb: KnVerb;
  /** Positional names (service or revision names). */
  names: string[];
  namespace: string;
  allNamespaces: boolean;
  /** `revision list -s NAME`. */
  service?: string;
  /** `describe -v/--verbose`. */
  verbose: boolean;
  /** `list --no-headers`. */
  noHeaders: boolean;
  flags: ServiceFlags;
  /** The command line as given, for logs. */
  line: string;
}

type KnParse = { ok: true; command: KnCommand } | { ok: false; error: string; hint?: string };

type FlagKind = 'string' | 'int' | 'bool' | 'array';
interface FlagSpec {
  name: string;
  short?: string;
  kind: FlagKind;
  apply: (flags: ServiceFlags, cmd: KnCommand, value: string) => void;
}

const str = (name: string, key: keyof ServiceFlags, short?: string): FlagSpec => ({
  name,
  short,
  kind: 'string',
  apply: (f, _c, v) => ((f as unknown as Record<string, unknown>)[key] = v),
});
const int = (name: string, key: keyof ServiceFlags): FlagSpec => ({
  name,
  kind: 'int',
  apply: (f, _c, v) => ((f as unknown as Record<string, unknown>)[key] = Number(v)),
});
const arr = (name: string, key: keyof ServiceFlags, short?: string): FlagSpec => ({
  name,
  short,
  kind: 'array',
  apply: (f, _c, v) => (f[key] as string[]).push(v),
});
/** kn declares --traffic, --tag and --untag as cobra StringSlice flags: each value may hold several comma-separated items. */
const slice = (name: string, key: keyof ServiceFlags): FlagSpec => ({
  name,
  kind: 'array',
  apply: (f, _c, v) => (f[key] as string[]).push(...v.split(',').filter((x) => x !== '')),
});

const NAMESPACE: FlagSpec = { name: 'namespace', short: 'n', kind: 'string', apply: (_f, c, v) => (c.namespace = v) };
const ALL_NAMESPACES: FlagSpec = { name: 'all-namespaces', short: 'A', kind: 'bool', apply: (_f, c, v) => (c.allNamespaces = v === 'true') };
const VERBOSE: FlagSpec = { name: 'verbose', short: 'v', kind: 'bool', apply: (_f, c, v) => (c.verbose = v === 'true') };
const NO_HEADERS: FlagSpec = { name: 'no-headers', kind: 'bool', apply: (_f, c, v) => (c.noHeaders = v === 'true') };
const WAIT: FlagSpec[] = [
  { name: 'wait', kind: 'bool', apply: (f, _c, v) => (f.wait = v === 'true') },
  { name: 'no-wait', kind: 'bool', apply: (f, _c, v) => (f.wait = v !== 'true') },
  int('wait-timeout', 'waitTimeoutSeconds'),
  int('wait-window', 'waitWindowSeconds'),
];

const EDIT_FLAGS: FlagSpec[] = [
  str('image', 'image'),
  arr('env', 'env', 'e'),
  str('port', 'port', 'p'),
  arr('annotation', 'annotation', 'a'),
  arr('annotation-revision', 'annotationRevision'),
  arr('annotation-service', 'annotationService'),
  arr('label', 'label', 'l'),
  arr('label-revision', 'labelRevision'),
  arr('label-service', 'labelService'),
  str('scale', 'scale'),
  int('scale-min', 'scaleMin'),
  int('scale-max', 'scaleMax'),
  int('scale-init', 'scaleInit'),
  { name: 'scale-target', kind: 'string', apply: (f, _c, v) => (f.scaleTarget = Number(v)) },
  { name: 'scale-utilization', kind: 'string', apply: (f, _c, v) => (f.scaleUtilization = Number(v)) },
  str('scale-window', 'scaleWindow'),
  int('scale-activation', 'scaleActivation'),
  str('scale-metric', 'scaleMetric'),
  slice('request', 'request'),
  slice('limit', 'limit'),
  int('concurrency-limit', 'concurrencyLimit'),
  int('timeout', 'timeout'),
  slice('tag', 'tag'),
  str('revision-name', 'revisionName'),
  { name: 'cluster-local', kind: 'bool', apply: (f, _c, v) => (f.clusterLocal = v === 'true') },
  { name: 'no-cluster-local', kind: 'bool', apply: (f, _c, v) => (f.clusterLocal = v !== 'true') },
  { name: 'lock-to-digest', kind: 'bool', apply: () => undefined },
  NAMESPACE,
  ...WAIT,
];

const COMMANDS: Record<string, FlagSpec[]> = {
  'service create': [...EDIT_FLAGS, { name: 'force', kind: 'bool', apply: (f, _c, v) => (f.force = v === 'true') }],
  'service update': [...EDIT_FLAGS, slice('traffic', 'traffic'), slice('untag', 'untag')],
  'service delete': [NAMESPACE, ...WAIT],
  'service describe': [NAMESPACE, VERBOSE],
  'service list': [NAMESPACE, ALL_NAMESPACES, NO_HEADERS],
  'revision list': [NAMESPACE, ALL_NAMESPACES, NO_HEADERS, { name: 'service', short: 's', kind: 'string', apply: (_f, c, v) => (c.service = v) }],
  'revision describe': [NAMESPACE, VERBOSE],
  'revision delete': [NAMESPACE, ...WAIT],
  'route list': [NAMESPACE, ALL_NAMESPACES, NO_HEADERS],
  'route describe': [NAMESPACE, VERBOSE],
  // knative/client pkg/commands/domain: --ref everywhere it edits, --tls on create.
  'domain create': [str('ref', 'ref'), str('tls', 'tls'), NAMESPACE],
  'domain update': [str('ref', 'ref'), NAMESPACE],
  'domain delete': [NAMESPACE],
  'domain describe': [NAMESPACE, VERBOSE],
  'domain list': [NAMESPACE, ALL_NAMESPACES, NO_HEADERS],
};

const GROUP_ALIASES: Record<string, KnGroup> = {
  service: 'service',
  services: 'service',
  ksvc: 'service',
  revision: 'revision',
  revisions: 'revision',
  route: 'route',
  routes: 'route',
  domain: 'domain',
  domains: 'domain',
};
const VERB_ALIASES: Record<string, KnVerb> = {
  create: 'create',
  update: 'update',
  delete: 'delete',
  rm: 'delete',
  describe: 'describe',
  list: 'list',
  ls: 'list',
};

function newFlags(): ServiceFlags {
  return {
    env: [],
    request: [],
    limit: [],
    annotation: [],
    annotationRevision: [],
    annotationService: [],
    label: [],
    labelRevision: [],
    labelService: [],
    traffic: [],
    tag: [],
    untag: [],
    force: false,
    wait: true,
    waitTimeoutSeconds: 600,
    waitWindowSeconds: 2,
  };
}

const suggest = didYouMean;

/** Parses `kn service create hello --image=...` (the leading `kn` is optional). */
export function parseKn(commandLine: string): KnParse {
  const split = splitShellWords(commandLine);
  if (!split.ok) return { ok: false, error: split.error };
  const words = split.words;
  if (words[0] === 'kn') words.shift();
  const groupWord = words.shift();
  if (groupWord === undefined) return { ok: false, error: 'missing command: expected one of service, revision, route, domain' };
  // Own keys only: `kn constructor` is an unknown command, not Object's constructor.
  const group = Object.hasOwn(GROUP_ALIASES, groupWord) ? GROUP_ALIASES[groupWord] : undefined;
  if (group === undefined) {
    const hint = suggest(groupWord, Object.keys(GROUP_ALIASES));
    return { ok: false, error: `unknown command "${groupWord}" for "kn"`, hint: hint && `did you mean "${hint}"?` };
  }
  const verbWord = words.shift();
  const verbs = Object.keys(COMMANDS)
    .filter((k) => k.startsWith(`${group} `))
    .map((k) => k.slice(group.length + 1));
  if (verbWord === undefined) return { ok: false, error: `missing subcommand for "kn ${group}": expected one of ${verbs.join(', ')}` };
  const verb = Object.hasOwn(VERB_ALIASES, verbWord) ? VERB_ALIASES[verbWord] : undefined;
  const specs = verb === undefined ? undefined : COMMANDS[`${group} ${verb}`];
  if (verb === undefined || specs === undefined) {
    const hint = suggest(verbWord, verbs);
    return { ok: false, error: `unknown command "${verbWord}" for "kn ${group}"`, hint: hint && `did you mean "${hint}"?` };
  }
  const command: KnCommand = {
    group,
    verb,
    names: [],
    namespace: 'default',
    allNamespaces: false,
    verbose: false,
    noHeaders: false,
    flags: newFlags(),
    line: commandLine.trim(),
  };
  let cursor = 0;
  const next = (): string | undefined => words[cursor++];
  for (let w = next(); w !== undefined; w = next()) {
    if (w === '--') {
      command.names.push(...words.slice(cursor));
      break;
    }
    if (!w.startsWith('-') || w === '-') {
      command.names.push(w);
      continue;
    }
    let spec: FlagSpec | undefined;
    let value: string | undefined;
    let display: string;
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = eq < 0 ? w.slice(2) : w.slice(2, eq);
      if (eq >= 0) value = w.slice(eq + 1);
      display = `--${name}`;
      spec = specs.find((s) => s.name === name);
      if (spec === undefined) {
        const hint = suggest(
          name,
          specs.map((s) => s.name),
        );
        return { ok: false, error: `unknown flag: --${name}`, hint: hint && `did you mean --${hint}?` };
      }
    } else {
      const short = w.charAt(1);
      display = `-${short}`;
      spec = specs.find((s) => s.short === short);
      if (spec === undefined) return { ok: false, error: `unknown shorthand flag: '${short}' in ${w}` };
      if (w.length > 2) value = w[2] === '=' ? w.slice(3) : w.slice(2);
      display = `--${spec.name}`;
    }
    if (spec.kind === 'bool') {
      if (value === undefined) value = 'true';
      if (value !== 'true' && value !== 'false')
        return { ok: false, error: `invalid argument "${value}" for "${display}" flag: strconv.ParseBool: parsing "${value}": invalid syntax` };
    } else if (value === undefined) {
      value = next();
      if (value === undefined) return { ok: false, error: `flag needs an argument: ${display}` };
    }
    if (spec.kind === 'int' && !/^-?\d+$/.test(value))
      return { ok: false, error: `invalid argument "${value}" for "${display}" flag: strconv.ParseInt: parsing "${value}": invalid syntax` };
    if ((spec.name === 'scale-target' || spec.name === 'scale-utilization') && !Number.isFinite(Number(value))) {
      return { ok: false, error: `invalid argument "${value}" for "${display}" flag: strconv.ParseFloat: parsing "${value}": invalid syntax` };
    }
    spec.apply(command.flags, command, value);
  }
  const problem = checkArguments(command);
  return problem === undefined ? { ok: true, command } : { ok: false, error: problem };
}

function checkArguments(c: KnCommand): string | undefined {
  const f = c.flags;
  const one = c.names.length === 1;
  switch (`${c.group} ${c.verb}`) {
    case 'service create':
      if (!one) return "'service create' requires the service name given as single argument";
      if (f.image === undefined) return "'service create' requires the image name to run provided with the --image option";
      break;
    case 'service update':
      if (!one) return "'service update' requires the service name given as single argument";
      break;
    case 'service delete':
      if (c.names.length === 0) return "'service delete' requires the service name(s)";
      break;
    case 'service describe':
      if (!one) return "'service describe' requires the service name given as single argument";
      break;
    case 'revision describe':
      if (!one) return "'kn revision describe' requires name of the revision as single argument";
      break;
    case 'revision delete':
      if (c.names.length === 0) return "'kn revision delete' requires one or more revision name";
      break;
    case 'route describe':
      if (!one) return "'kn route describe' requires name of the route as single argument";
      break;
    case 'service list':
      if (c.names.length > 1) return "'kn service list' accepts maximum 1 argument";
      break;
    case 'revision list':
      if (c.names.length > 1) return `'kn revision list' accepts maximum 1 argument, not ${c.names.length} arguments as given`;
      break;
    case 'route list':
      if (c.names.length > 1) return "'kn route list' accepts only one additional argument";
      break;
    case 'domain create':
      // cobra checks the required flag before the command runs.
      if (f.ref === undefined) return 'required flag(s) "ref" not set';
      if (!one) return "'kn domain create' requires the domain name given as single argument";
      break;
    case 'domain update':
      // kn's update says "create" here (update.go).
      if (!one) return "'kn domain create' requires the domain name given as single argument";
      // kn marks a flag "refFlags" required that does not exist, then dereferences the missing reference.
      if (f.ref === undefined) return "'kn domain update' needs --ref (kn itself crashes without it)";
      break;
    case 'domain delete':
      if (!one) return "'kn domain delete' requires the domain name given as single argument";
      break;
    case 'domain describe':
      if (!one) return "'kn domain describe' requires name of the domain mapping as single argument";
      break;
    default:
      if (c.names.length > 1) return `'kn ${c.group} ${c.verb}' accepts at most one argument`;
  }
  if (f.scale !== undefined && (f.scaleMin !== undefined || f.scaleMax !== undefined)) return 'only --scale or --scale-min/--scale-max can be specified';
  if (f.scale !== undefined && parseScale(f.scale) === undefined) return `expected format for --scale is NUMBER, MIN..MAX, MIN.. or ..MAX, got "${f.scale}"`;
  if (f.port !== undefined && parsePort(f.port) === undefined) return `invalid --port "${f.port}": expected [NAME:]PORT with PORT a number`;
  for (const e of f.env) if (!e.endsWith('-') && !e.includes('=')) return `argument requires a value that contains the "=" character; got "${e}"`;
  for (const list of [f.annotation, f.annotationRevision, f.annotationService, f.label, f.labelRevision, f.labelService]) {
    for (const kv of list) if (!kv.endsWith('-') && !kv.includes('=')) return `argument requires a value that contains the "=" character; got "${kv}"`;
  }
  const traffic = checkTrafficPercents(f.traffic);
  if (traffic !== undefined) return traffic;
  const tags = checkLatestTags(f.tag);
  if (tags !== undefined) return tags;
  return undefined;
}

/** `--scale 3` → 3..3, `1..5`, `2..` (min only), `..5` (max only). */
export function parseScale(value: string): { min?: number; max?: number } | undefined {
  if (/^\d+$/.test(value)) return { min: Number(value), max: Number(value) };
  const m = /^(\d*)\.\.(\d*)$/.exec(value);
  if (m === null || (m[1] === '' && m[2] === '')) return undefined;
  const out: { min?: number; max?: number } = {};
  if (m[1] !== '') out.min = Number(m[1]);
  if (m[2] !== '') out.max = Number(m[2]);
  return out;
}

/** `[NAME:]PORT` → `{name, port}`, e.g. `h2c:8080`. */
export function parsePort(value: string): { name?: string; port: number } | undefined {
  const m = /^(?:([a-z0-9]+):)?(\d+)$/.exec(value);
  if (m === null) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return m[1] === undefined ? { port } : { name: m[1], port };
}
