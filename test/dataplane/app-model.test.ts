import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/index.js';
import { AppModel, DEFAULT_APP_MODEL, lookupAppSpec, validateAppModel, type AppModelSpec } from '../../src/dataplane/index.js';

function samples(spec: AppModelSpec, n: number): number[] {
  const model = new AppModel(spec);
  const rng = createRng('test', 'app');
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(model.sampleServiceMs(rng));
  return out.sort((a, b) => a - b);
}

const at = (sorted: number[], q: number): number => sorted[Math.ceil(q * sorted.length) - 1];

describe('AppModel', () => {
  it('draws a lognormal with the given median and p99', () => {
    const s = samples({ serviceTime: { kind: 'lognormal', medianMs: 40, p99Ms: 400 } }, 40_000);
    expect(Math.abs(at(s, 0.5) - 40) / 40).toBeLessThan(0.03);
    expect(Math.abs(at(s, 0.99) - 400) / 400).toBeLessThan(0.08);
  });

  it('interpolates linearly between empirical percentiles (Azure duration percentiles)', () => {
    const percentiles = { p0: 10, p1: 12, p25: 50, p50: 100, p75: 300, p99: 900, p100: 1000 };
    const s = samples({ serviceTime: { kind: 'empirical', percentiles } }, 40_000);
    expect(s[0]).toBeGreaterThanOrEqual(10);
    expect(s[s.length - 1]).toBeLessThanOrEqual(1000);
    expect(Math.abs(at(s, 0.5) - 100)).toBeLessThan(6);
    // Halfway between p50 and p75: 200 ms.
    expect(Math.abs(at(s, 0.625) - 200)).toBeLessThan(10);
    expect(Math.abs(at(s, 0.99) - 900)).toBeLessThan(15);
  });

  it('draws exponential and uniform times with the right means', () => {
    const e = samples({ serviceTime: { kind: 'exponential', meanMs: 80 } }, 40_000);
    const u = samples({ serviceTime: { kind: 'uniform', minMs: 100, maxMs: 300 } }, 40_000);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.abs(mean(e) - 80)).toBeLessThan(2);
    expect(Math.abs(mean(u) - 200)).toBeLessThan(2);
    expect(u[0]).toBeGreaterThanOrEqual(100);
    expect(u[u.length - 1]).toBeLessThan(300);
    expect(samples({ serviceTime: { kind: 'constant', ms: 7 } }, 3)).toEqual([7, 7, 7]);
  });

  it('rejects malformed specs with the field at fault', () => {
    expect(validateAppModel({ serviceTime: { kind: 'lognormal', medianMs: 100, p99Ms: 50 } })).toEqual(['serviceTime.p99Ms: must be ≥ medianMs']);
    expect(validateAppModel({ serviceTime: { kind: 'empirical', percentiles: { p0: 5, p50: 3, p100: 9 } } })[0]).toMatch(/p50 \(3\) is below p0/);
    expect(validateAppModel({ serviceTime: { kind: 'empirical', percentiles: { p50: 3, p100: 9 } } })[0]).toMatch(/needs p0 and p100/);
    expect(validateAppModel({ serviceTime: { kind: 'constant', ms: 1 }, errorRate: 2 })).toEqual(['errorRate: must lie in [0, 1], got 2']);
    expect(() => new AppModel({ serviceTime: { kind: 'uniform', minMs: 5, maxMs: 1 } })).toThrow(/maxMs/);
  });

  it('looks models up by image, then by image without tag, then default', () => {
    const slowSpec: AppModelSpec = { serviceTime: { kind: 'constant', ms: 900 }, startupDelayMs: 4000 };
    const apps = { 'ghcr.io/acme/shop': slowSpec };
    expect(lookupAppSpec(apps, 'ghcr.io/acme/shop:v2')).toBe(slowSpec);
    expect(lookupAppSpec(apps, 'ghcr.io/acme/shop@sha256:abc')).toBe(slowSpec);
    expect(lookupAppSpec(apps, 'localhost:5000/other')).toBe(DEFAULT_APP_MODEL);
    expect(lookupAppSpec({ ...apps, default: slowSpec }, 'x')).toBe(slowSpec);
  });
});
