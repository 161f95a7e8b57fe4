/**
 * Reads `cluster:`: the nodes (a count, or a list of entries with a `count` each), the
 * cold-start timings (image pull base, bandwidth, unpack rate, default size, serialization and
 * per-image sizes or times; sandbox, container start, readiness probe period, jitter), the API and route-propagation latencies, the
 * images whose pull fails, and the number of activator replicas. Image sizes given under `apps.<image>.imageSize` join the
 * per-image pull facts here.
 */
import { parseCpu } from './cpu.js';
import type { SourcePos } from '../diagnostics.js';
import { COLD_START_SHAPE, CLUSTER_SHAPE, IMAGE_PULL_SHAPE, NODE_SHAPE, PULL_IMAGE_SHAPE } from '../shape.js';
import type { ColdStartImage, ScenarioCluster, ScenarioNode } from '../types.js';
import type { AppImageSize } from './apps.js';
import { exactlyOne, optDuration, type LoadContext } from './context.js';

const DEFAULT_NODE_CPU = '4';
/**
 * Most activator replicas a scenario may ask for. Knative's activator HPA allows 20 by default;
 * 1,000 leaves room for a raised maxReplicas while each revision's throttlers stay small.
 */
const MAX_ACTIVATORS = 1000;
const DEFAULT_NODE_MEMORY = '16Gi';

/** `cluster:` (undefined when absent), merged with the apps' image sizes. */
export function readCluster(ctx: LoadContext, node: unknown, appImageSizes: readonly AppImageSize[], rootPos: SourcePos): ScenarioCluster {
  const r = ctx.r;
  const cluster: ScenarioCluster = { coldStart: { images: [] }, missingImages: [], pos: node === undefined ? rootPos : r.pos(node) };
  const images = new Map<string, ColdStartImage>();
  const f = node === undefined ? undefined : r.fields(node, 'cluster', CLUSTER_SHAPE);
  if (f !== undefined) {
    if (f.has('nodes')) cluster.nodes = readNodes(ctx, f.get('nodes'));
    if (f.has('coldStart')) {
      const c = r.fields(f.get('coldStart'), 'cluster.coldStart', COLD_START_SHAPE);
      if (c !== undefined) {
        const p = 'cluster.coldStart';
        if (c.has('imagePull')) {
          const ip = r.fields(c.get('imagePull'), `${p}.imagePull`, IMAGE_PULL_SHAPE);
          if (ip !== undefined) {
            cluster.coldStart.pullBaseMs = optDuration(ctx, ip, 'base', `${p}.imagePull`);
            const rate = (key: 'bandwidth' | 'unpackRate'): number | undefined => {
              if (!ip.has(key)) return undefined;
              const bytes = r.bytes(ip.get(key), `${p}.imagePull.${key}`);
              if (bytes !== 0) return bytes;
              r.report('SCENARIO_OUT_OF_RANGE', ip.get(key), `${p}.imagePull.${key}: must be greater than 0 (bytes per second)`);
              return undefined;
            };
            cluster.coldStart.pullBandwidthBytesPerSecond = rate('bandwidth');
            cluster.coldStart.unpackBytesPerSecond = rate('unpackRate');
            if (ip.has('defaultSize')) cluster.coldStart.defaultImageSizeBytes = r.bytes(ip.get('defaultSize'), `${p}.imagePull.defaultSize`);
            if (ip.has('serialize')) cluster.coldStart.serializeImagePulls = r.boolean(ip.get('serialize'), `${p}.imagePull.serialize`);
            if (ip.has('images')) {
              const imgs = r.fields(ip.get('images'), `${p}.imagePull.images`, 'any');
              for (const field of imgs?.list ?? []) {
                const ipath = `${p}.imagePull.images.${field.key}`;
                const e = r.fields(field.value, ipath, PULL_IMAGE_SHAPE);
                if (e === undefined) continue;
                const which = exactlyOne(ctx, e, ['size', 'time'], ipath, 'the image size or the pull time');
                const img: ColdStartImage = { image: field.key, pos: r.pos(field.keyNode) };
                if (which === 'size') img.sizeBytes = r.bytes(e.get('size'), `${ipath}.size`);
                if (which === 'time') img.pullMs = r.duration(e.get('time'), `${ipath}.time`);
                images.set(field.key, img);
              }
            }
          }
        }
        cluster.coldStart.sandboxMs = optDuration(ctx, c, 'sandbox', p);
        cluster.coldStart.containerStartMs = optDuration(ctx, c, 'containerStart', p);
        cluster.coldStart.readinessProbePeriodMs = optDuration(ctx, c, 'readinessProbePeriod', p, { allowZero: false });
        if (c.has('readinessProbePeriod'))
          r.report(
            'SCENARIO_BAD_VALUE',
            c.field('readinessProbePeriod')?.keyNode,
            `${p}.readinessProbePeriod has no effect: the kubelet probes on each probe's periodSeconds from the manifest, and queue-proxy probes the user container every 50 ms (Knative's default periodSeconds 0)`,
            { severity: 'warning' },
          );
        if (c.has('jitter')) cluster.coldStart.jitterFraction = r.number(c.get('jitter'), `${p}.jitter`, { min: 0, max: 0.99 });
        for (const k of Object.keys(cluster.coldStart) as (keyof typeof cluster.coldStart)[])
          if (cluster.coldStart[k] === undefined) delete cluster.coldStart[k];
      }
    }
    cluster.apiLatencyMs = optDuration(ctx, f, 'apiLatency', 'cluster');
    cluster.routePropagationMs = optDuration(ctx, f, 'routePropagation', 'cluster');
    if (f.has('missingImages')) {
      const items = r.items(f.get('missingImages'), 'cluster.missingImages') ?? [];
      const names = new Set<string>();
      items.forEach((it, i) => {
        const s = r.string(it, `cluster.missingImages[${i}]`, { nonEmpty: true });
        if (s !== undefined) names.add(s);
      });
      cluster.missingImages = [...names].sort();
    }
    if (f.has('activators')) cluster.activators = r.number(f.get('activators'), 'cluster.activators', { integer: true, min: 1, max: MAX_ACTIVATORS });
    if (cluster.activators === undefined) delete cluster.activators;
    for (const k of ['apiLatencyMs', 'routePropagationMs'] as const) if (cluster[k] === undefined) delete cluster[k];
  }
  // apps.<image>.imageSize is the same fact as coldStart.imagePull.images.<image>.size, written where the app is.
  for (const app of appImageSizes) {
    const existing = images.get(app.image);
    if (existing !== undefined) {
      r.report(
        'SCENARIO_CONFLICTING_KEYS',
        app.pos,
        `apps.${app.image}.imageSize: the image's pull is also set in cluster.coldStart.imagePull.images (line ${existing.pos.line}); set it in one place`,
      );
      continue;
    }
    images.set(app.image, { image: app.image, sizeBytes: app.sizeBytes, pos: app.pos });
  }
  cluster.coldStart.images = [...images.values()].sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
  return cluster;
}

function readNodes(ctx: LoadContext, node: unknown): ScenarioNode[] | undefined {
  const r = ctx.r;
  if (r.kindOf(node) === 'number') {
    const count = r.number(node, 'cluster.nodes', { integer: true, min: 1 });
    if (count === undefined) return undefined;
    if (count > ctx.limits.maxObjects) {
      r.report('SCENARIO_LIMIT_EXCEEDED', node, `cluster.nodes: ${count} nodes exceed the limit of ${ctx.limits.maxObjects} objects (maxObjects)`);
      return undefined;
    }
    const pos = r.pos(node);
    return Array.from({ length: count }, (_, i) => ({
      name: `node-${i + 1}`,
      cpu: DEFAULT_NODE_CPU,
      cpuMillis: 4000,
      memory: DEFAULT_NODE_MEMORY,
      memoryBytes: 16 * 2 ** 30,
      pos,
    }));
  }
  const items = r.items(node, 'cluster.nodes');
  if (items === undefined) return undefined;
  const out: ScenarioNode[] = [];
  const names = new Set<string>();
  let total = 0;
  items.forEach((item, i) => {
    const p = `cluster.nodes[${i}]`;
    const f = r.fields(item, p, NODE_SHAPE);
    if (f === undefined) return;
    const count = f.has('count') ? r.number(f.get('count'), `${p}.count`, { integer: true, min: 1 }) : 1;
    if (count === undefined) return;
    total += count;
    if (total > ctx.limits.maxObjects) {
      r.report(
        'SCENARIO_LIMIT_EXCEEDED',
        f.get('count') ?? item,
        `cluster.nodes: ${total} nodes exceed the limit of ${ctx.limits.maxObjects} objects (maxObjects)`,
      );
      return;
    }
    const cpuNode = f.get('cpu');
    let cpu = DEFAULT_NODE_CPU;
    let cpuMillis: number | undefined = 4000;
    if (cpuNode !== undefined) {
      cpu = r.scalarText(cpuNode) ?? '';
      cpuMillis = parseCpu(cpu);
      if (cpuMillis === undefined || !['string', 'number'].includes(r.kindOf(cpuNode))) {
        r.report('SCENARIO_BAD_VALUE', cpuNode, `${p}.cpu: invalid CPU quantity "${cpu}": expected cores such as 4 or 0.5, or millicores such as 3500m`);
        cpuMillis = undefined;
      }
    }
    const memory = f.has('memory') ? r.scalarText(f.get('memory')) : DEFAULT_NODE_MEMORY;
    const memoryBytes = f.has('memory') ? r.bytes(f.get('memory'), `${p}.memory`) : 16 * 2 ** 30;
    const given = f.has('name') ? r.string(f.get('name'), `${p}.name`, { nonEmpty: true }) : undefined;
    if (cpuMillis === undefined || memoryBytes === undefined || memory === undefined) return;
    for (let k = 0; k < count; k++) {
      const name = given === undefined ? `node-${out.length + 1}` : count === 1 ? given : `${given}-${k + 1}`;
      if (names.has(name)) {
        r.report('SCENARIO_DUPLICATE', f.get('name') ?? item, `${p}: node name "${name}" is used twice`);
        return;
      }
      names.add(name);
      out.push({ name, cpu, cpuMillis, memory, memoryBytes, pos: r.pos(item) });
    }
  });
  return out;
}
