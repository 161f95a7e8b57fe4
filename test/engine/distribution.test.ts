import { describe, expect, it } from 'vitest';
import {
  compileDistribution,
  createRng,
  describeDistribution,
  distributionMeanMs,
  drawExponential,
  drawNormal,
  lognormalFromMedianP99,
  must,
  validateDistribution,
  type Distribution,
  type Rng,
} from '../../src/engine/index.js';

function samples(d: Distribution, n: number): number[] {
  const sampler = compileDistribution(d);
  const rng = createRng('test', 'distribution');
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(sampler.sample(rng));
  return out.sort((a, b) => a - b);
}

const at = (sorted: number[], q: number): number => must(sorted[Math.ceil(q * sorted.length) - 1], `a sample at quantile ${q}`);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

const AZURE_LIKE: Distribution = {
  distribution: 'empirical',
  points: [
    { p: 0, valueMs: 10 },
    { p: 1, valueMs: 12 },
    { p: 25, valueMs: 50 },
    { p: 50, valueMs: 100 },
    { p: 75, valueMs: 300 },
    { p: 99, valueMs: 900 },
    { p: 100, valueMs: 1000 },
  ],
};

describe('compileDistribution', () => {
  it('draws a lognormal with the given median and p99', () => {
    const s = samples(lognormalFromMedianP99(40, 400), 40_000);
    expect(Math.abs(at(s, 0.5) - 40) / 40).toBeLessThan(0.03);
    expect(Math.abs(at(s, 0.99) - 400) / 400).toBeLessThan(0.08);
  });

  it('interpolates linearly between empirical percentiles (Azure duration percentiles)', () => {
    const s = samples(AZURE_LIKE, 40_000);
    expect(s[0]).toBeGreaterThanOrEqual(10);
    expect(s[s.length - 1]).toBeLessThanOrEqual(1000);
    expect(Math.abs(at(s, 0.5) - 100)).toBeLessThan(6);
    // Halfway between p50 and p75: 200 ms.
    expect(Math.abs(at(s, 0.625) - 200)).toBeLessThan(10);
    expect(Math.abs(at(s, 0.99) - 900)).toBeLessThan(15);
  });

  it('draws exponential and uniform times with the right means, and a constant without drawing', () => {
    const e = samples({ distribution: 'exponential', meanMs: 80 }, 40_000);
    const u = samples({ distribution: 'uniform', minMs: 100, maxMs: 300 }, 40_000);
    expect(Math.abs(mean(e) - 80)).toBeLessThan(2);
    expect(Math.abs(mean(u) - 200)).toBeLessThan(2);
    expect(u[0]).toBeGreaterThanOrEqual(100);
    expect(u[u.length - 1]).toBeLessThan(300);
    let draws = 0;
    const counting: Rng = () => (draws++, 0.5);
    expect([1, 2, 3].map(() => compileDistribution({ distribution: 'constant', valueMs: 7 }).sample(counting))).toEqual([7, 7, 7]);
    expect(draws).toBe(0);
  });

  it('draws exactly what the data plane and the closed loop drew before there was one sampler (pinned runs depend on it)', () => {
    // The formulas as they were written in dataplane/app-model.ts and workload/closed-loop.ts.
    const before: [Distribution, (rng: Rng) => number][] = [
      [{ distribution: 'constant', valueMs: 12.5 }, () => 12.5],
      [{ distribution: 'exponential', meanMs: 30 }, (rng) => drawExponential(rng, 30)],
      [{ distribution: 'lognormal', mu: 3, sigma: 0.7 }, (rng) => Math.exp(3 + 0.7 * drawNormal(rng))],
      [{ distribution: 'uniform', minMs: 10, maxMs: 200 }, (rng) => 10 + rng() * (200 - 10)],
      [{ distribution: 'uniform', minMs: 0.3, maxMs: 7.1 }, (rng) => 0.3 + (7.1 - 0.3) * rng()],
      [
        {
          distribution: 'empirical',
          points: [
            { p: 100, valueMs: 90 },
            { p: 0, valueMs: 1 },
            { p: 50, valueMs: 10 },
          ],
        },
        (rng) => {
          const u = rng();
          return u < 0.5 ? 1 + ((u - 0) / (0.5 - 0)) * (10 - 1) : 10 + ((u - 0.5) / (1 - 0.5)) * (90 - 10);
        },
      ],
    ];
    for (const [d, draw] of before) {
      const sampler = compileDistribution(d);
      const a = createRng(9, 'same');
      const b = createRng(9, 'same');
      for (let i = 0; i < 1000; i++) expect(sampler.sample(a)).toBe(draw(b));
    }
  });

  it('converts a median and p99 with the scenario format’s z99 of 2.326347874', () => {
    expect(lognormalFromMedianP99(20, 200)).toEqual({ distribution: 'lognormal', mu: Math.log(20), sigma: (Math.log(200) - Math.log(20)) / 2.326347874 });
  });

  it('throws for an invalid distribution', () => {
    expect(() => compileDistribution({ distribution: 'uniform', minMs: 5, maxMs: 1 })).toThrow(/maxMs/);
  });
});

describe('validateDistribution', () => {
  it('names the field at fault', () => {
    expect(validateDistribution({ distribution: 'constant', valueMs: -1 }, 'thinkTime')).toEqual(['thinkTime.valueMs: must be a duration ≥ 0 ms, got -1']);
    expect(validateDistribution({ distribution: 'uniform', minMs: 5, maxMs: 1 }, 'serviceTime')).toEqual(['serviceTime.maxMs: 1 is below minMs 5']);
    expect(validateDistribution({ distribution: 'lognormal', mu: 1, sigma: -1 })).toEqual(['distribution.sigma: must be a finite number ≥ 0, got -1']);
    expect(
      validateDistribution({
        distribution: 'empirical',
        points: [
          { p: 0, valueMs: 5 },
          { p: 50, valueMs: 3 },
          { p: 100, valueMs: 9 },
        ],
      })[0],
    ).toMatch(/p50 \(3\) is below p0/);
    expect(
      validateDistribution({
        distribution: 'empirical',
        points: [
          { p: 50, valueMs: 3 },
          { p: 100, valueMs: 9 },
        ],
      })[0],
    ).toMatch(/needs p0 and p100/);
    expect(validateDistribution({ distribution: 'gamma' } as unknown as Distribution)[0]).toMatch(
      /must be one of constant, exponential, lognormal, uniform, empirical; got gamma/,
    );
    expect(validateDistribution(AZURE_LIKE)).toEqual([]);
  });
});

describe('distributionMeanMs and describeDistribution', () => {
  it('gives the mean of each kind', () => {
    expect(distributionMeanMs({ distribution: 'constant', valueMs: 7 })).toBe(7);
    expect(distributionMeanMs({ distribution: 'uniform', minMs: 10, maxMs: 30 })).toBe(20);
    expect(distributionMeanMs(lognormalFromMedianP99(20, 200))).toBeCloseTo(32.6, 1);
    expect(
      distributionMeanMs({
        distribution: 'empirical',
        points: [
          { p: 0, valueMs: 0 },
          { p: 50, valueMs: 10 },
          { p: 100, valueMs: 30 },
        ],
      }),
    ).toBe(12.5);
  });

  it('describes each kind in a few words', () => {
    expect(describeDistribution({ distribution: 'constant', valueMs: 250 })).toBe('250ms');
    expect(describeDistribution({ distribution: 'exponential', meanMs: 1000 })).toBe('exp(mean 1s)');
    expect(describeDistribution({ distribution: 'uniform', minMs: 10, maxMs: 200 })).toBe('uniform 10ms–200ms');
    expect(describeDistribution({ distribution: 'lognormal', mu: 3, sigma: 0.5 })).toBe('lognormal(mu 3, sigma 0.5)');
    expect(describeDistribution(AZURE_LIKE)).toBe('empirical 10ms–1s');
  });
});
