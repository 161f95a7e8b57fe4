/**
 * Rate curves λ(t) and their inversion: given the current time t and an amount of "work" w
 * (expected arrivals), find the time t' where ∫_t^t' λ(s) ds = w. Feeding Exp(1) amounts gives a
 * non-homogeneous Poisson process (the time-change theorem: a unit Poisson process run on the
 * clock Λ(t) = ∫λ); feeding 1s gives evenly spread deterministic arrivals.
 *
 * Fidelity: exact inversion, no thinning and no discretisation of the curve. Piecewise-linear
 * curves (constant, step, burst, ramp) are solved in closed form; the sinusoid (diurnal) by a
 * safeguarded Newton iteration on its closed-form integral, accurate to 1e-6 ms.
 * Mirrors no upstream file; the method is the textbook inversion of the cumulative intensity.
 */

/** A rate curve that can be walked forward in time. Each instance keeps a cursor (the last time returned). */
export interface Intensity {
  /** The cursor: time in ms of the last arrival (or the start). */
  readonly tMs: number;
  /**
   * Moves the cursor to the time at which `work` more expected arrivals have accumulated and
   * returns it, or Infinity when the curve holds less than `work` before it ends.
   */
  advance(work: number): number;
  /** Moves the cursor forward to `tMs` without producing arrivals (a workload started late). */
  skipTo(tMs: number): void;
}

/**
 * λ(t) piecewise linear over contiguous segments [startMs, endMs). Rates are per ms internally.
 * Worked example (one segment, ramp 0 → 10/s over 10 s, i.e. slope 1e-6 /ms²): from t = 0, w = 2
 * solves ½·1e-6·Δ² = 2 → Δ = 2000 ms; indeed ∫₀² s of 1/s² · s ds = 2 arrivals.
 */
export class PiecewiseLinearIntensity implements Intensity {
  tMs: number;
  private readonly segments: readonly Segment[];
  /** Index of the segment holding the cursor; `segments.length` once past the end. */
  private segment = 0;

  /** Contiguous segments in time order, each with its rate (per second) at both ends; rates must be ≥ 0. */
  constructor(segments: readonly { startMs: number; endMs: number; startRatePerSecond: number; endRatePerSecond: number }[]) {
    this.segments = segments.map((s) => {
      const widthMs = s.endMs - s.startMs;
      return {
        startMs: s.startMs,
        endMs: s.endMs,
        rate0PerMs: s.startRatePerSecond / 1000,
        slopePerMs2: widthMs > 0 ? (s.endRatePerSecond - s.startRatePerSecond) / 1000 / widthMs : 0,
      };
    });
    this.tMs = segments[0]?.startMs ?? 0;
  }

  /** Expected arrivals over the whole curve: Σ (rate at start + rate at end)/2 · width. */
  totalMass(): number {
    let total = 0;
    for (const s of this.segments) {
      const widthMs = s.endMs - s.startMs;
      total += s.rate0PerMs * widthMs + 0.5 * s.slopePerMs2 * widthMs * widthMs;
    }
    return total;
  }

  skipTo(tMs: number): void {
    if (!(tMs > this.tMs)) return;
    const segments = this.segments;
    let s = segments[this.segment];
    while (s !== undefined && s.endMs <= tMs) s = segments[++this.segment];
    this.tMs = tMs;
  }

  advance(work: number): number {
    let t = this.tMs;
    let w = work;
    const segments = this.segments;
    for (let s = segments[this.segment]; s !== undefined; s = segments[++this.segment]) {
      const end = s.endMs;
      if (t < s.startMs) t = s.startMs;
      const slope = s.slopePerMs2;
      const rate = s.rate0PerMs + slope * (t - s.startMs);
      const d = end - t;
      const mass = rate * d + 0.5 * slope * d * d;
      if (w <= mass) {
        // Solve ½·slope·Δ² + rate·Δ − w = 0 in the cancellation-free form Δ = 2w / (rate + √(rate² + 2·slope·w)).
        const disc = rate * rate + 2 * slope * w;
        const denom = rate + Math.sqrt(disc > 0 ? disc : 0);
        const delta = denom > 0 ? (2 * w) / denom : 0;
        t = t + delta < end ? t + delta : end;
        this.tMs = t;
        return t;
      }
      w -= mass;
      t = end;
    }
    this.tMs = t;
    return Infinity;
  }
}

/** One piece of a piecewise-linear curve: rate0PerMs at startMs, changing by slopePerMs2 each ms until endMs. */
interface Segment {
  readonly startMs: number;
  readonly endMs: number;
  readonly rate0PerMs: number;
  readonly slopePerMs2: number;
}

/**
 * λ(t) = max(0, mean + amplitude·cos(2π(t − phaseMs)/periodMs)) from `startMs` on (rates per second
 * in the constructor). With amplitude ≤ mean the rate never reaches below 0 and its integral from
 * a to x is mean·(x−a) + amplitude·P/(2π)·(sin θ(x) − sin θ(a)). Worked example: mean 10/s,
 * amplitude 10/s, period 60 s, phase 0: one period holds 10·60 = 600 expected arrivals; the first
 * half-period (peak → trough) holds 300 + 10·60/(2π)·(0 − 0) = 300, but the first quarter holds
 * 150 + 95.5 = 245.5 because the rate is near its peak there.
 * With amplitude > mean the curve is clipped at 0: the rate is positive only while
 * cos θ > −mean/amplitude, i.e. for |θ| < θ0 = arccos(−mean/amplitude) in each period, which then
 * holds P/(2π)·(2·mean·θ0 + 2·amplitude·sin θ0). Example: mean 5/s, amplitude 10/s, period 20 s:
 * θ0 = arccos(−0.5) = 2π/3, so a period holds 20/(2π)·(5·4π/3 + 20·0.866) = 66.7 + 55.1 = 121.8.
 */
export class SinusoidIntensity implements Intensity {
  tMs: number;
  private readonly meanPerMs: number;
  private readonly amplitudePerMs: number;
  private readonly periodMs: number;
  private readonly phaseMs: number;
  private readonly omega: number;
  /** amplitude > mean: the rate is clipped at 0 in the troughs. */
  private readonly clipped: boolean;
  /** Half-width θ0 of the positive part of each period when clipped (π when not). */
  private readonly theta0: number;
  /** Expected arrivals in one whole period. */
  private readonly perPeriod: number;

  constructor(startMs: number, meanRatePerSecond: number, amplitudePerSecond: number, periodMs: number, phaseMs: number) {
    this.tMs = startMs;
    this.meanPerMs = meanRatePerSecond / 1000;
    this.amplitudePerMs = amplitudePerSecond / 1000;
    this.periodMs = periodMs;
    this.phaseMs = phaseMs;
    this.omega = (2 * Math.PI) / periodMs;
    this.clipped = this.amplitudePerMs > this.meanPerMs;
    this.theta0 = this.clipped ? Math.acos(-this.meanPerMs / this.amplitudePerMs) : Math.PI;
    this.perPeriod = this.clipped
      ? (2 * this.meanPerMs * this.theta0 + 2 * this.amplitudePerMs * Math.sin(this.theta0)) / this.omega
      : this.meanPerMs * this.periodMs;
  }

  /** λ at time x, per ms. */
  ratePerMs(x: number): number {
    const rate = this.meanPerMs + this.amplitudePerMs * Math.cos(this.omega * (x - this.phaseMs));
    return this.clipped && rate < 0 ? 0 : rate;
  }

  /** ∫_a^x λ, in expected arrivals. */
  mass(a: number, x: number): number {
    if (this.clipped) return this.clippedCumulative(x) - this.clippedCumulative(a);
    const k = this.amplitudePerMs / this.omega;
    return this.meanPerMs * (x - a) + k * (Math.sin(this.omega * (x - this.phaseMs)) - Math.sin(this.omega * (a - this.phaseMs)));
  }

  /** ∫ of the clipped rate from the trough before the first period (θ = −π) to x: whole periods plus the part of this one. */
  private clippedCumulative(x: number): number {
    const theta = this.omega * (x - this.phaseMs);
    const turns = Math.floor((theta + Math.PI) / (2 * Math.PI));
    const within = theta - turns * 2 * Math.PI;
    const t0 = this.theta0;
    let part: number;
    if (within <= -t0) part = 0;
    else if (within >= t0) part = 2 * this.meanPerMs * t0 + 2 * this.amplitudePerMs * Math.sin(t0);
    else part = this.meanPerMs * (within + t0) + this.amplitudePerMs * (Math.sin(within) + Math.sin(t0));
    return turns * this.perPeriod + part / this.omega;
  }

  skipTo(tMs: number): void {
    if (tMs > this.tMs) this.tMs = tMs;
  }

  advance(work: number): number {
    if (!(this.perPeriod > 0)) return Infinity;
    // Whole periods hold exactly perPeriod each; skip them so the bracket below is one period wide.
    const perPeriod = this.perPeriod;
    const periods = Math.floor(work / perPeriod);
    const a = this.tMs + periods * this.periodMs;
    const w = work - periods * perPeriod;
    // f(x) = mass(a, x) − w is non-decreasing, f(a) = −w ≤ 0 and f(a + P) = perPeriod − w > 0.
    let lo = a;
    let hi = a + this.periodMs;
    let x = a + w / (this.clipped ? perPeriod / this.periodMs : this.meanPerMs);
    if (!(x < hi)) x = 0.5 * (lo + hi);
    for (let iteration = 0; iteration < 200; iteration++) {
      const f = this.mass(a, x) - w;
      if (f < 0) lo = x;
      else if (f > 0) hi = x;
      else break;
      const slope = this.ratePerMs(x);
      let next = slope > 0 ? x - f / slope : NaN;
      // Newton leaves the bracket (or the rate is 0 at a trough): bisect instead.
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      const stepMs = next - x;
      x = next;
      if ((stepMs < 1e-7 && stepMs > -1e-7) || hi - lo < 1e-7) break;
    }
    this.tMs = x;
    return x;
  }
}
