/**
 * The scenario loader: YAML text in, a checked and normalized `Scenario` out, or every
 * problem at once as diagnostics with file, line and column. This file reads the top level
 * (name, description, seed, duration) and the budget (object count, estimated requests);
 * each section has its own reader in this folder, all sharing one load context (context.ts).
 * File contents come only through the injected `readFile`, so the loader stays pure and
 * testable; the CLI passes fs.
 * Fidelity: manifests are defaulted and validated with Knative's own rules
 * (src/apis/serving-validation.ts), ConfigMap data with Knative's own parsers
 * (src/apis/config/*) and kn command lines with kn's own parser (src/kn/parse.ts), all
 * before anything runs.
 */
import { isScalar } from 'yaml';
import { hasErrors, type Diagnostic, type SourcePos } from '../diagnostics.js';
import { distributionMeanMs } from '../../engine/distribution.js';
import { estimateRequests } from '../estimate.js';
import { applyOverrides } from '../overrides.js';
import { firstLine, parseYamlDocument, Reader, type SourceDoc } from '../reader.js';
import { SCENARIO_SHAPE } from '../shape.js';
import { DEFAULT_LIMITS, type Distribution, type Scenario, type ScenarioLimits, type TrafficWorkload } from '../types.js';
import { readApps } from './apps.js';
import { readCluster } from './cluster.js';
import { readConfig } from './config.js';
import { newLoadContext, type LoadContext, type LoadOptions, type LoadResult } from './context.js';
import { readExpect } from './expect.js';
import { readTimeline } from './timeline.js';
import { readTraffic } from './traffic.js';
import { readInvariants, readVary } from './vary.js';

export type { LoadOptions, LoadResult } from './context.js';

/**
 * Loads a scenario from YAML text. Never throws for bad input: every problem becomes a
 * diagnostic, and `scenario` is undefined if any of them is an error.
 */
export function loadScenario(text: string, options: LoadOptions): LoadResult {
  const limits: ScenarioLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const diags: Diagnostic[] = [];
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
  try {
    doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (err) {
    r0.report(
      'SCENARIO_LIMIT_EXCEEDED',
      doc.contents,
      `YAML aliases expand too much (more than ${limits.maxAliasCount} alias uses): ${err instanceof Error ? err.message : String(err)}`,
    );
    return { scenario: undefined, diagnostics: diags };
  }
  let origins = new WeakMap<object, SourcePos>();
  if (options.sets !== undefined && options.sets.length > 0) {
    const o = applyOverrides(doc, options.sets);
    diags.push(...o.diagnostics);
    origins = o.origins;
  }
  const scenario = readScenario(newLoadContext(new Reader(src, diags, origins), options, limits, text));
  return { scenario: hasErrors(diags) ? undefined : scenario, diagnostics: diags };
}

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
  let seed: string | number = 1;
  if (f.has('seed')) {
    const kind = r.kindOf(f.get('seed'));
    if (kind === 'number') seed = r.number(f.get('seed'), 'seed') ?? 1;
    else if (kind === 'string') seed = r.string(f.get('seed'), 'seed', { nonEmpty: true }) ?? 1;
    else r.wrongType(f.get('seed'), 'seed', 'a number or a string');
  }
  const durationNode = r.require(f, 'duration', '');
  if (durationNode !== undefined) {
    const ms = r.duration(durationNode, 'duration', { allowZero: false });
    if (ms !== undefined && ms > ctx.limits.maxDurationMs) {
      r.report(
        'SCENARIO_LIMIT_EXCEEDED',
        durationNode,
        `duration ${String(r.scalar(durationNode))} exceeds the limit of ${ctx.limits.maxDurationMs / 3_600_000}h (maxDurationMs)`,
      );
    } else if (ms !== undefined) ctx.durationMs = ms;
  }

  // config before timeline: manifests are validated against config-autoscaler.
  const config = f.has('config') ? readConfig(ctx, f.get('config')) : [];
  const { apps, imageSizes } = f.has('apps') ? readApps(ctx, f.get('apps')) : { apps: [], imageSizes: [] };
  const cluster = readCluster(ctx, f.get('cluster'), imageSizes, pos);
  const timeline = f.has('timeline') ? readTimeline(ctx, f.get('timeline')) : [];
  const traffic = f.has('traffic') ? readTraffic(ctx, f.get('traffic')) : [];
  const expect = f.has('expect') ? readExpect(ctx, f.get('expect')) : [];
  const invariants = f.has('invariants') ? readInvariants(ctx, f.get('invariants')) : [];
  const vary = f.has('vary') ? readVary(ctx, f.get('vary')) : [];

  ctx.objectCount += config.length + (cluster.nodes?.length ?? 0);
  if (ctx.objectCount > ctx.limits.maxObjects) {
    r.report(
      'SCENARIO_LIMIT_EXCEEDED',
      root,
      `the scenario creates ${ctx.objectCount} objects (nodes, ConfigMaps and manifests), more than the limit of ${ctx.limits.maxObjects} (maxObjects)`,
    );
  }
  const expectedRequests = checkRequestBudget(
    ctx,
    traffic,
    apps.map((a) => a.serviceTime),
  );
  return {
    name,
    description,
    seed,
    durationMs: ctx.durationMs,
    cluster,
    config,
    apps,
    timeline,
    traffic,
    expect,
    invariants,
    vary,
    budget: { limits: ctx.limits, expectedRequests },
    pos,
  };
}

/** Estimates the requests of all workloads and reports when they exceed the limit; returns the rounded estimate. */
function checkRequestBudget(ctx: LoadContext, traffic: readonly TrafficWorkload[], serviceTimes: readonly (Distribution | undefined)[]): number {
  // Closed-loop users are limited by their service time; the fastest declared app gives the highest estimate.
  const means: number[] = [];
  for (const d of serviceTimes) if (d !== undefined) means.push(distributionMeanMs(d));
  const fastestServiceMs = means.length > 0 ? Math.min(...means) : 1;
  let expectedRequests = 0;
  let biggest: TrafficWorkload | undefined;
  let biggestCount = -1;
  for (const w of traffic) {
    const n = estimateRequests(w.arrivals, w.fromMs, w.toMs, fastestServiceMs);
    expectedRequests += n;
    if (n > biggestCount) {
      biggestCount = n;
      biggest = w;
    }
  }
  expectedRequests = Math.round(expectedRequests);
  if (expectedRequests > ctx.limits.maxExpectedRequests && biggest !== undefined) {
    ctx.r.report(
      'SCENARIO_LIMIT_EXCEEDED',
      biggest.pos,
      `the traffic would send about ${expectedRequests.toLocaleString('en-US')} requests, more than the limit of ${ctx.limits.maxExpectedRequests.toLocaleString('en-US')} (maxExpectedRequests); workload "${biggest.name}" alone sends about ${Math.round(biggestCount).toLocaleString('en-US')}`,
      {
        hint: 'lower the rates or the duration, or raise the limit',
      },
    );
  }
  return expectedRequests;
}
