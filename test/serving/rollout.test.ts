// Knative's gradual-rollout tables, transcribed from knative/serving
// pkg/reconciler/route/traffic/rollout_test.go (TestStep, TestObserveReady,
// TestAdjustPercentage, TestValidateFailures, TestStepRevisions, TestConfigDone,
// TestJSONRoundtrip): the same inputs, the same step sequences.
import { describe, expect, it } from 'vitest';
import {
  adjustPercentage,
  deserializeRollout,
  noParams,
  observeReady,
  rolloutDone,
  rolloutsByTag,
  serializeRollout,
  stepRevisions,
  stepRollout,
  validateRollout,
  type ConfigurationRollout,
  type Rollout,
  type RolloutParams,
} from '../../src/serving/route/resources/rollout.js';

type Revs = [string, number][];

/** A configuration rollout: name, percent, revisions as [name, percent], optional params and tag. */
function cfg(configurationName: string, percent: number, revs: Revs, params: Partial<RolloutParams> = {}, tag = ''): ConfigurationRollout {
  return {
    configurationName,
    tag,
    percent,
    revisions: revs.map(([revisionName, p]) => ({ revisionName, percent: p })),
    stepParams: { ...noParams(), ...params },
  };
}
const ro = (...configurations: ConfigurationRollout[]): Rollout => ({ configurations });

const NOW = 2020;

interface StepRow {
  name: string;
  cur: Rollout;
  prev: Rollout | undefined;
  want: Rollout;
  wantNextStep?: number;
}

const STEP_ROWS: StepRow[] = [
  { name: 'no prev', cur: ro(), prev: undefined, want: ro() },
  {
    name: 'prev is empty',
    cur: ro(cfg('mick', 100, [['let-it-bleed', 100]])),
    prev: ro(cfg('mick', 100, [])),
    want: ro(cfg('mick', 100, [['let-it-bleed', 100]])),
  },
  {
    name: 'simplest, same',
    cur: ro(cfg('mick', 100, [['let-it-bleed', 100]], { nextStepTime: 2009, stepDuration: 2020, startTime: 2004, stepSize: 14 })),
    prev: ro(cfg('mick', 100, [['let-it-bleed', 100]])),
    want: ro(cfg('mick', 100, [['let-it-bleed', 100]])),
  },
  {
    name: 'simplest, step',
    cur: ro(cfg('mick', 100, [['let-it-bleed', 100]])),
    prev: ro(
      cfg(
        'mick',
        100,
        [
          ['their-satanic-majesties-request', 95],
          ['let-it-bleed', 5],
        ],
        { nextStepTime: 2019, stepDuration: 5, startTime: 2004, stepSize: 3 },
      ),
    ),
    want: ro(
      cfg(
        'mick',
        100,
        [
          ['their-satanic-majesties-request', 92],
          ['let-it-bleed', 8],
        ],
        { nextStepTime: NOW + 5, stepDuration: 5, startTime: 2004, stepSize: 3 },
      ),
    ),
    wantNextStep: NOW + 5,
  },
  {
    name: 'multiple configs step',
    cur: ro(cfg('mick', 42, [['let-it-bleed', 42]]), cfg('keith', 52, [['beggars-banquet', 52]])),
    prev: ro(
      cfg(
        'mick',
        42,
        [
          ['their-satanic-majesties-request', 37],
          ['let-it-bleed', 5],
        ],
        { nextStepTime: 2019, stepDuration: 43, startTime: 1961, stepSize: 3 },
      ),
      cfg(
        'keith',
        52,
        [
          ['sticky-fingers', 36],
          ['beggars-banquet', 16],
        ],
        { nextStepTime: 2018, stepDuration: 55, startTime: 1971, stepSize: 4 },
      ),
    ),
    want: ro(
      cfg(
        'keith',
        52,
        [
          ['sticky-fingers', 32],
          ['beggars-banquet', 20],
        ],
        { nextStepTime: NOW + 55, stepDuration: 55, startTime: 1971, stepSize: 4 },
      ),
      cfg(
        'mick',
        42,
        [
          ['their-satanic-majesties-request', 34],
          ['let-it-bleed', 8],
        ],
        { nextStepTime: NOW + 43, stepDuration: 43, startTime: 1961, stepSize: 3 },
      ),
    ),
    wantNextStep: NOW + 43,
  },
  {
    name: 'multiple configs step and roll',
    cur: ro(cfg('mick', 42, [['let-it-bleed', 42]]), cfg('keith', 52, [['tattoo-you', 52]])),
    prev: ro(
      cfg(
        'mick',
        42,
        [
          ['their-satanic-majesties-request', 37],
          ['let-it-bleed', 5],
        ],
        { nextStepTime: 2019, stepDuration: 43, startTime: 1961, stepSize: 3 },
      ),
      cfg(
        'keith',
        52,
        [
          ['sticky-fingers', 36],
          ['beggars-banquet', 16],
        ],
        { nextStepTime: 2018, stepDuration: 55, startTime: 1971, stepSize: 4 },
      ),
    ),
    want: ro(
      cfg(
        'keith',
        52,
        [
          ['sticky-fingers', 36],
          ['beggars-banquet', 15],
          ['tattoo-you', 1],
        ],
        { startTime: 2020 },
      ),
      cfg(
        'mick',
        42,
        [
          ['their-satanic-majesties-request', 34],
          ['let-it-bleed', 8],
        ],
        { nextStepTime: NOW + 43, stepDuration: 43, startTime: 1961, stepSize: 3 },
      ),
    ),
    wantNextStep: NOW + 43,
  },
  {
    name: 'simplest, step, when stepsize=0',
    cur: ro(cfg('mick', 100, [['let-it-bleed', 100]], { nextStepTime: 2009, stepDuration: 2020, startTime: 2004, stepSize: 14 })),
    prev: ro(
      cfg(
        'mick',
        100,
        [
          ['their-satanic-majesties-request', 95],
          ['let-it-bleed', 5],
        ],
        { startTime: 2004 },
      ),
    ),
    want: ro(
      cfg(
        'mick',
        100,
        [
          ['their-satanic-majesties-request', 95],
          ['let-it-bleed', 5],
        ],
        { startTime: 2004 },
      ),
    ),
  },
  {
    name: 'when new revision becomes 0%',
    cur: ro(cfg('charlie', 0, [['aftermath', 0]])),
    prev: ro(cfg('charlie', 100, [['your-satanic-majesties-request', 100]])),
    want: ro(),
  },
  {
    name: "when new config is added but it's 0%",
    cur: ro(cfg('charlie', 0, [['aftermath', 0]]), cfg('mick', 100, [['between-the-buttons', 100]])),
    prev: ro(cfg('mick', 100, [['between-the-buttons', 100]])),
    want: ro(cfg('mick', 100, [['between-the-buttons', 100]])),
  },
  {
    name: 'simplest, roll',
    cur: ro(cfg('mick', 100, [['let-it-bleed', 100]])),
    prev: ro(cfg('mick', 100, [['goat-head-soup', 100]], { nextStepTime: 1984, startTime: 1981, stepDuration: 1988, stepSize: 11 })),
    want: ro(
      cfg(
        'mick',
        100,
        [
          ['goat-head-soup', 99],
          ['let-it-bleed', 1],
        ],
        { startTime: NOW },
      ),
    ),
  },
  {
    name: 'roll with percentage change down',
    cur: ro(cfg('mick', 33, [['let-it-bleed', 33]])),
    prev: ro(
      cfg('mick', 42, [
        ['goat-head-soup', 11],
        ['aftermath', 31],
      ]),
    ),
    want: ro(
      cfg(
        'mick',
        33,
        [
          ['goat-head-soup', 2],
          ['aftermath', 30],
          ['let-it-bleed', 1],
        ],
        { startTime: NOW },
      ),
    ),
  },
  {
    name: 'roll with percentage change up',
    cur: ro(cfg('mick', 75, [['let-it-bleed', 75]])),
    prev: ro(
      cfg('mick', 25, [
        ['goat-head-soup', 11],
        ['aftermath', 14],
      ]),
    ),
    want: ro(
      cfg(
        'mick',
        75,
        [
          ['goat-head-soup', 11],
          ['aftermath', 63],
          ['let-it-bleed', 1],
        ],
        { startTime: NOW },
      ),
    ),
  },
  {
    name: 'roll, where sum < 100% (one route targets a revision, e.g.)',
    cur: ro(cfg('brian', 70, [['let-it-bleed', 70]])),
    prev: ro(cfg('brian', 70, [['exile-on-main-st', 70]])),
    want: ro(
      cfg(
        'brian',
        70,
        [
          ['exile-on-main-st', 69],
          ['let-it-bleed', 1],
        ],
        { startTime: NOW },
      ),
    ),
  },
  {
    name: 'roll with two existing revisions, no deletes',
    cur: ro(cfg('mick', 100, [['sticky-fingers', 100]])),
    prev: ro(
      cfg(
        'mick',
        100,
        [
          ['goat-head-soup', 95],
          ['beggars-banquet', 5],
        ],
        { startTime: NOW - 1982 },
      ),
    ),
    want: ro(
      cfg(
        'mick',
        100,
        [
          ['goat-head-soup', 95],
          ['beggars-banquet', 4],
          ['sticky-fingers', 1],
        ],
        { startTime: NOW },
      ),
    ),
  },
  {
    name: 'roll with delete (two fast successive rolls)',
    cur: ro(cfg('mick', 100, [['between-the-buttons', 100]])),
    prev: ro(
      cfg(
        'mick',
        100,
        [
          ['goat-head-soup', 99],
          ['bridges-to-babylon', 1],
        ],
        { startTime: NOW - 1984 },
      ),
    ),
    want: ro(
      cfg(
        'mick',
        100,
        [
          ['goat-head-soup', 99],
          ['between-the-buttons', 1],
        ],
        { startTime: NOW },
      ),
    ),
  },
  {
    name: 'roll with delete (minimal config target)',
    cur: ro(cfg('mick', 1, [['between-the-buttons', 1]])),
    prev: ro(cfg('mick', 1, [['bridges-to-babylon', 1]])),
    want: ro(cfg('mick', 1, [['between-the-buttons', 1]])),
  },
  {
    name: 'new tag, no roll',
    cur: ro(cfg('mick', 100, [['black-on-blue', 100]]), cfg('mick', 100, [['black-on-blue', 100]], {}, 'jagger')),
    prev: ro(cfg('mick', 100, [['black-on-blue', 100]])),
    want: ro(cfg('mick', 100, [['black-on-blue', 100]]), cfg('mick', 100, [['black-on-blue', 100]], {}, 'jagger')),
  },
  {
    name: 'deleted config, no roll',
    cur: ro(cfg('mick', 100, [["it's-only-rock-n-roll", 100]])),
    prev: ro(cfg('keith', 50, [['black-on-blue', 50]]), cfg('mick', 50, [["it's-only-rock-n-roll", 50]])),
    want: ro(cfg('mick', 100, [["it's-only-rock-n-roll", 100]])),
  },
  {
    name: 'a/b config, roll both',
    cur: ro(cfg('keith', 99, [['black-on-blue', 99]]), cfg('mick', 1, [["it's-only-rock-n-roll", 1]])),
    prev: ro(cfg('keith', 99, [["can't-get-no-satisfaction", 99]]), cfg('mick', 1, [['get-off-my-cloud', 1]])),
    want: ro(
      cfg(
        'keith',
        99,
        [
          ["can't-get-no-satisfaction", 98],
          ['black-on-blue', 1],
        ],
        { startTime: NOW },
      ),
      cfg('mick', 1, [["it's-only-rock-n-roll", 1]]),
    ),
  },
  {
    name: 'new config, no roll, newer smaller',
    cur: ro(cfg('keith', 50, [['black-on-blue', 50]]), cfg('mick', 50, [["it's-only-rock-n-roll", 50]])),
    prev: ro(cfg('mick', 100, [["it's-only-rock-n-roll", 100]])),
    want: ro(cfg('keith', 50, [['black-on-blue', 50]]), cfg('mick', 50, [["it's-only-rock-n-roll", 50]])),
  },
  {
    name: 'new config, no roll, newer larger',
    cur: ro(cfg('keith', 50, [['black-on-blue', 50]]), cfg('mick', 50, [["it's-only-rock-n-roll", 50]])),
    prev: ro(cfg('keith', 100, [['black-on-blue', 100]])),
    want: ro(cfg('keith', 50, [['black-on-blue', 50]]), cfg('mick', 50, [["it's-only-rock-n-roll", 50]])),
  },
];

describe('gradual rollout: Step (rollout_test.go TestStep)', () => {
  it.each(STEP_ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const { rollout, nextStepNs } = stepRollout(row.cur, row.prev, NOW);
    expect(rollout).toEqual(row.want);
    expect(validateRollout(rollout)).toBe(true);
    expect(nextStepNs).toBe(row.wantNextStep ?? 0);
  });
});

describe('gradual rollout: ObserveReady and computeProperties (TestObserveReady)', () => {
  it('times the steps from how long the first 1% took to be programmed', () => {
    const now = 200620092020 + 1982;
    const oldenDays = 198219841988;
    const ancientDays = 14921812;
    const input = ro(
      cfg('has-step', 100, [], { stepDuration: 11 }),
      cfg('no-step-no-begin', 100, []),
      cfg('step-begin < 1s', 100, [], { startTime: 200620092020 }),
      cfg('step-begin > 1s', 100, [], { startTime: oldenDays }),
      cfg('step-begin > 1s, step size round up', 75, [], { startTime: oldenDays }),
      cfg('Percent not 100%', 50, [], { startTime: oldenDays }),
      cfg('días antiguos', 13, [], { startTime: ancientDays }),
    );
    const got = observeReady(input, now, 120);
    expect(got).toEqual(
      ro(
        cfg('has-step', 100, [], { stepDuration: 11 }),
        cfg('no-step-no-begin', 100, []),
        // (120 s − 1 s) / 99 steps of 1%.
        cfg('step-begin < 1s', 100, [], { startTime: 200620092020, stepDuration: 1202020202, stepSize: 1, nextStepTime: now + 1202020202 }),
        cfg('step-begin > 1s', 100, [], { startTime: oldenDays, stepDuration: 3e9, stepSize: 3, nextStepTime: now + 3e9 }),
        cfg('step-begin > 1s, step size round up', 75, [], {
          startTime: oldenDays,
          stepDuration: 3e9,
          stepSize: Math.floor(75 / 40) + 1,
          nextStepTime: now + 3e9,
        }),
        cfg('Percent not 100%', 50, [], { startTime: oldenDays, stepDuration: 3e9, stepSize: Math.floor(50 / 40), nextStepTime: now + 3e9 }),
        // The first step took longer than the whole rollout: one final step after the minimal 1 s.
        cfg('días antiguos', 13, [], { startTime: ancientDays, stepDuration: 1e9, stepSize: 12, nextStepTime: now + 1e9 }),
      ),
    );
  });
});

describe('gradual rollout: adjustPercentage (TestAdjustPercentage)', () => {
  const rows: [string, number, number, number[], number[]][] = [
    ['noop, 100%', 100, 100, [71, 29], [71, 29]],
    ['noop, 42%', 42, 42, [21, 21], [21, 21]],
    ['raise, 42% -> 75%', 75, 42, [21, 21], [21, 54]],
    ['lower, 75%->42%, lose 1', 42, 75, [21, 54], [42]],
    ['lower, 75%->42%, lose 1, update 2, keep 3', 42, 75, [21, 22, 32], [10, 32]],
    ['lower, 75%->42%, lose 2, update 3', 42, 75, [10, 5, 60], [42]],
    ['go to 0%', 0, 75, [10, 5, 60], []],
  ];
  it.each(rows)('%s', (_name, goal, percent, revs, want) => {
    const c = cfg(
      'c',
      percent,
      revs.map((p, i) => [`r${i}`, p]),
    );
    adjustPercentage(goal, c);
    expect(c.revisions.map((r) => r.percent)).toEqual(want);
  });
});

describe('gradual rollout: Validate (TestValidateFailures)', () => {
  const rows: [string, Rollout][] = [
    ['config > 100%', ro(cfg('keith', 101, [['black-on-blue', 101]]))],
    ['step larger than total', ro(cfg('keith', 71, [['black-on-blue', 71]], { stepSize: 75 }))],
    ['step negative', ro(cfg('keith', 71, [['black-on-blue', 71]], { stepSize: -1 }))],
    ['rev more than config', ro(cfg('keith', 42, [['black-on-blue', 43]]))],
    [
      'revs more than config',
      ro(
        cfg('keith', 42, [
          ['black-on-blue', 41],
          ['smith', 3],
        ]),
      ),
    ],
    ['2nd config > 100%', ro(cfg('rob', 10, [['roy', 10]]), cfg('keith', 101, [['black-on-blue', 101]], {}, 'richards'))],
  ];
  it.each(rows)('%s is discarded', (_name, r) => expect(validateRollout(r)).toBe(false));
});

describe('gradual rollout: stepRevisions (TestStepRevisions)', () => {
  const rows: [string, number, ConfigurationRollout, ConfigurationRollout][] = [
    [
      'noop (1): too soon',
      1982,
      cfg(
        '',
        0,
        [
          ['a', 10],
          ['b', 5],
          ['c', 60],
        ],
        { nextStepTime: 1984, stepSize: 10 },
      ),
      cfg(
        '',
        0,
        [
          ['a', 10],
          ['b', 5],
          ['c', 60],
        ],
        { nextStepTime: 1984, stepSize: 10 },
      ),
    ],
    [
      'noop (2): done',
      1982,
      cfg('', 0, [['a', 10]], { nextStepTime: 1984, stepDuration: 10, stepSize: 10 }),
      cfg('', 0, [['a', 10]], { nextStepTime: 1984, stepDuration: 10, stepSize: 10 }),
    ],
    [
      'step last, exact time',
      1984,
      cfg(
        '',
        90,
        [
          ['a', 30],
          ['b', 60],
        ],
        { nextStepTime: 1984, stepSize: 10, stepDuration: 55 },
      ),
      cfg(
        '',
        90,
        [
          ['a', 20],
          ['b', 70],
        ],
        { nextStepTime: 1984 + 55, stepSize: 10, stepDuration: 55 },
      ),
    ],
    [
      'step last, delete some',
      1988,
      cfg(
        '',
        90,
        [
          ['a', 22],
          ['b', 5],
          ['c', 3],
          ['d', 60],
        ],
        { nextStepTime: 1984, stepSize: 10, stepDuration: 55 },
      ),
      cfg(
        '',
        90,
        [
          ['a', 20],
          ['d', 70],
        ],
        { nextStepTime: 1988 + 55, stepSize: 10, stepDuration: 55 },
      ),
    ],
    [
      'over target now',
      1988,
      cfg(
        '',
        15,
        [
          ['a', 5],
          ['b', 1],
          ['c', 1],
          ['d', 8],
        ],
        { nextStepTime: 1984, stepSize: 10, stepDuration: 77 },
      ),
      cfg('', 15, [['d', 15]]),
    ],
    [
      'the very last step',
      2006,
      cfg(
        '',
        15,
        [
          ['a', 5],
          ['b', 1],
          ['c', 1],
          ['d', 8],
        ],
        { nextStepTime: 1984, startTime: 1977, stepDuration: 77, stepSize: 8 },
      ),
      cfg('', 15, [['d', 15]]),
    ],
  ];
  it.each(rows)('%s', (_name, now, input, want) => {
    stepRevisions(input, now);
    expect(input).toEqual(want);
  });
});

describe('gradual rollout: done, by tag, the annotation', () => {
  it('is done with 0 or 1 revisions per configuration (TestConfigDone)', () => {
    const r = ro(
      cfg('nil', 100, []),
      cfg('one', 100, [['roy', 100]]),
      cfg('no', 0, []),
      cfg('many', 100, [
        ['black-on-blue', 83],
        ['flowers', 17],
      ]),
    );
    expect(rolloutDone(r)).toBe(false);
    expect(rolloutDone(ro(...r.configurations.slice(0, 3)))).toBe(true);
  });

  it('finds the configurations of a tag (TestGetByTag)', () => {
    const r = ro(
      cfg('one', 50, [
        ['rob', 10],
        ['roy', 40],
      ]),
      cfg('two', 40, [['wish', 40]]),
      cfg('two', 100, [['wish', 100]], {}, 'gilberto'),
    );
    expect(rolloutsByTag(r, '').map((c) => c.configurationName)).toEqual(['one', 'two']);
    expect(rolloutsByTag(r, 'gilberto').map((c) => c.tag)).toEqual(['gilberto']);
    expect(rolloutsByTag(r, 'nyaful')).toEqual([]);
  });

  it('round-trips through the annotation as Knative JSON with Unix nanoseconds (TestJSONRoundtrip)', () => {
    const r = ro(
      cfg(
        'many',
        100,
        [
          ['black-on-blue', 83],
          ['flowers', 17],
        ],
        { startTime: 1_955_000_000, nextStepTime: 7_988_000_000, stepDuration: 1984, stepSize: 3 },
      ),
      cfg('one', 100, [['roy', 100]]),
    );
    const text = serializeRollout(r);
    // 2026-01-01T00:00:00Z + 1.955 s, in ns, as Go marshals int64.
    expect(text).toContain('"starttime":1767225601955000000');
    expect(text).toContain('{"configurationName":"one","percent":100,"revisions":[{"revisionName":"roy","percent":100}],"stepParams":{}}');
    expect(deserializeRollout(text)).toEqual(r);
    expect(serializeRollout(ro())).toBe('{}');
    expect(deserializeRollout('{not json')).toBeUndefined();
    // An inconsistent state is discarded, as Knative's deserializeRollout does.
    expect(
      deserializeRollout('{"configurations":[{"configurationName":"x","percent":50,"revisions":[{"revisionName":"a","percent":40}],"stepParams":{}}]}'),
    ).toBeUndefined();
  });
});
