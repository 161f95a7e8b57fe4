/**
 * Time and duration units. Virtual time is milliseconds since the scenario start.
 * Durations are written the way Go and Knative write them: `500ms`, `30s`, `5m`, `1h30m`, `1.5s`.
 */
import { invariant } from './assert.js';

export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: MS_PER_SECOND,
  m: MS_PER_MINUTE,
  h: MS_PER_HOUR,
};

/** Go's longest duration (math.MaxInt64 ns = 2562047h47m16.854775807s), in ms to the µs a double holds: `time.ParseDuration` refuses more. */
export const MAX_DURATION_MS = 9_223_372_036_854.775;

/** Result of parsing a duration: a value in ms, or a message saying what was expected. */
type DurationParse = { ok: true; ms: number } | { ok: false; message: string };

/**
 * Parses a Go duration (`time.ParseDuration`): a sequence of decimal numbers with units
 * ns, us, ms, s, m, h, optionally signed; a bare `0` is allowed. Example: `1h30m` → 5,400,000.
 * Longer than Go's maximum (2562047h47m16.854775807s) is invalid, as in Go.
 */
export function parseDuration(text: string): DurationParse {
  const input = text.trim();
  const bad = (): DurationParse => ({ ok: false, message: `invalid duration "${text}": expected a number with a unit such as 500ms, 30s, 5m or 1h30m` });
  if (input === '') return bad();
  let rest = input;
  let sign = 1;
  if (rest[0] === '-' || rest[0] === '+') {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return { ok: true, ms: 0 };
  if (rest === '') return bad();
  let total = 0;
  const part = /^(\d+\.?\d*|\.\d+)(ns|us|µs|ms|s|m|h)/;
  while (rest.length > 0) {
    const m = part.exec(rest);
    if (m === null) return bad();
    const digits = m[1];
    const unitMs = m[2] === undefined ? undefined : UNIT_MS[m[2]];
    invariant(digits !== undefined && unitMs !== undefined, 'the duration pattern captures a number and one of the units in UNIT_MS');
    total += parseFloat(digits) * unitMs;
    rest = rest.slice(m[0].length);
  }
  // Go counts nanoseconds in an int64: anything longer (400 digits of 9, which a double takes as Infinity) is invalid there.
  if (!(total <= MAX_DURATION_MS))
    return {
      ok: false,
      message: `invalid duration "${text.length > 40 ? `${text.slice(0, 37)}...` : text}": longer than Go's maximum duration, 2562047h47m16.854775807s`,
    };
  return { ok: true, ms: sign * total };
}

/** Formats ms as a Go-style duration: 90000 → `1m30s`, 500 → `500ms`, 0 → `0s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < MS_PER_SECOND) return `${sign}${trimNumber(rest)}ms`;
  let out = '';
  const hours = Math.floor(rest / MS_PER_HOUR);
  if (hours > 0) {
    out += `${hours}h`;
    rest -= hours * MS_PER_HOUR;
  }
  const minutes = Math.floor(rest / MS_PER_MINUTE);
  if (minutes > 0 || hours > 0) {
    out += `${minutes}m`;
    rest -= minutes * MS_PER_MINUTE;
  }
  out += `${trimNumber(rest / MS_PER_SECOND)}s`;
  return sign + out;
}

function trimNumber(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/** Formats a virtual time as `HH:MM:SS.mmm` for logs (hours grow past 99 if needed). */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const h = Math.floor(total / MS_PER_HOUR);
  const m = Math.floor((total % MS_PER_HOUR) / MS_PER_MINUTE);
  const s = Math.floor((total % MS_PER_MINUTE) / MS_PER_SECOND);
  const milli = total % MS_PER_SECOND;
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(milli, 3)}`;
}

/**
 * Formats an age as kubectl's AGE column and kn's list tables do (apimachinery
 * `duration.HumanDuration`): two or three significant figures, truncated, never rounded.
 * `45s`, `119s`, `3m20s`, `125m`, `3h5m`, `9h`, `3d4h`, `200d`, `2y30d`.
 */
export function formatAge(ms: number): string {
  // Go's int(d.Seconds()) truncates toward zero: -1.9 s is "0s", -2 s "<invalid>".
  const s = Math.trunc(ms / MS_PER_SECOND);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  const years = Math.floor(h / 24 / 365);
  if (h < 24 * 365 * 8) {
    const days = Math.floor(h / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${years}y`;
}

/**
 * Formats an age in one unit, as kn's describe pages do (apimachinery
 * `duration.ShortHumanDuration`): `59s`, `2m`, `23h`, `364d`, `1y`; truncated.
 */
export function formatShortAge(ms: number): string {
  const s = Math.trunc(ms / MS_PER_SECOND);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 60) return `${s}s`;
  const m = Math.floor(ms / MS_PER_MINUTE);
  if (m < 60) return `${m}m`;
  const h = Math.floor(ms / MS_PER_HOUR);
  if (h < 24) return `${h}h`;
  if (h < 24 * 365) return `${Math.floor(h / 24)}d`;
  return `${Math.floor(h / 24 / 365)}y`;
}

/** RFC 3339 text for a virtual time, anchored at a fixed epoch so output never depends on the wall clock. */
export function formatTimestamp(ms: number, epochMs = SIMULATION_EPOCH_MS): string {
  const t = epochMs + Math.round(ms);
  // Civil-from-days (Howard Hinnant's algorithm) keeps this free of the Date object.
  const days = Math.floor(t / 86_400_000);
  const msOfDay = t - days * 86_400_000;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hh = Math.floor(msOfDay / MS_PER_HOUR);
  const mm = Math.floor((msOfDay % MS_PER_HOUR) / MS_PER_MINUTE);
  const ss = Math.floor((msOfDay % MS_PER_MINUTE) / MS_PER_SECOND);
  return `${year}-${pad(month, 2)}-${pad(day, 2)}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}Z`;
}

/** Virtual time 0 as wall time: 2026-01-01T00:00:00Z, fixed so timestamps replay byte for byte. */
export const SIMULATION_EPOCH_MS = 1_767_225_600_000;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
