/**
 * Reads `apps:`: the app model of each container image (service-time distribution,
 * error rate, start-up delay, time to first byte, stream interval), sorted by image. An app's `imageSize` is a cold-start fact;
 * it is returned apart, for the cluster section to merge into the image pull sizes.
 */
import type { SourcePos } from '../diagnostics.js';
import { APP_SHAPE } from '../shape.js';
import type { ScenarioApp } from '../types.js';
import type { LoadContext } from './context.js';
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
    for (const k of ['serviceTime', 'startupDelayMs', 'firstByte', 'streamIntervalMs'] as const) if (app[k] === undefined) delete app[k];
    out.push({ app, sizeBytes });
  }
  out.sort((x, y) => (x.app.image < y.app.image ? -1 : x.app.image > y.app.image ? 1 : 0));
  const imageSizes: AppImageSize[] = [];
  for (const { app, sizeBytes } of out) if (sizeBytes !== undefined) imageSizes.push({ image: app.image, sizeBytes, pos: app.pos });
  return { apps: out.map((o) => o.app), imageSizes };
}
