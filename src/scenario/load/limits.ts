/**
 * Reads `limits:`: the bounds a scenario is checked against (see ScenarioLimits), raised or
 * lowered from the caller's (the defaults, or the library's `LoadOptions.limits`). Read first,
 * before the YAML aliases are expanded, so every other section is checked against them.
 * Also the one way every limit message ends: what the limit is called and how to raise it,
 * in the scenario and from the command line.
 */
import type { DiagnosticCode } from '../diagnostics.js';
import type { Reader } from '../reader.js';
import { LIMITS_SHAPE } from '../shape.js';
import type { ScenarioLimits } from '../types.js';

type LimitField = keyof ScenarioLimits;

/** The YAML key of each limit, its field, and how its value is written. */
export const LIMIT_KEYS: readonly { key: string; field: LimitField; kind: 'count' | 'duration' | 'size' }[] = [
  { key: 'maxDuration', field: 'maxDurationMs', kind: 'duration' },
  { key: 'maxTimelineActions', field: 'maxTimelineActions', kind: 'count' },
  { key: 'maxObjects', field: 'maxObjects', kind: 'count' },
  { key: 'maxRequests', field: 'maxExpectedRequests', kind: 'count' },
  { key: 'maxRunTime', field: 'maxRunMs', kind: 'duration' },
  { key: 'maxUsers', field: 'maxUsers', kind: 'count' },
  { key: 'maxWorkloads', field: 'maxWorkloads', kind: 'count' },
  { key: 'maxExpectations', field: 'maxExpectations', kind: 'count' },
  { key: 'maxPods', field: 'maxPods', kind: 'count' },
  { key: 'maxTraceRows', field: 'maxTraceRows', kind: 'count' },
  { key: 'maxFileSize', field: 'maxFileBytes', kind: 'size' },
  { key: 'maxYamlSize', field: 'maxYamlBytes', kind: 'size' },
  { key: 'maxAliasCount', field: 'maxAliasCount', kind: 'count' },
];

/** `limits:` over `base`; a bad value is reported and keeps the base value. */
export function readLimits(r: Reader, node: unknown, base: ScenarioLimits): ScenarioLimits {
  const limits: ScenarioLimits = { ...base };
  const f = r.fields(node, 'limits', LIMITS_SHAPE);
  for (const field of f?.list ?? []) {
    const spec = LIMIT_KEYS.find((k) => k.key === field.key);
    if (spec === undefined) continue;
    const p = `limits.${spec.key}`;
    let v: number | undefined;
    if (spec.kind === 'duration') v = r.duration(field.value, p, { allowZero: false });
    else if (spec.kind === 'size') {
      v = r.bytes(field.value, p);
      if (v === 0) {
        r.report('SCENARIO_OUT_OF_RANGE', field.value, `${p}: must be greater than 0`);
        v = undefined;
      }
    } else v = r.number(field.value, p, { integer: true, min: 1, max: Number.MAX_SAFE_INTEGER });
    if (v !== undefined) limits[spec.field] = v;
  }
  return limits;
}

/** `limits.maxPods` → how to raise it: in the scenario, with --set, and --max-duration for the duration. */
export function limitHint(field: LimitField, example?: string): string {
  const spec = LIMIT_KEYS.find((k) => k.field === field);
  const key = spec?.key ?? field;
  const value = example ?? (spec?.kind === 'duration' ? '72h' : spec?.kind === 'size' ? '1Gi' : '<n>');
  const flag = field === 'maxDurationMs' ? `--max-duration ${value}` : `--set limits.${key}=${value}`;
  return `raise it with "limits: {${key}: ${value}}" in the scenario, or ${flag}`;
}

/** Reports a limit exceeded: the message names the limit (`limits.maxPods`); the hint says how to raise it. */
export function reportLimit(r: Reader, at: unknown, message: string, field: LimitField, example?: string): void {
  const spec = LIMIT_KEYS.find((k) => k.field === field);
  const code: DiagnosticCode = 'SCENARIO_LIMIT_EXCEEDED';
  r.report(code, at, `${message} (limits.${spec?.key ?? field})`, { hint: limitHint(field, example) });
}
