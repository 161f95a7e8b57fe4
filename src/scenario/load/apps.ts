/**
 * Reads `apps:`: the app model of each container image (service-time distribution,
 * error rate, start-up delay, time to first byte, stream interval, failure model), sorted by image. An app's `imageSize` is a cold-start fact;
 * it is returned apart, for the cluster section to merge into the image pull sizes.
 */
import type { SourcePos } from '../diagnostics.js';
import { APP_SHAPE, CRASH_SHAPE, FAILURE_SHAPE, FLAP_SHAPE, HANG_SHAPE } from '../shape.js';
import type { ScenarioApp, ScenarioAppFailure } from '../types.js';
import type { LoadContext } from './context.js';
import { parseCpu } from './cpu.js';
import { readDistribution } from './distributions.js';

/** `apps.<image>.imageSize`, in bytes, where it was written. */
export interface AppImageSize {
  image: string;
  sizeBytes: number;
  pos: SourcePos;
}

/** `apps:`, sorted by image, and the image sizes given there (in the same order). */
export function readApps(ctx: LoadContext, node: unknown): { apps: ScenarioApp[]; imageSizes: AppImageSize[] } {
  const r = ctx.r;
  const f = r.fields(node, 'apps', 'any');
  const out: { app: ScenarioApp; sizeBytes: number | undefined }[] = [];
  for (const field of f?.list ?? []) {
    const p = `apps.${field.key}`;
    const a = r.fields(field.value, p, APP_SHAPE);
    if (a === undefined) continue;
    const app: ScenarioApp = { image: field.key, errorRate: 0, pos: r.pos(field.keyNode) };
    if (a.has('serviceTime')) app.serviceTime = readDistribution(ctx, a.get('serviceTime'), `${p}.serviceTime`);
    if (a.has('errorRate')) app.errorRate = r.number(a.get('errorRate'), `${p}.errorRate`, { min: 0, max: 1 }) ?? 0;
    if (a.has('startupDelay')) app.startupDelayMs = r.duration(a.get('startupDelay'), `${p}.startupDelay`);
    if (a.has('firstByte')) app.firstByte = readDistribution(ctx, a.get('firstByte'), `${p}.firstByte`);
    if (a.has('streamInterval')) app.streamIntervalMs = r.duration(a.get('streamInterval'), `${p}.streamInterval`, { allowZero: false });
    const sizeBytes = a.has('imageSize') ? r.bytes(a.get('imageSize'), `${p}.imageSize`) : undefined;
    if (a.has('cpuPerRequest')) app.cpuPerRequestMs = r.duration(a.get('cpuPerRequest'), `${p}.cpuPerRequest`);
    if (a.has('idleCpu')) {
      const node = a.get('idleCpu');
      const text = r.scalarText(node) ?? '';
      const millis = text.trim() === '0' ? 0 : parseCpu(text);
      if (millis === undefined)
        r.report('SCENARIO_BAD_VALUE', node, `${p}.idleCpu: invalid CPU quantity "${text}": expected cores such as 0.1, or millicores such as 50m`);
      else app.idleCpuMillis = millis;
    }
    if (a.has('memoryPerRequest')) app.memoryPerRequestBytes = r.bytes(a.get('memoryPerRequest'), `${p}.memoryPerRequest`);
    if (a.has('baseMemory')) app.baseMemoryBytes = r.bytes(a.get('baseMemory'), `${p}.baseMemory`);
    if (a.has('failure')) app.failure = readFailure(ctx, a.get('failure'), `${p}.failure`);
    for (const k of [
      'serviceTime',
      'startupDelayMs',
      'firstByte',
      'streamIntervalMs',
      'failure',
      'cpuPerRequestMs',
      'idleCpuMillis',
      'memoryPerRequestBytes',
      'baseMemoryBytes',
    ] as const)
      if (app[k] === undefined) delete app[k];
    out.push({ app, sizeBytes });
  }
  out.sort((x, y) => (x.app.image < y.app.image ? -1 : x.app.image > y.app.image ? 1 : 0));
  const imageSizes: AppImageSize[] = [];
  for (const { app, sizeBytes } of out) if (sizeBytes !== undefined) imageSizes.push({ image: app.image, sizeBytes, pos: app.pos });
  return { apps: out.map((o) => o.app), imageSizes };
}

/**
 * `apps.<image>.failure`: `crash: {after, afterRequests, rate}`, `exitCode`, `message`,
 * `startupFailures` (a count or `always`), `readinessFlap: {ready, unready}`, `hang: {after}`.
 */
function readFailure(ctx: LoadContext, node: unknown, path: string): ScenarioAppFailure | undefined {
  const r = ctx.r;
  const f = r.fields(node, path, FAILURE_SHAPE);
  if (f === undefined) return undefined;
  const out: ScenarioAppFailure = {};
  if (f.has('crash')) {
    const c = r.fields(f.get('crash'), `${path}.crash`, CRASH_SHAPE);
    if (c !== undefined) {
      const crash: NonNullable<ScenarioAppFailure['crash']> = {};
      if (c.has('after')) crash.after = readDistribution(ctx, c.get('after'), `${path}.crash.after`);
      if (c.has('afterRequests')) crash.afterRequests = r.number(c.get('afterRequests'), `${path}.crash.afterRequests`, { min: 1, integer: true });
      if (c.has('rate')) crash.ratePerSecond = r.number(c.get('rate'), `${path}.crash.rate`, { minExclusive: 0 });
      for (const k of ['after', 'afterRequests', 'ratePerSecond'] as const) if (crash[k] === undefined) delete crash[k];
      if (c.list.length === 0) r.report('SCENARIO_MISSING_KEY', f.get('crash'), `${path}.crash: give after, afterRequests or rate`);
      out.crash = crash;
    }
  }
  if (f.has('exitCode')) out.exitCode = r.number(f.get('exitCode'), `${path}.exitCode`, { min: 0, max: 255, integer: true });
  if (f.has('message')) out.message = r.string(f.get('message'), `${path}.message`);
  if (f.has('startupFailures')) {
    const n = f.get('startupFailures');
    out.startupFailures = r.scalar(n) === 'always' ? Infinity : r.number(n, `${path}.startupFailures`, { min: 0, integer: true });
  }
  if (f.has('readinessFlap')) {
    const fl = r.fields(f.get('readinessFlap'), `${path}.readinessFlap`, FLAP_SHAPE);
    const readyNode = fl === undefined ? undefined : r.require(fl, 'ready', `${path}.readinessFlap`);
    const unreadyNode = fl === undefined ? undefined : r.require(fl, 'unready', `${path}.readinessFlap`);
    const ready = readyNode === undefined ? undefined : readDistribution(ctx, readyNode, `${path}.readinessFlap.ready`);
    const unready = unreadyNode === undefined ? undefined : readDistribution(ctx, unreadyNode, `${path}.readinessFlap.unready`);
    if (ready !== undefined && unready !== undefined) out.readinessFlap = { ready, unready };
  }
  if (f.has('hang')) {
    const h = r.fields(f.get('hang'), `${path}.hang`, HANG_SHAPE);
    const afterNode = h === undefined ? undefined : r.require(h, 'after', `${path}.hang`);
    const after = afterNode === undefined ? undefined : readDistribution(ctx, afterNode, `${path}.hang.after`);
    if (after !== undefined) out.hang = { after };
  }
  for (const k of ['exitCode', 'message', 'startupFailures'] as const) if (out[k] === undefined) delete out[k];
  return out;
}
