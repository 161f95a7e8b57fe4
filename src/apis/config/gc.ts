/**
 * `config-gc` (namespace knative-serving): when old, unrouted revisions are deleted.
 * Fidelity: knative/serving pkg/gc/config.go — same keys, defaults, `disabled` spelling
 * (case-insensitive) and error wording. Durations are kept in ms; `disabled` is -1.
 */
import { parseDuration } from '../../engine/units.js';
import type { FieldError } from '../field-error.js';

/** The value Knative uses for a disabled setting. */
export const GC_DISABLED = -1;

export interface GcConfig {
  /** Revisions younger than this are never stale. Default 48h; -1 disabled. */
  retainSinceCreateTimeMs: number;
  /** Revisions active more recently than this are never stale. Default 15h; -1 disabled. */
  retainSinceLastActiveTimeMs: number;
  /** Always keep at least this many non-active revisions. Default 20. */
  minNonActiveRevisions: number;
  /** Never keep more than this many non-active revisions. Default 1000; -1 disabled. */
  maxNonActiveRevisions: number;
}

export const DEFAULT_GC_CONFIG: Readonly<GcConfig> = Object.freeze({
  retainSinceCreateTimeMs: 48 * 3_600_000,
  retainSinceLastActiveTimeMs: 15 * 3_600_000,
  minNonActiveRevisions: 20,
  maxNonActiveRevisions: 1000,
});

export const GC_CONFIG_KEYS = ['retain-since-create-time', 'retain-since-last-active-time', 'min-non-active-revisions', 'max-non-active-revisions'] as const;

/** Parses `config-gc` data; a missing ConfigMap (undefined) means all defaults. */
export function parseGcConfig(data: Record<string, string> | undefined): { config: GcConfig } | { errors: FieldError[] } {
  const config: GcConfig = { ...DEFAULT_GC_CONFIG };
  const errors: FieldError[] = [];
  const d = data ?? {};
  const duration = (key: string, set: (ms: number) => void): void => {
    const raw = d[key];
    if (raw === undefined || raw === '') return;
    if (raw.toLowerCase() === 'disabled') return set(GC_DISABLED);
    const parsed = parseDuration(raw);
    if (!parsed.ok) errors.push({ path: key, message: `failed to parse ${key}: time: invalid duration "${raw}"` });
    else if (parsed.ms < 0) errors.push({ path: key, message: `failed to parse ${key}: must be non-negative` });
    else set(parsed.ms);
  };
  duration('retain-since-create-time', (ms) => (config.retainSinceCreateTimeMs = ms));
  duration('retain-since-last-active-time', (ms) => (config.retainSinceLastActiveTimeMs = ms));
  const min = d['min-non-active-revisions'];
  if (min !== undefined && min !== '') {
    if (!/^-?\d+$/.test(min.trim()))
      errors.push({
        path: 'min-non-active-revisions',
        message: `failed to parse data: failed to parse "min-non-active-revisions": strconv.ParseInt: parsing "${min}": invalid syntax`,
      });
    else config.minNonActiveRevisions = Number(min.trim());
  }
  const max = d['max-non-active-revisions'];
  if (max !== undefined && max !== '') {
    if (max.toLowerCase() === 'disabled') config.maxNonActiveRevisions = GC_DISABLED;
    else if (!/^\d+$/.test(max.trim()))
      errors.push({
        path: 'max-non-active-revisions',
        message: `failed to parse max-non-active-revisions: strconv.ParseUint: parsing "${max}": invalid syntax`,
      });
    else config.maxNonActiveRevisions = Number(max.trim());
  }
  if (errors.length > 0) return { errors };
  if (config.minNonActiveRevisions < 0)
    return { errors: [{ path: 'min-non-active-revisions', message: `min-non-active-revisions must be non-negative, was: ${config.minNonActiveRevisions}` }] };
  if (config.maxNonActiveRevisions >= 0 && config.minNonActiveRevisions > config.maxNonActiveRevisions) {
    return {
      errors: [
        {
          path: 'min-non-active-revisions',
          message: `min-non-active-revisions(${config.minNonActiveRevisions}) must be <= max-non-active-revisions(${config.maxNonActiveRevisions})`,
        },
      ],
    };
  }
  return { config };
}
