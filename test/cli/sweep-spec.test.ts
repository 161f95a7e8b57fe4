// The sweep's flags as values: the grid's cartesian product, seed lists, shards and which runs
// each shard owns, the short names of grid keys and seeds printed as ranges.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/exit.js';
import { axisLabel } from '../../src/cli/sweep-record.js';
import { gridPoints, parseGrid, parseSeeds, parseShard, shardRuns } from '../../src/cli/sweep-spec.js';
import { seedsText } from '../../src/cli/sweep-table.js';

describe('sweep flags', () => {
  it('reads seeds as ranges and lists, in the order given', () => {
    expect(parseSeeds('1..5')).toEqual([1, 2, 3, 4, 5]);
    expect(parseSeeds('7')).toEqual([7]);
    expect(parseSeeds('3,1,2')).toEqual([3, 1, 2]);
    expect(parseSeeds('1..3, 10..11')).toEqual([1, 2, 3, 10, 11]);
    for (const bad of ['', '1..', '..3', '-1', '1.5', '5..1', '1,1', 'a..b']) expect(() => parseSeeds(bad), bad).toThrow(UsageError);
  });

  it('prints seeds back as the ranges they run on', () => {
    expect(seedsText([1, 2, 3, 4])).toBe('1..4');
    expect(seedsText([1, 2, 7])).toBe('1, 2, 7');
    expect(seedsText([1, 2, 3, 7, 9, 10, 11])).toBe('1..3, 7, 9..11');
    expect(seedsText(['abc'])).toBe('abc');
  });

  it('refuses a grid without values, with an empty value, a value twice, the seed, a key twice or a key also --set', () => {
    const refusal = (texts: string[], sets: string[] = []): string => {
      try {
        parseGrid(texts, sets);
      } catch (err) {
        if (err instanceof UsageError) return err.message;
      }
      return 'accepted';
    };
    expect(refusal(['traffic[0].rate'])).toMatch(/^--grid traffic\[0\]\.rate: want key=value1,value2,…/);
    expect(refusal(['a='])).toMatch(/no values after "="/);
    expect(refusal(['a=1,,2'])).toMatch(/an empty value between commas/);
    expect(refusal(['a=1,2,1'])).toMatch(/the value 1 is given twice/);
    expect(refusal(['seed=1,2'])).toBe('--grid seed=1,2: seeds are not a grid key: use --seeds 1,2');
    expect(refusal(['a=1', 'a=2'])).toMatch(/given twice; put every value in one --grid a=a,b,c/);
    expect(refusal(['a=1,2'], ['a=3'])).toMatch(/also given with --set/);
    expect(refusal(['a=1,2'], ['b=3'])).toBe('accepted');
  });

  it('makes the cartesian product of the grid, the first --grid varying slowest', () => {
    const axes = parseGrid(['a=1,2', 'b=x,y,z'], []);
    expect(gridPoints(axes)).toEqual([
      ['1', 'x'],
      ['1', 'y'],
      ['1', 'z'],
      ['2', 'x'],
      ['2', 'y'],
      ['2', 'z'],
    ]);
    expect(gridPoints([])).toEqual([[]]);
    expect(() =>
      gridPoints(
        parseGrid(
          [
            'a=1,2,3,4,5,6,7,8,9,10',
            'b=1,2,3,4,5,6,7,8,9,10',
            'c=1,2,3,4,5,6,7,8,9,10',
            'd=1,2,3,4,5,6,7,8,9,10',
            'e=1,2,3,4,5,6,7,8,9,10',
            'f=1,2,3,4,5,6,7,8,9,10,11',
          ],
          [],
        ),
      ),
    ).toThrow(/grid points; a sweep runs at most 1,000,000/);
  });

  it('takes the shard from --shard, else from the Indexed Job environment', () => {
    expect(parseShard('0/3', {})).toEqual({ index: 0, count: 3 });
    expect(parseShard('2/3', { JOB_COMPLETION_INDEX: '0', JOB_COMPLETIONS: '3' })).toEqual({ index: 2, count: 3 });
    expect(parseShard(undefined, { JOB_COMPLETION_INDEX: '1', JOB_COMPLETIONS: '4' })).toEqual({ index: 1, count: 4 });
    expect(parseShard(undefined, {})).toBeUndefined();
    expect(() => parseShard('3/3', {})).toThrow('the index counts from 0: the 3 shards are 0/3 to 2/3');
    expect(() => parseShard('1/1', {})).toThrow('the only shard is 0/1');
    expect(() => parseShard(undefined, { JOB_COMPLETION_INDEX: '1' })).toThrow(/JOB_COMPLETIONS is not/);
    for (const bad of ['1-3', '0/0', '-1/3', '1/', 'a/b']) expect(() => parseShard(bad, {}), bad).toThrow(UsageError);
  });

  it('gives every run to exactly one shard, each shard a share within one run of the others', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 40 }), (runs, count) => {
        const shares = Array.from({ length: count }, (_, index) => shardRuns(runs, { index, count }));
        const all = shares.flat().sort((a, b) => a - b);
        expect(all).toEqual(Array.from({ length: runs }, (_, k) => k));
        const sizes = shares.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
    expect(shardRuns(5, undefined)).toEqual([0, 1, 2, 3, 4]);
  });

  it('names a grid key by its last segment, or whole when two keys share it', () => {
    const grid = (...keys: string[]) => keys.map((key) => ({ key, values: ['1'] }));
    const window = 'timeline[0].apply.spec.template.metadata.annotations."autoscaling.knative.dev/window"';
    expect(axisLabel(window, grid(window))).toBe('autoscaling.knative.dev/window');
    expect(axisLabel('traffic[0].rate', grid('traffic[0].rate'))).toBe('rate');
    expect(axisLabel('traffic[0].rate', grid('traffic[0].rate', 'traffic[1].rate'))).toBe('traffic[0].rate');
    expect(axisLabel('cluster.nodes[2]', grid('cluster.nodes[2]'))).toBe('nodes');
  });
});
