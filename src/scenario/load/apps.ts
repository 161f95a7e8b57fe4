/**
 * Reads `apps:`: the app model of each container image (service-time distribution,
 * error rate, start-up delay), sorted by image. An app's `imageSize` is a cold-start fact;
 * it is returned apart, for the cluster section to merge into the image pull sizes.
 */
import type { SourcePos } from '../diagnostics.js';
import { APP_SHAPE } from '../shape.js';
import type { ScenarioApp } from '../types.js';
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
    for (const k of ['serviceTime', 'startupDelayMs', 'cpuPerRequestMs', 'idleCpuMillis', 'memoryPerRequestBytes', 'baseMemoryBytes'] as const)
      if (app[k] === undefined) delete app[k];
    out.push({ app, sizeBytes });
  }
  out.sort((x, y) => (x.app.image < y.app.image ? -1 : x.app.image > y.app.image ? 1 : 0));
  const imageSizes: AppImageSize[] = [];
  for (const { app, sizeBytes } of out) if (sizeBytes !== undefined) imageSizes.push({ image: app.image, sizeBytes, pos: app.pos });
  return { apps: out.map((o) => o.app), imageSizes };
}
