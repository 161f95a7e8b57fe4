/**
 * The scenario loader: YAML text in, one checked model of the scenario out (`Scenario`: every
 * part turned into typed values once, with Knative's and Kubernetes' own rules, and the run
 * consumes only those), or every problem at once as diagnostics with file, line and column.
 * This file reads the top level (limits, name, description, seed, duration), runs the sections
 * in order (each has its own reader in this folder, all sharing one load context,
 * context.ts), the timeline's dry run between the timeline and the traffic (dry-run.ts: what
 * the timeline creates, which traffic targets and expectations are then checked against),
 * and the budget: totals against the limits and the estimates of the work.
 * File contents come only through the injected `readFile`, so the loader stays pure and
 * testable; the CLI passes fs.
 * Fidelity: manifests are checked against the cluster's structural schema
 * (src/apis/structural-schema.ts), then defaulted and validated with Knative's own webhook
 * rules (src/apis/serving-validation.ts) in timeline order; ConfigMap data with Knative's own
 * parsers (src/apis/config/*); kn command lines with kn's own parser (src/kn/parse.ts) and the
 * objects they write with the webhook's rules; traces with the replayer's own parser; workloads,
 * distributions, app models and the cluster with the checks their run-time users apply.
 */
import { isMap, isScalar } from 'yaml';
import { checkNodeProfiles, resolveClusterProfile } from '../../k8s/profile.js';
import { parseMemoryBytes } from '../../apis/core.js';
import { setOwn } from '../../apis/meta.js';
import { distributionMeanMs } from '../../engine/distribution.js';
import { formatDuration } from '../../engine/units.js';
import { DEFAULT_APP_MODEL, lookupAppSpec, type AppModelSpec } from '../../dataplane/app-model.js';
import { checkWorkloadSpec } from '../../workload/workload.js';
import { clusterProfileOverrides, nodeProfilesOf } from '../cluster-profile.js';
import { hasErrors, type Diagnostic, type SourcePos } from '../diagnostics.js';
import { dryRunTimeline, type DryRunResult } from '../dry-run.js';
import { memoryWork, traceMemoryWork, traceParseBytes, workloadBusySeconds } from '../estimate-memory.js';
import {
  estimateRequests,
  estimateRunSeconds,
  traceWork,
  estimateTrafficPods,
  estimateTrafficPodSeconds,
  traceServiceMeanMs,
  READINESS_ALLOWANCE_MS,
  REVISION_POD_SECONDS,
  type EstimateTarget,
} from '../estimate.js';
import { applyOverrides } from '../overrides.js';
import { firstLine, parseYamlDocument, Reader, type SourceDoc } from '../reader.js';
import { SCENARIO_SHAPE } from '../shape.js';
import {
  DEFAULT_LIMITS,
  type Scenario,
  type ScenarioApp,
  type ScenarioCluster,
  type ScenarioLimits,
  type TimelineAction,
  type TrafficWorkload,
} from '../types.js';
import { workloadPatternOf } from '../workload-spec.js';
import { readApps } from './apps.js';
import { readCluster } from './cluster.js';
import { readConfig } from './config.js';
import { newLoadContext, type LoadContext, type LoadOptions, type LoadResult } from './context.js';
import { readExpect } from './expect.js';
import { readLimits, reportLimit } from './limits.js';
import { readTimeline } from './timeline.js';
import { readTraffic } from './traffic.js';
import { readInvariants, readVary } from './vary.js';

export type { LoadOptions, LoadResult } from './context.js';

/**
 * Loads a scenario from YAML text. Never throws for bad input: every problem becomes a
 * diagnostic, and `scenario` is undefined if any of them is an error.
 */
export function loadScenario(text: string, options: LoadOptions): LoadResult {
  const diags: Diagnostic[] = [];
  // Refused before parsing: YAML parsing costs about 130 bytes of memory per byte of text.
  const maxYamlBytes = yamlSizeLimit(options);
  if (text.length > maxYamlBytes) {
    diags.push({
      file: options.file,
      line: 1,
      column: 1,
      code: 'SCENARIO_LIMIT_EXCEEDED',
      severity: 'error',
      message: `the scenario has ${text.length} characters, more than ${maxYamlBytes} (limits.maxYamlSize)`,
      hint: 'raise it with --set limits.maxYamlSize=8Mi (the scenario is parsed before its own limits: section is read)',
    });
    return { scenario: undefined, diagnostics: diags };
  }
  const { doc, lineCounter } = parseYamlDocument(text);
  const src: SourceDoc = { doc, lineCounter, map: { kind: 'shift', file: options.file, lineOffset: 0, columnOffset: 0 } };
  const r0 = new Reader(src, diags);
  for (const e of doc.errors) {
    // The yaml library's advice names its own API; say what is wrong with the file instead.
    const message =
      e.code === 'MULTIPLE_DOCS'
        ? 'a scenario is one YAML document; found a second one after `---` (manifests for `apply` go inside the scenario or in their own file)'
        : firstLine(e.message);
    r0.report('SCENARIO_YAML_SYNTAX', r0.pos({ range: [e.pos[0], e.pos[1], e.pos[1]] }), message);
  }
  if (diags.length > 0) return { scenario: undefined, diagnostics: diags };
  let origins = new WeakMap<object, SourcePos>();
  if (options.sets !== undefined && options.sets.length > 0) {
    const o = applyOverrides(doc, options.sets);
    diags.push(...o.diagnostics);
    origins = o.origins;
  }
  const r = new Reader(src, diags, origins);
  // limits: first, so everything after (the aliases too) is checked against them.
  let limits: ScenarioLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const root = doc.contents;
  const limitsPair = isMap(root) ? root.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === 'limits') : undefined;
  if (limitsPair !== undefined) limits = readLimits(r, limitsPair.value, limits);
  try {
    doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (err) {
    reportLimit(
      r,
      doc.contents,
      `YAML aliases expand too much (more than ${limits.maxAliasCount} alias uses): ${err instanceof Error ? err.message : String(err)}`,
      'maxAliasCount',
    );
    return { scenario: undefined, diagnostics: diags };
  }
  const scenario = readScenario(newLoadContext(r, options, limits, text));
  return { scenario: hasErrors(diags) ? undefined : scenario, diagnostics: diags };
}

/** The YAML size limit for the scenario text itself: the options', or a `--set limits.maxYamlSize=<size>` (read before the YAML is). */
function yamlSizeLimit(options: LoadOptions): number {
  let limit = options.limits?.maxYamlBytes ?? DEFAULT_LIMITS.maxYamlBytes;
  for (const set of options.sets ?? []) {
    const m = /^limits\.maxYamlSize=(.*)$/.exec(set);
    const v = m === null ? NaN : parseMemoryBytes(m[1] ?? '');
    if (Number.isFinite(v) && v > 0) limit = v;
  }
  return limit;
}

/** The largest integer a double holds exactly: a larger seed would be rounded, and the replay line would name another seed. */
const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** The whole document: the top-level values, then each section in a fixed order (the order of its diagnostics). */
function readScenario(ctx: LoadContext): Scenario | undefined {
  const r = ctx.r;
  const root = r.src.doc.contents;
  const pos = r.pos(root);
  if (root === null || (isScalar(root) && root.value === null)) {
    r.report('SCENARIO_MISSING_KEY', pos, 'the scenario is empty: it needs at least "duration"');
    return undefined;
  }
  const f = r.fields(root, '', SCENARIO_SHAPE);
  if (f === undefined) return undefined;

  const fileBase = ctx.options.file.replace(/^.*\//, '').replace(/\.[^.]*$/, '');
  const name = f.has('name') ? (r.string(f.get('name'), 'name', { lenient: true, nonEmpty: true }) ?? fileBase) : fileBase;
  const description = f.has('description') ? (r.string(f.get('description'), 'description', { lenient: true }) ?? '') : '';
  const seed = f.has('seed') ? readSeed(ctx, f.get('seed')) : 1;
  const durationNode = r.require(f, 'duration', '');
  if (durationNode !== undefined) {
    const ms = r.duration(durationNode, 'duration', { allowZero: false });
    if (ms !== undefined && ms > ctx.limits.maxDurationMs) {
      reportLimit(
        r,
        durationNode,
        `duration ${String(r.scalar(durationNode))} exceeds the limit of ${formatDuration(ctx.limits.maxDurationMs)}`,
        'maxDurationMs',
      );
    } else if (ms !== undefined) ctx.durationMs = ms;
  }

  // config before timeline: manifests are validated against config-autoscaler.
  const config = f.has('config') ? readConfig(ctx, f.get('config')) : [];
  const { apps, imageSizes } = f.has('apps') ? readApps(ctx, f.get('apps')) : { apps: [], imageSizes: [] };
  const cluster = readCluster(ctx, f.get('cluster'), imageSizes, pos);
  checkCluster(ctx, cluster);
  const errorsBefore = countErrors(r.diags);
  const timeline = f.has('timeline') ? readTimeline(ctx, f.get('timeline')) : [];
  const created = dryRun(ctx, timeline);
  // Targets and expectations are checked against what the timeline creates, unless the timeline itself is wrong (one error, not a cascade).
  if (countErrors(r.diags) === errorsBefore) ctx.created = created;
  const traffic = f.has('traffic') ? readTraffic(ctx, f.get('traffic')) : [];
  const expect = f.has('expect') ? readExpect(ctx, f.get('expect')) : [];
  const invariants = f.has('invariants') ? readInvariants(ctx, f.get('invariants')) : [];
  const vary = f.has('vary') ? readVary(ctx, f.get('vary')) : [];

  ctx.objectCount += config.length + (cluster.nodes?.length ?? 0) + created.knCreated;
  if (ctx.objectCount > ctx.limits.maxObjects) {
    reportLimit(
      r,
      root,
      `the scenario creates ${ctx.objectCount} objects (nodes, ConfigMaps, manifests and kn-created Services), more than ${ctx.limits.maxObjects}`,
      'maxObjects',
    );
  }
  if (created.podsAsked > ctx.limits.maxPods) {
    const by = created.podsAskedBy;
    reportLimit(
      r,
      created.podsAskedBy?.at ?? f.get('timeline') ?? root,
      `the timeline asks for ${created.podsAsked} pods at once through min-scale and initial-scale${by === undefined ? '' : ` (${by.name} alone ${by.pods})`}, more than ${ctx.limits.maxPods}`,
      'maxPods',
    );
  }
  checkWorkloadSpecs(ctx, traffic);
  const budget = checkBudget(ctx, { traffic, apps, timeline, created });
  return { name, description, seed, durationMs: ctx.durationMs, cluster, config, apps, timeline, traffic, expect, invariants, vary, budget, pos };
}

/** `seed:`: an integer a double holds exactly, or a string. */
function readSeed(ctx: LoadContext, node: unknown): string | number {
  const r = ctx.r;
  const kind = r.kindOf(node);
  if (kind === 'string') return r.string(node, 'seed', { nonEmpty: true }) ?? 1;
  if (kind !== 'number') {
    r.wrongType(node, 'seed', 'an integer or a string');
    return 1;
  }
  const v = Number(r.scalar(node));
  if (!Number.isInteger(v) || Math.abs(v) > MAX_SEED) {
    const written = r.scalarText(node) ?? String(v);
    r.report(
      'SCENARIO_BAD_VALUE',
      node,
      `seed: ${written} is not an integer within ±${MAX_SEED}; ${Number.isInteger(v) ? `it would be rounded to ${String(v)}` : 'seeds are whole numbers'}, and the replay line would name another seed`,
      { hint: `quote it to use it as a string seed: seed: "${written}"` },
    );
    return 1;
  }
  return v;
}

function dryRun(ctx: LoadContext, timeline: readonly TimelineAction[]): DryRunResult {
  return dryRunTimeline(timeline, ctx.autoscalerConfig, ctx.defaultsConfig, {
    r: ctx.r,
    locate: (object, path) => ctx.locate.get(object)?.(path) ?? object.pos,
    knPos: (action) => ctx.knPos.get(action) ?? action.pos,
    ...(ctx.options.validateObject !== undefined ? { admit: ctx.options.validateObject } : {}),
  });
}

/** The cluster as the Kubernetes layer will take it, checked by its own checks. */
function checkCluster(ctx: LoadContext, cluster: ScenarioCluster): void {
  try {
    resolveClusterProfile(clusterProfileOverrides(cluster));
    checkNodeProfiles(nodeProfilesOf(cluster));
  } catch (err) {
    ctx.r.report('SCENARIO_BAD_VALUE', cluster.pos, `cluster: ${err instanceof Error ? err.message.replace(/^cluster profile: /, '') : String(err)}`);
  }
}

/** Each synthetic workload's spec as the run starts it, checked by the workload layer's own check. */
function checkWorkloadSpecs(ctx: LoadContext, traffic: readonly TrafficWorkload[]): void {
  for (const w of traffic) {
    if (w.arrivals.pattern === 'trace') continue;
    const problems = checkWorkloadSpec({ ...workloadPatternOf(w), name: w.name, target: null, fromMs: w.fromMs, toMs: w.toMs });
    if (problems.length > 0) ctx.r.report('SCENARIO_BAD_VALUE', w.pos, `traffic "${w.name}": ${problems.join('; ')}`);
  }
}

/** Estimates the requests, pods and run time and reports those beyond the limits. */
function checkBudget(
  ctx: LoadContext,
  s: { traffic: readonly TrafficWorkload[]; apps: readonly ScenarioApp[]; timeline: readonly TimelineAction[]; created: DryRunResult },
): Scenario['budget'] {
  const r = ctx.r;
  const appSpecs: Record<string, AppModelSpec> = {};
  for (const app of s.apps) if (app.serviceTime !== undefined) setOwn(appSpecs, app.image, { serviceTime: app.serviceTime });
  const meanOf = (image: string | undefined): number => distributionMeanMs(lookupAppSpec(appSpecs, image).serviceTime);
  let requests = 0;
  let trafficPodSeconds = 0;
  let biggest: { w: TrafficWorkload; n: number } | undefined;
  // What the run will hold, for the memory estimate (estimate-memory.ts).
  const held = { busySeconds: 0, podStarts: 0, traceBytes: 0, traceParseBytes: 0 };
  for (const w of s.traffic) {
    const found = estimateTarget(w, s.created, s.timeline, meanOf);
    const a = w.arrivals;
    // A trace with a durations file: its functions' own service times, weighted by their requests.
    const target = a.pattern === 'trace' && a.durations !== undefined ? { ...found, serviceMeanMs: traceServiceMeanMs(w, a, found.serviceMeanMs) } : found;
    const n = estimateRequests(w, target);
    requests += n;
    if (biggest === undefined || n > biggest.n) biggest = { w, n };
    if (a.pattern === 'trace') {
      // Minute by minute: the functions' own pods and cold starts (each function's own mean service time).
      trafficPodSeconds += traceWork(w, a, found).podSeconds;
      const work = traceMemoryWork(w, a);
      const bytes = traceParseBytes(a);
      held.busySeconds += work.busySeconds;
      held.podStarts += work.podStarts;
      held.traceBytes += bytes.kept;
      held.traceParseBytes += bytes.parse;
    } else {
      trafficPodSeconds += estimateTrafficPodSeconds(w, n, target);
      held.busySeconds += workloadBusySeconds(w);
      held.podStarts += Math.max(0, estimateTrafficPods(w, n, target) - 1);
    }
  }
  const expectedRequests = Math.round(requests);
  if (expectedRequests > ctx.limits.maxExpectedRequests && biggest !== undefined) {
    reportLimit(
      r,
      biggest.w.pos,
      `the traffic would send about ${fmt(expectedRequests)} requests, more than ${fmt(ctx.limits.maxExpectedRequests)}; workload "${biggest.w.name}" alone about ${fmt(Math.round(biggest.n))}`,
      'maxExpectedRequests',
    );
  }
  const revisions = s.created.revisions.size;
  const expectedPodSeconds = Math.round(s.created.podsHeld * (ctx.durationMs / 1000) + revisions * REVISION_POD_SECONDS + trafficPodSeconds);
  // Every revision's first pod, and the pods the traffic starts (memoryWork counts them alike).
  const podStarts = revisions + held.podStarts;
  const seconds = estimateRunSeconds({ requests: expectedRequests, podSeconds: expectedPodSeconds, podStarts, revisions });
  const expectedRunSeconds = Math.round(seconds * 10) / 10;
  if (seconds * 1000 > ctx.limits.maxRunMs) {
    reportLimit(
      r,
      r.src.doc.contents,
      `the run would take about ${formatDuration(Math.round(seconds) * 1000)} of CPU (${fmt(expectedRequests)} requests, ${fmt(expectedPodSeconds)} pod-seconds, ${revisions} revisions over ${formatDuration(ctx.durationMs)}), more than ${formatDuration(ctx.limits.maxRunMs)}`,
      'maxRunMs',
    );
  }
  const memory = memoryWork({ revisions, durationMs: ctx.durationMs, ...held });
  return { limits: ctx.limits, expectedRequests, expectedPodSeconds, expectedRunSeconds, podsAsked: s.created.podsAsked, memory };
}

/** What a workload's target answers with: its own app model's mean service time, from when, and how it scales. */
function estimateTarget(
  w: TrafficWorkload,
  created: DryRunResult,
  timeline: readonly TimelineAction[],
  meanOf: (image: string | undefined) => number,
): EstimateTarget {
  const t = w.target;
  if (t.kind === 'host') return { serviceMeanMs: 0, servingFromMs: Infinity };
  const id = `${t.namespace}/${t.service}`;
  const ids = [id, ...(created.routeTargets.get(id) ?? [])];
  const images = ids.flatMap((i) => [...(created.images.get(i) ?? [])]);
  const means = images.map(meanOf);
  const serviceMeanMs = means.length > 0 ? Math.min(...means) : distributionMeanMs(DEFAULT_APP_MODEL.serviceTime);
  // The first action that names the service creates it (or fails, and then nothing serves).
  const first = timeline.find((a) =>
    a.action === 'kn' ? a.command.names[0] === t.service : a.action === 'apply' && a.objects.some((o) => o.object.metadata.name === t.service),
  );
  const scaling = ids.map((i) => created.scaling.get(i)).find((x) => x !== undefined);
  return { serviceMeanMs, servingFromMs: first === undefined ? Infinity : first.atMs + READINESS_ALLOWANCE_MS, ...(scaling !== undefined ? { scaling } : {}) };
}

function countErrors(diags: readonly Diagnostic[]): number {
  let n = 0;
  for (const d of diags) if (d.severity === 'error') n++;
  return n;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
