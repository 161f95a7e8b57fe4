/**
 * The kubectl command lines a timeline may run: `kubectl label` (the leading `kubectl` is
 * optional), e.g. `label service candidate-sunshine networking.knative.dev/visibility=cluster-local`,
 * which is how Knative's docs make one tag of a Route cluster-local. Pure: the loader checks
 * a line with it before the run, and the sim runs the parsed command.
 * Fidelity: kubectl label's arguments (`TYPE NAME` or `TYPE/NAME`, `key=value` to set,
 * `key-` to remove, `--overwrite`, `-n/--namespace`) and its resource names, where
 * `service`/`svc` is the core Service and `ksvc` the Knative one. Other kubectl verbs are
 * written as `apply:` and `delete:` actions.
 */
import { TYPE } from '../apis/core.js';
import { splitShellWords } from '../kn/shell-words.js';
import { didYouMean } from './diagnostics.js';

/** A resource kind as kubectl names it and prints it (`service`, `service.serving.knative.dev`). */
interface KubectlResource {
  type: string;
  /** kubectl's `kind.group/name` prefix in its output. */
  printed: string;
  /** kubectl's NotFound resource text, e.g. `services`. */
  plural: string;
}

const RESOURCES: { names: string[]; resource: KubectlResource }[] = [
  { names: ['service', 'services', 'svc'], resource: { type: TYPE.service, printed: 'service', plural: 'services' } },
  {
    names: ['ksvc', 'kservice', 'kservices', 'services.serving.knative.dev', 'service.serving.knative.dev'],
    resource: { type: TYPE.knService, printed: 'service.serving.knative.dev', plural: 'services.serving.knative.dev' },
  },
  { names: ['route', 'routes', 'rt'], resource: { type: TYPE.route, printed: 'route.serving.knative.dev', plural: 'routes.serving.knative.dev' } },
  {
    names: ['configuration', 'configurations', 'config', 'cfg'],
    resource: { type: TYPE.configuration, printed: 'configuration.serving.knative.dev', plural: 'configurations.serving.knative.dev' },
  },
  {
    names: ['revision', 'revisions', 'rev'],
    resource: { type: TYPE.revision, printed: 'revision.serving.knative.dev', plural: 'revisions.serving.knative.dev' },
  },
  {
    names: ['domainmapping', 'domainmappings', 'dm'],
    resource: { type: TYPE.domainMapping, printed: 'domainmapping.serving.knative.dev', plural: 'domainmappings.serving.knative.dev' },
  },
  { names: ['pod', 'pods', 'po'], resource: { type: TYPE.pod, printed: 'pod', plural: 'pods' } },
  { names: ['deployment', 'deployments', 'deploy'], resource: { type: TYPE.deployment, printed: 'deployment.apps', plural: 'deployments.apps' } },
  { names: ['configmap', 'configmaps', 'cm'], resource: { type: TYPE.configMap, printed: 'configmap', plural: 'configmaps' } },
];

export interface KubectlLabel {
  verb: 'label';
  resource: KubectlResource;
  name: string;
  namespace: string;
  /** Labels to set, in the order given. */
  set: [string, string][];
  /** Labels to remove (`key-`). */
  remove: string[];
  overwrite: boolean;
}

type KubectlParse = { ok: true; command: KubectlLabel } | { ok: false; error: string; hint?: string };

/** Parses `[kubectl] label TYPE NAME k=v… [k-…] [--overwrite] [-n NS]`. */
export function parseKubectl(commandLine: string): KubectlParse {
  const split = splitShellWords(commandLine);
  if (!split.ok) return { ok: false, error: split.error };
  const words = split.words;
  if (words[0] === 'kubectl') words.shift();
  const verb = words.shift();
  if (verb !== 'label') {
    return {
      ok: false,
      error: verb === undefined ? 'no kubectl command given' : `knsim runs "kubectl label" only, not "kubectl ${verb}"`,
      hint: 'write manifests as apply: actions and deletions as delete: actions',
    };
  }
  let namespace = 'default';
  let overwrite = false;
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (w === '--overwrite' || w === '--overwrite=true') overwrite = true;
    else if (w === '--overwrite=false') overwrite = false;
    else if (w === '-n' || w === '--namespace') {
      const v = words[++i];
      if (v === undefined) return { ok: false, error: `flag needs an argument: ${w === '-n' ? "'n' in -n" : '--namespace'}` };
      namespace = v;
    } else if (w.startsWith('--namespace=')) namespace = w.slice('--namespace='.length);
    else if (w.startsWith('-')) return { ok: false, error: `unknown flag: ${w}` };
    else positional.push(w);
  }
  let typeWord = positional.shift();
  let name: string | undefined;
  if (typeWord?.includes('/') === true) [typeWord, name] = typeWord.split('/', 2) as [string, string];
  else name = positional.shift();
  if (typeWord === undefined || name === undefined || name === '') return { ok: false, error: 'error: resource(s) were provided, but no name was specified' };
  const hit = RESOURCES.find((r) => r.names.includes(typeWord.toLowerCase()));
  if (hit === undefined) {
    const guess = didYouMean(
      typeWord,
      RESOURCES.flatMap((r) => r.names),
    );
    return {
      ok: false,
      error: `error: the server doesn't have a resource type "${typeWord}"`,
      ...(guess !== undefined ? { hint: `did you mean "${guess}"?` } : {}),
    };
  }
  const set: [string, string][] = [];
  const remove: string[] = [];
  for (const p of positional) {
    if (p.endsWith('-') && !p.includes('=')) remove.push(p.slice(0, -1));
    else if (p.includes('=')) set.push([p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]);
    else return { ok: false, error: `error: invalid label spec: ${p}` };
  }
  if (set.length === 0 && remove.length === 0) return { ok: false, error: 'error: at least one label update is required' };
  return { ok: true, command: { verb: 'label', resource: hit.resource, name, namespace, set, remove, overwrite } };
}
