import { describe, expect, it } from 'vitest';
import { parseKn, computeTraffic, splitShellWords, applyServiceFlags, newService } from '../../src/kn/index.js';

describe('parseKn', () => {
  it('reads flags in both --flag=value and --flag value forms, short flags and quoting', () => {
    const p = parseKn(`kn service create hello --image=gcr.io/x -e 'GREETING=hi there' --env=A=1 -p h2c:8080 --scale 1..5 --concurrency-limit 10 -n demo`);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.command).toMatchObject({ group: 'service', verb: 'create', names: ['hello'], namespace: 'demo' });
    expect(p.command.flags).toMatchObject({
      image: 'gcr.io/x',
      env: ['GREETING=hi there', 'A=1'],
      port: 'h2c:8080',
      scale: '1..5',
      concurrencyLimit: 10,
      wait: true,
    });
  });

  const errors: [string, string, string?][] = [
    ['kn service create hello --imagee x', 'unknown flag: --imagee', 'did you mean --image?'],
    ['kn service create hello', "'service create' requires the image name to run provided with the --image option"],
    ['kn service create --image x', "'service create' requires the service name given as single argument"],
    [
      'kn service update hello --concurrency-limit ten',
      'invalid argument "ten" for "--concurrency-limit" flag: strconv.ParseInt: parsing "ten": invalid syntax',
    ],
    ['kn service create hello --image', 'flag needs an argument: --image'],
    ['kn service create hello --image x --traffic a=1', 'unknown flag: --traffic'],
    ['kn service update hello -x', "unknown shorthand flag: 'x' in -x"],
    ['kn service update hello --scale 2 --scale-min 1', 'only --scale or --scale-min/--scale-max can be specified'],
    ['kn servce list', 'unknown command "servce" for "kn"', 'did you mean "service"?'],
    ["kn service create 'hello --image x", 'unterminated single quote in command line'],
    // Names of Object.prototype members are unknown words like any other, not the prototype's functions.
    ['kn constructor list', 'unknown command "constructor" for "kn"'],
    ['kn service toString', 'unknown command "toString" for "kn service"'],
  ];
  for (const [line, error, hint] of errors) {
    it(`rejects: ${line}`, () => {
      const p = parseKn(line);
      expect(p.ok).toBe(false);
      if (p.ok) return;
      expect(p.error).toBe(error);
      if (hint !== undefined) expect(p.hint).toBe(hint);
    });
  }
});

describe('splitShellWords', () => {
  it('keeps escaped and quoted spaces', () => {
    expect(splitShellWords(`a "b c" d\\ e 'f"g'`)).toEqual({ ok: true, words: ['a', 'b c', 'd e', 'f"g'] });
  });
});

describe('computeTraffic', () => {
  const base = [{ latestRevision: true, percent: 100 }];
  const revisions = ['hello-00001', 'hello-00002'];
  it('splits between two revisions and drops untagged 0% targets', () => {
    expect(computeTraffic(base, { traffic: ['hello-00001=90', 'hello-00002=10'], tag: [], untag: [], revisions, newRevision: false })).toEqual({
      ok: true,
      traffic: [
        { revisionName: 'hello-00001', latestRevision: false, percent: 90 },
        { revisionName: 'hello-00002', latestRevision: false, percent: 10 },
      ],
    });
  });
  it('gives the remainder to @latest when a new revision is created', () => {
    const out = computeTraffic([{ revisionName: 'hello-00001', latestRevision: false, percent: 100 }], {
      traffic: ['hello-00001=30'],
      tag: [],
      untag: [],
      revisions,
      newRevision: true,
    });
    expect(out).toEqual({
      ok: true,
      traffic: [
        { revisionName: 'hello-00001', latestRevision: false, percent: 30 },
        { latestRevision: true, percent: 70 },
      ],
    });
  });
  it('refuses percents over 100 and overwriting a tag', () => {
    expect(computeTraffic(base, { traffic: ['hello-00001=90', 'hello-00002=20'], tag: [], untag: [], revisions, newRevision: false })).toEqual({
      ok: false,
      error: 'given traffic percents sum to 110, want <=100',
    });
    const tagged = [{ latestRevision: true, percent: 100, tag: 'blue' }];
    expect(computeTraffic(tagged, { traffic: [], tag: ['hello-00001=blue'], untag: [], revisions, newRevision: false })).toEqual({
      ok: false,
      error: "refusing to overwrite existing tag in service, add flag '--untag blue' in command to untag it",
    });
  });
  it('untags before tagging', () => {
    const tagged = [{ latestRevision: true, percent: 100, tag: 'blue' }];
    const out = computeTraffic(tagged, { traffic: [], tag: ['hello-00001=blue'], untag: ['blue'], revisions, newRevision: false });
    expect(out).toEqual({
      ok: true,
      traffic: [
        { latestRevision: true, percent: 100 },
        { tag: 'blue', revisionName: 'hello-00001', latestRevision: false, percent: 0 },
      ],
    });
  });
});

describe('applyServiceFlags', () => {
  it('puts autoscaling annotations on the template only and stamps the virtual update time', () => {
    const p = parseKn('kn service create hello --image img --annotation autoscaling.knative.dev/window=10s --annotation team=a --scale-max 5');
    if (!p.ok) throw new Error(p.error);
    const out = applyServiceFlags(newService('hello', 'default'), p.command.flags, { nowMs: 90_000, random: () => 0 });
    if (!out.ok) throw new Error(out.error);
    expect(out.service.metadata.annotations).toEqual({ team: 'a' });
    expect(out.service.spec.template.metadata?.annotations).toEqual({
      'autoscaling.knative.dev/window': '10s',
      'autoscaling.knative.dev/max-scale': '5',
      'client.knative.dev/updateTimestamp': '2026-01-01T00:01:30Z',
      'client.knative.dev/user-image': 'img',
      team: 'a',
    });
  });
  it('expands --revision-name and adds the service prefix', () => {
    const p = parseKn('kn service update hello --revision-name "v{{.Generation}}"');
    if (!p.ok) throw new Error(p.error);
    const svc = newService('hello', 'default');
    svc.metadata.generation = 3;
    const out = applyServiceFlags(svc, p.command.flags, { nowMs: 0, random: () => 0 });
    expect(out.ok && out.service.spec.template.metadata?.name).toBe('hello-v4');
  });
});
