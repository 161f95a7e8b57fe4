/**
 * kn's describe pages: `kn service describe`, `kn revision describe`, `kn route describe`,
 * with `--verbose`, laid out by kn's prefix writer (labels padded to a common column per
 * block, sections separated by blank lines, trailing spaces where kn's tab writer leaves them).
 *
 * Mirrors knative/client pkg/commands/service/describe.go, pkg/commands/revision/describe.go
 * and pkg/commands/route/describe.go: a service shows its traffic targets and latest revisions,
 * newest generation first, each as `100%  @latest (name) [1] (2m)` with its image and
 * replicas (verbose adds port, env, scale, concurrency, resources and every revision); a
 * revision shows image, replicas, port, env, `Scale: 1 ... 3`, the Concurrency section
 * (Limit, Target, Window, TargetUtilization) and resources; a route its traffic targets.
 * Images show as kn shows them against a cluster that resolves (or skips resolving) tags:
 * `image (pinned to digest)`. Fidelity: no `-o yaml|json|url`.
 */
import type { ApiServer } from '../k8s/api-server.js';
import { TYPE, type Container } from '../apis/core.js';
import type { Condition } from '../apis/meta.js';
import { LABEL, ANNOTATION, type Configuration, type KnService, type Revision, type Route, type TrafficTarget } from '../apis/serving-types.js';
import { describeAge, PrefixWriter, writeConditions, writeMetadata, writeSliceDesc } from './printers.js';

const MIN_SCALE = 'autoscaling.knative.dev/min-scale';
const MAX_SCALE = 'autoscaling.knative.dev/max-scale';
const TARGET = 'autoscaling.knative.dev/target';
const UTILIZATION = 'autoscaling.knative.dev/target-utilization-percentage';
const WINDOW = 'autoscaling.knative.dev/window';

/** Go's strconv.Atoi: an optional sign and decimal digits, within 64 bits. */
function atoi(text: string | undefined): number | undefined {
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

function atoiError(text: string): string {
  return `strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;
}

/**
 * kn's main container: the only one, or (with sidecars) the revision's first container once one
 * of them declares a port; none when no container declares one.
 */
function mainContainer(r: Revision): Container | undefined {
  const containers = r.spec.containers ?? [];
  if (containers.length === 1) return containers[0];
  return containers.some((c) => (c.ports?.length ?? 0) > 0) ? containers[0] : undefined;
}

/** `rainbows (pinned to 1a2b3c)`: the image the user typed and the digest the revision runs, shortened to 6 hex digits. */
function imageText(r: Revision): string {
  const c = mainContainer(r);
  if (c === undefined) return 'Unknown';
  let image = c.image ?? '';
  let pinned = 'at';
  const userImage = r.metadata.annotations?.[ANNOTATION.userImage] ?? '';
  const digest = r.status?.containerStatuses?.[0]?.imageDigest ?? '';
  if (userImage !== '' && digest !== '') {
    const parts = image.includes('@') ? image.split('@') : image.split(':');
    if (userImage.startsWith(parts[0] ?? '')) {
      pinned = 'pinned to';
      image = userImage;
    }
  }
  if (digest !== '') {
    const sha = /sha256:([0-9a-f]{64})/i.exec(digest);
    image = `${image} (${pinned} ${sha?.[1] !== undefined ? sha[1].slice(0, 6) : digest})`;
  }
  return image;
}

function writeImage(dw: PrefixWriter, r: Revision): void {
  dw.writeAttribute('Image', imageText(r));
}

function writeReplicas(dw: PrefixWriter, r: Revision): void {
  const actual = r.status?.actualReplicas;
  const desired = r.status?.desiredReplicas;
  if (actual !== undefined && desired !== undefined) dw.writeAttribute('Replicas', `${actual}/${desired}`);
}

function writePort(dw: PrefixWriter, r: Revision): void {
  const port = mainContainer(r)?.ports?.[0]?.containerPort;
  if (port !== undefined) dw.writeAttribute('Port', String(port));
}

function writeEnv(dw: PrefixWriter, r: Revision, details: boolean): void {
  const env = (mainContainer(r)?.env ?? []).map((e) => `${e.name}=${e.value ?? ''}`);
  writeSliceDesc(dw, env, 'Env', details);
}

/** `Scale: 1 ... 3` (`∞` without a max), or kn's note on a misformatted bound. */
function writeScale(dw: PrefixWriter, r: Revision): void {
  const a = r.metadata.annotations ?? {};
  for (const key of [MIN_SCALE, MAX_SCALE]) {
    const text = a[key];
    if (text !== undefined && atoi(text) === undefined) {
      dw.writeAttribute('Scale', `Misformatted: ${atoiError(text)}`);
      return;
    }
  }
  const min = atoi(a[MIN_SCALE]);
  const max = atoi(a[MAX_SCALE]);
  if (min === undefined && max === undefined) return;
  dw.writeAttribute('Scale', `${min ?? 0} ... ${max ?? '∞'}`);
}

/** The Concurrency section: Limit (containerConcurrency), Target, Window, TargetUtilization from the annotations. */
function writeConcurrency(dw: PrefixWriter, r: Revision): void {
  const a = r.metadata.annotations ?? {};
  const target = atoi(a[TARGET]);
  const limit = r.spec.containerConcurrency;
  const window = a[WINDOW] ?? '';
  const utilization = atoi(a[UTILIZATION]);
  if (target === undefined && !limit && window === '' && utilization === undefined) return;
  const section = dw.writeAttribute('Concurrency', '');
  if (limit) section.writeAttribute('Limit', String(limit));
  if (target !== undefined) section.writeAttribute('Target', String(target));
  if (window !== '') section.writeAttribute('Window', window);
  if (utilization !== undefined) section.writeAttribute('TargetUtilization', String(utilization));
}

/** `Memory: 64Mi ... 128Mi` and `CPU:` from the container's requests and limits. */
function writeResources(dw: PrefixWriter, r: Revision): void {
  const res = mainContainer(r)?.resources;
  const both = (req: string | undefined, lim: string | undefined): string =>
    req && lim && !isZero(req) && !isZero(lim) ? `${req} ... ${lim}` : req && !isZero(req) ? req : lim && !isZero(lim) ? lim : '';
  const memory = both(res?.requests?.memory, res?.limits?.memory);
  if (memory !== '') dw.writeAttribute('Memory', memory);
  const cpu = both(res?.requests?.cpu, res?.limits?.cpu);
  if (cpu !== '') dw.writeAttribute('CPU', cpu);
}

function isZero(quantity: string): boolean {
  return /^0+(\.0*)?[a-zA-Z]*$/.test(quantity);
}

// ------------------------------------------------------------------ kn revision describe

export interface DescribeOptions {
  /** kn's --verbose. */
  verbose?: boolean;
}

export function revisionDescribe(api: ApiServer, nowMs: number, r: Revision, opts: DescribeOptions = {}): string {
  const details = opts.verbose === true;
  const dw = PrefixWriter.describe();
  writeMetadata(dw, r.metadata, nowMs, details);
  writeImage(dw, r);
  writeReplicas(dw, r);
  writePort(dw, r);
  writeEnv(dw, r, details);
  writeScale(dw, r);
  writeConcurrency(dw, r);
  writeResources(dw, r);
  const serviceName = r.metadata.labels?.[LABEL.service];
  if (serviceName !== undefined) {
    const section = dw.writeAttribute('Service', serviceName);
    const service = details ? api.get<KnService>(TYPE.knService, r.metadata.namespace ?? '', serviceName) : undefined;
    // kn --verbose looks the service up and fails the command when it is gone.
    if (details && service === undefined) throw new DescribeError(`services.serving.knative.dev "${serviceName}" not found`);
    if (details) {
      section.writeAttribute('Configuration Generation', r.metadata.labels?.[LABEL.configurationGeneration] ?? '');
      section.writeAttribute('Latest Created', String(r.metadata.name === service?.status?.latestCreatedRevisionName));
      section.writeAttribute('Latest Ready', String(r.metadata.name === service?.status?.latestReadyRevisionName));
      const { percent, tags } = trafficOf(r.metadata.name, service);
      if (percent !== 0) section.writeAttribute('Traffic', `${percent}%`);
      writeSliceDesc(section, tags, 'Tags', details);
    }
  }
  dw.writeLine();
  writeConditions(dw, r.status?.conditions, nowMs, details);
  return dw.text();
}

function trafficOf(revision: string, service: KnService | undefined): { percent: number; tags: string[] } {
  let percent = 0;
  const tags: string[] = [];
  for (const t of service?.status?.traffic ?? []) {
    if (t.revisionName !== revision) continue;
    percent += t.percent ?? 0;
    if (t.tag) tags.push(t.tag);
  }
  return { percent, tags };
}

// ------------------------------------------------------------------ kn service describe

interface RevisionDesc {
  revision: Revision;
  percent: number;
  tag: string;
  latestTraffic: boolean | undefined;
  generation: number;
  latestCreated: boolean;
  latestReady: boolean;
}

/** Thrown when a revision the service names is missing: kn's error for the whole command. */
export class DescribeError extends Error {}

function newRevisionDesc(revision: Revision, target: TrafficTarget | undefined, service: KnService): RevisionDesc {
  const genText = revision.metadata.labels?.[LABEL.configurationGeneration];
  const generation = atoi(genText);
  if (generation === undefined)
    throw new DescribeError(`cannot extract configuration generation for revision ${revision.metadata.name}: ${atoiError(genText ?? '')}`);
  return {
    revision,
    percent: target?.percent ?? 0,
    tag: target?.tag ?? '',
    latestTraffic: target?.latestRevision,
    generation,
    latestCreated: revision.metadata.name === service.status?.latestCreatedRevisionName,
    latestReady: revision.metadata.name === service.status?.latestReadyRevisionName,
  };
}

function revisionDescriptions(api: ApiServer, service: KnService, details: boolean): RevisionDesc[] {
  const ns = service.metadata.namespace ?? '';
  const get = (name: string): Revision => {
    const r = api.get<Revision>(TYPE.revision, ns, name);
    if (r === undefined) throw new DescribeError(`revisions.serving.knative.dev "${name}" not found`);
    return r;
  };
  const seen = new Set<string>();
  const descs: RevisionDesc[] = [];
  for (const target of service.status?.traffic ?? []) {
    let name = target.revisionName ?? '';
    if (name === '') {
      const configuration = target.configurationName ?? '';
      if (configuration === '')
        throw new DescribeError(`cannot extract revision from service ${service.metadata.name}: neither RevisionName nor ConfigurationName set`);
      const config = api.get<Configuration>(TYPE.configuration, ns, configuration);
      if (config === undefined)
        throw new DescribeError(
          `cannot extract revision from service ${service.metadata.name}: configurations.serving.knative.dev "${configuration}" not found`,
        );
      name = config.status?.latestCreatedRevisionName ?? '';
    }
    let revision: Revision;
    try {
      revision = get(name);
    } catch (err) {
      if (err instanceof DescribeError) throw new DescribeError(`cannot extract revision from service ${service.metadata.name}: ${err.message}`);
      throw err;
    }
    seen.add(revision.metadata.name);
    descs.push(newRevisionDesc(revision, target, service));
  }
  for (const name of [service.status?.latestCreatedRevisionName, service.status?.latestReadyRevisionName]) {
    if (name === undefined || name === '' || seen.has(name)) continue;
    seen.add(name);
    descs.push(newRevisionDesc(get(name), undefined, service));
  }
  if (details) {
    for (const r of api.list<Revision>(TYPE.revision, { namespace: ns, selector: { [LABEL.service]: service.metadata.name } })) {
      if (seen.has(r.metadata.name)) continue;
      seen.add(r.metadata.name);
      descs.push(newRevisionDesc(r, undefined, service));
    }
  }
  // Newest generation first; equal generations keep their order (a stable sort, as kn's).
  return descs.sort((a, b) => b.generation - a.generation);
}

/** `100%`, ` 10%`, `   +` (no traffic, Ready), `   !` (failed), `   ?` (not yet known). */
function formatBullet(percent: number, ready: Condition['status']): string {
  let symbol = '+';
  if (ready === 'True') symbol = percent > 0 ? '%' : '+';
  else if (ready === 'False') symbol = '!';
  else symbol = '?';
  return percent === 0 ? `   ${symbol}` : `${String(percent).padStart(3)}${symbol}`;
}

function revisionHeader(d: RevisionDesc, nowMs: number): string {
  const name = d.revision.metadata.name;
  let header = name;
  if (d.latestTraffic === true) header = `@latest (${name})`;
  else if (d.latestReady) header = `${name} (current @latest)`;
  else if (d.latestCreated) header = `${name} (latest created)`;
  if (d.tag !== '') header = `${header} #${d.tag}`;
  return `${header} [${d.generation}] (${describeAge(nowMs, d.revision.metadata.creationTimestamp)})`;
}

export function serviceDescribe(api: ApiServer, nowMs: number, s: KnService, opts: DescribeOptions = {}): string {
  const details = opts.verbose === true;
  const revisions = revisionDescriptions(api, s, details);
  const dw = PrefixWriter.describe();
  writeMetadata(dw, s.metadata, nowMs, details);
  dw.writeAttribute('URL', s.status?.url ?? '');
  if (details && s.status?.address !== undefined) dw.writeAttribute('Cluster', s.status.address.url);
  const sa = s.spec.template.spec.serviceAccountName ?? '';
  if (sa !== '') dw.writeAttribute('Service Account', sa);
  dw.writeLine();
  dw.flush();

  const revSection = dw.writeAttribute('Revisions', '');
  dw.flush();
  for (const d of revisions) {
    const ready = d.revision.status?.conditions?.find((c) => c.type === 'Ready');
    const status = ready?.status ?? 'Unknown';
    const section = revSection.writeColsLn(formatBullet(d.percent, status), revisionHeader(d, nowMs));
    if (status === 'False') section.writeAttribute('Error', ready?.reason ?? '');
    writeImage(section, d.revision);
    writeReplicas(section, d.revision);
    if (details) {
      writePort(section, d.revision);
      writeEnv(section, d.revision, details);
      writeScale(section, d.revision);
      writeConcurrency(section, d.revision);
      writeResources(section, d.revision);
    }
  }
  dw.writeLine();
  dw.flush();

  writeConditions(dw, s.status?.conditions, nowMs, details);
  return dw.text();
}

// ------------------------------------------------------------------ kn route describe

function formatTarget(t: TrafficTarget): string {
  let header = t.revisionName ?? '';
  if (t.latestRevision === true) header = `@latest (${t.revisionName ?? ''})`;
  if (t.tag) header = `${header} #${t.tag}`;
  return header;
}

export function routeDescribe(nowMs: number, r: Route, opts: DescribeOptions = {}): string {
  const details = opts.verbose === true;
  const dw = PrefixWriter.describe();
  writeMetadata(dw, r.metadata, nowMs, details);
  dw.writeAttribute('URL', r.status?.url ?? '');
  // kn writes a Service line per owner reference, naming the Service owner when there is one.
  let serviceName = '';
  for (const owner of r.metadata.ownerReferences ?? []) {
    if (owner.kind === 'Service') serviceName = details ? `${owner.name} (${owner.apiVersion})` : owner.name;
    dw.writeAttribute('Service', serviceName);
  }
  dw.writeLine();
  const traffic = dw.writeAttribute('Traffic Targets', '');
  dw.flush();
  for (const t of r.status?.traffic ?? []) {
    const section = traffic.writeColsLn(`${String(t.percent ?? 0).padStart(3)}%`, formatTarget(t));
    if (t.tag) section.writeAttribute('URL', t.url ?? '');
  }
  dw.writeLine();
  writeConditions(dw, r.status?.conditions, nowMs, details);
  return dw.text();
}
