import { describe, expect, it } from 'vitest';
import { createRng, lognormalFromMedianP99, must } from '../../src/engine/index.js';
import { AppModel, DEFAULT_APP_MODEL, lookupAppSpec, validateAppModel, type AppModelSpec } from '../../src/dataplane/index.js';

function samples(spec: AppModelSpec, n: number): number[] {
  const model = new AppModel(spec);
  const rng = createRng('test', 'app');
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(model.sampleServiceMs(rng));
  return out.sort((a, b) => a - b);
}

const at = (sorted: number[], q: number): number => must(sorted[Math.ceil(q * sorted.length) - 1], `a sample at quantile ${q}`);

describe('AppModel', () => {
  it('draws its service time from the engine distribution (a lognormal with the given median and p99)', () => {
    const s = samples({ serviceTime: lognormalFromMedianP99(40, 400) }, 40_000);
    expect(Math.abs(at(s, 0.5) - 40) / 40).toBeLessThan(0.03);
    expect(Math.abs(at(s, 0.99) - 400) / 400).toBeLessThan(0.08);
    expect(samples({ serviceTime: { distribution: 'constant', valueMs: 7 } }, 3)).toEqual([7, 7, 7]);
  });

  it('defaults to median 20 ms with p99 200 ms for images nobody described', () => {
    const s = samples(DEFAULT_APP_MODEL, 40_000);
    expect(Math.abs(at(s, 0.5) - 20) / 20).toBeLessThan(0.03);
    expect(Math.abs(at(s, 0.99) - 200) / 200).toBeLessThan(0.08);
  });

  it('rejects malformed specs with the field at fault', () => {
    expect(validateAppModel({ serviceTime: { distribution: 'lognormal', mu: 3, sigma: -1 } })).toEqual([
      'serviceTime.sigma: must be a finite number ≥ 0, got -1',
    ]);
    expect(
      validateAppModel({
        serviceTime: {
          distribution: 'empirical',
          points: [
            { p: 0, valueMs: 5 },
            { p: 50, valueMs: 3 },
            { p: 100, valueMs: 9 },
          ],
        },
      })[0],
    ).toMatch(/p50 \(3\) is below p0/);
    expect(
      validateAppModel({
        serviceTime: {
          distribution: 'empirical',
          points: [
            { p: 50, valueMs: 3 },
            { p: 100, valueMs: 9 },
          ],
        },
      })[0],
    ).toMatch(/needs p0 and p100/);
    expect(validateAppModel({ serviceTime: { distribution: 'constant', valueMs: 1 }, errorRate: 2 })).toEqual(['errorRate: must lie in [0, 1], got 2']);
    expect(validateAppModel({ serviceTime: { distribution: 'constant', valueMs: 1 }, startupDelayMs: -5 })).toEqual([
      'startupDelayMs: must be a finite number ≥ 0, got -5',
    ]);
    expect(validateAppModel({} as AppModelSpec)).toEqual(['serviceTime: required']);
    expect(() => new AppModel({ serviceTime: { distribution: 'uniform', minMs: 5, maxMs: 1 } })).toThrow(/maxMs/);
  });

  it('looks models up by image, then by image without tag, then default', () => {
    const slowSpec: AppModelSpec = { serviceTime: { distribution: 'constant', valueMs: 900 }, startupDelayMs: 4000 };
    const apps = { 'ghcr.io/acme/shop': slowSpec };
    expect(lookupAppSpec(apps, 'ghcr.io/acme/shop:v2')).toBe(slowSpec);
    expect(lookupAppSpec(apps, 'ghcr.io/acme/shop@sha256:abc')).toBe(slowSpec);
    expect(lookupAppSpec(apps, 'localhost:5000/other')).toBe(DEFAULT_APP_MODEL);
    expect(lookupAppSpec({ ...apps, default: slowSpec }, 'x')).toBe(slowSpec);
  });
});
