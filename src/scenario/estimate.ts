/**
 * How many requests a scenario will generate, estimated from its traffic before the run,
 * so that a scenario asking for billions of requests is refused with a message instead of
 * running for days. Also a light reader of the Azure invocations CSV: just enough to count
 * the selected functions' invocations and check the selection (the full reader with
 * per-minute replay is src/workload's).
 * Fidelity: estimates are expectations, not bounds: Poisson counts vary around them, and
 * closed-loop users are estimated from think time plus the fastest declared service time.
 */
import { distributionMeanMs } from '../engine/distribution.js';
import type { Arrivals, TraceArrivals } from './types.js';

/**
 * Expected requests of one workload over [fromMs, toMs).
 * Examples: constant 10/s over 60s → 600; ramp 0 → 100/s over 60s → 3000;
 * 10 users with 1s think time and 9ms service time over 60s → 10 × 60000 / 1009 ≈ 595.
 */
export function estimateRequests(arrivals: Arrivals, fromMs: number, toMs: number, fastestServiceMs: number): number {
  const spanS = Math.max(0, toMs - fromMs) / 1000;
  switch (arrivals.pattern) {
    case 'constant':
    case 'poisson':
      return arrivals.rate * spanS;
    case 'ramp':
      return ((arrivals.startRate + arrivals.endRate) / 2) * spanS;
    case 'step': {
      let total = 0;
      let rate = arrivals.rate;
      let t = fromMs;
      for (const step of arrivals.steps) {
        const until = Math.min(Math.max(step.atMs, fromMs), toMs);
        if (until > t) total += (rate * (until - t)) / 1000;
        t = Math.max(t, until);
        rate = step.rate;
      }
      if (toMs > t) total += (rate * (toMs - t)) / 1000;
      return total;
    }
    case 'burst': {
      let total = arrivals.base * spanS;
      const s = arrivals.spike;
      if ('count' in s) {
        if (s.atMs >= fromMs && s.atMs < toMs) total += s.count;
      } else {
        const overlapMs = Math.max(0, Math.min(s.atMs + s.durationMs, toMs) - Math.max(s.atMs, fromMs));
        total += (s.rate * overlapMs) / 1000;
      }
      return total;
    }
    case 'diurnal': {
      // The rate is clipped at 0, so integrate numerically (1000 slices are plenty for an estimate).
      const slices = 1000;
      const dt = (toMs - fromMs) / slices;
      let total = 0;
      for (let i = 0; i < slices; i++) {
        const t = (i + 0.5) * dt + arrivals.phaseMs;
        const rate = Math.max(0, arrivals.mean + arrivals.amplitude * Math.sin((2 * Math.PI * t) / arrivals.periodMs));
        total += (rate * dt) / 1000;
      }
      return total;
    }
    case 'users': {
      const cycleMs = Math.max(1, distributionMeanMs(arrivals.thinkTime) + fastestServiceMs);
      return (arrivals.users * (toMs - fromMs)) / cycleMs;
    }
    case 'trace':
      return arrivals.totalInvocations;
  }
}

/** What the light CSV reader found, or an error with the 1-based line it is about. */
type TraceCount = { ok: true; totalInvocations: number; functionCount: number } | { ok: false; message: string; line: number; selectionIndex?: number };

/**
 * Counts invocations of the selected functions in the selected minutes, for the request
 * estimate. Understands both header layouts of the Azure 2019 invocations file:
 * `HashOwner,HashApp,HashFunction,Trigger,1,2,…,1440` and `HashFunction,HashApp,HashOwner,minute_1,…`.
 * `firstMinute`/`lastMinute` are 1-based inclusive column numbers; `maxMinutes` caps how
 * many minutes fit in the workload's window.
 */
export function countTraceInvocations(
  text: string,
  functions: TraceArrivals['functions'],
  minutes: { from: number; to: number } | undefined,
  maxMinutes: number,
): TraceCount {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const hashCol = header.indexOf('HashFunction');
  if (hashCol < 0) return { ok: false, message: 'not an Azure Functions invocations file: the header has no HashFunction column', line: 1 };
  const minuteCols: { minute: number; col: number }[] = [];
  header.forEach((h, col) => {
    const m = /^(?:minute_)?(\d+)$/.exec(h);
    if (m !== null) minuteCols.push({ minute: Number(m[1]), col });
  });
  if (minuteCols.length === 0)
    return { ok: false, message: 'not an Azure Functions invocations file: the header has no minute columns (1, 2, … or minute_1, minute_2, …)', line: 1 };
  const from = minutes?.from ?? 1;
  const to = Math.min(minutes?.to ?? Number.MAX_SAFE_INTEGER, from + maxMinutes - 1);
  const cols = minuteCols.filter((c) => c.minute >= from && c.minute <= to).map((c) => c.col);
  const rows: { line: number; cells: string[] }[] = [];
  lines.forEach((text, i) => {
    if (i > 0 && text.trim() !== '') rows.push({ line: i + 1, cells: text.split(',') });
  });
  const picked: { line: number; cells: string[] }[] = [];
  if ('first' in functions) {
    if (functions.first > rows.length)
      return { ok: false, message: `asks for the first ${functions.first} functions but the file has ${rows.length}`, line: 1 };
    picked.push(...rows.slice(0, functions.first));
  } else {
    for (const [s, sel] of functions.select.entries()) {
      if (typeof sel === 'number') {
        const row = rows[sel];
        if (row === undefined)
          return { ok: false, message: `function index ${sel} is out of range: the file has ${rows.length} functions (0-based)`, line: 1, selectionIndex: s };
        picked.push(row);
      } else {
        const hits = rows.filter((r) => (r.cells[hashCol] ?? '').startsWith(sel));
        const hit = hits.length === 1 ? hits[0] : undefined;
        if (hit === undefined)
          return {
            ok: false,
            message: hits.length === 0 ? `no function's HashFunction starts with "${sel}"` : `"${sel}" matches ${hits.length} functions; give a longer prefix`,
            line: 1,
            selectionIndex: s,
          };
        picked.push(hit);
      }
    }
  }
  let total = 0;
  for (const row of picked) {
    for (const col of cols) {
      const cell = (row.cells[col] ?? '').trim();
      const n = Number(cell);
      if (cell === '' || !Number.isInteger(n) || n < 0)
        return { ok: false, message: `expected a whole number of invocations in column "${header[col]}", got "${cell}"`, line: row.line };
      total += n;
    }
  }
  return { ok: true, totalInvocations: total, functionCount: picked.length };
}
