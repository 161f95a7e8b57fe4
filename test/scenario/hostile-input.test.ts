// Every example of issue 11 ("whatever validate accepts, run completes"): inputs a hostile or
// careless user writes, each now either refused by the loader with a located message (what
// `validate` prints, exit 2) or run to its end with what the documentation promises. The
// output-path and special-file examples go through the built CLI in test/cli/files-and-outputs.
import { describe, expect, it } from 'vitest';
import { loadScenario, type Diagnostic, type LoadOptions, type Scenario } from '../../src/scenario/index.js';
import { runScenario } from '../../src/sim/index.js';

/** A scenario that creates service `s` (image `img`, revision s-00001) at 0s, plus `rest`. */
const withService = (rest: string, duration = '30s'): string =>
  `duration: ${duration}\ntimeline:\n  - at: 0s\n    kn: kn service create s --image=img\n${rest}`;

/** A scenario applying one inline manifest (Service `s`) whose template spec is `spec` (lines indented under `spec:`). */
const applying = (templateLines: string[], extra: string[] = []): string =>
  [
    'duration: 30s',
    'timeline:',
    '  - at: 0s',
    '    apply: |',
    '      apiVersion: serving.knative.dev/v1',
    '      kind: Service',
    '      metadata: {name: s}',
    '      spec:',
    '        template:',
    ...templateLines.map((l) => `          ${l}`),
    ...extra.map((l) => `        ${l}`),
    '',
  ].join('\n');

function load(text: string, options: Partial<LoadOptions> = {}): { scenario: Scenario | undefined; diagnostics: Diagnostic[] } {
  return loadScenario(text, { file: 'hostile.yaml', ...options });
}

/** `code@line:column message` of each error. */
function errors(text: string, options: Partial<LoadOptions> = {}): string[] {
  return load(text, options)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.code}@${d.file}:${d.line}:${d.column} ${d.message}`);
}

function loaded(text: string, options: Partial<LoadOptions> = {}): Scenario {
  const { scenario, diagnostics } = load(text, options);
  if (scenario === undefined) throw new Error(`did not load: ${diagnostics.map((d) => d.message).join('; ')}`);
  return scenario;
}

const files = (map: Record<string, string>) => ({
  readFile: (path: string): string => {
    if (!Object.hasOwn(map, path)) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    return map[path] as string;
  },
});

describe('issue 11: what validate used to crash on is refused, located', () => {
  it.each([
    [
      'an unquoted number as an annotation value',
      applying(['metadata:', '  annotations:', '    autoscaling.knative.dev/target: 10', 'spec:', '  containers: [{image: img}]']),
      'SCENARIO_INVALID_MANIFEST@hostile.yaml:12:47 Service "s": spec.template.metadata.annotations.autoscaling.knative.dev/target: Invalid value: "integer": spec.template.metadata.annotations.autoscaling.knative.dev/target in body must be of type string: "integer"',
    ],
    [
      'containers: [null]',
      applying(['spec:', '  containers: [null]']),
      'SCENARIO_INVALID_MANIFEST@hostile.yaml:11:26 Service "s": spec.template.spec.containers[0]: Invalid value: "null": spec.template.spec.containers[0] in body must be of type object: "null"',
    ],
    [
      'ports: "8080"',
      applying(['spec:', '  containers: [{image: img, ports: "8080"}]']),
      'SCENARIO_INVALID_MANIFEST@hostile.yaml:11:46 Service "s": spec.template.spec.containers[0].ports: Invalid value: "string": spec.template.spec.containers[0].ports in body must be of type array: "string"',
    ],
    [
      'traffic: oops',
      applying(['spec:', '  containers: [{image: img}]'], ['traffic: oops']),
      'SCENARIO_INVALID_MANIFEST@hostile.yaml:12:18 Service "s": spec.traffic: Invalid value: "string": spec.traffic in body must be of type array: "string"',
    ],
    [
      'a circular YAML alias inside a manifest',
      applying(['metadata: &m {labels: *m}', 'spec:', '  containers: [{image: img}]']),
      'SCENARIO_INVALID_MANIFEST@hostile.yaml:10:24 Service "s": spec.template.metadata.labels: a YAML alias makes this value contain itself; a manifest is JSON and cannot be circular',
    ],
  ])('%s', (_what, text, want) => {
    expect(errors(text)).toEqual([want]);
  });
});

describe('issue 11: what validate accepted and run crashed on', () => {
  it.each([
    ['lognormal', '{distribution: lognormal, median: 100ms, p99: 1s}'],
    ['empirical', '{distribution: empirical, percentiles: {p0: 10ms, p50: 100ms, p100: 1s}}'],
  ])('runs closed-loop users with a %s think time', (_what, thinkTime) => {
    const r = runScenario(loaded(withService(`traffic:\n  - {target: s, pattern: users, users: 3, thinkTime: ${thinkTime}}\n`)));
    expect(r.summary.requests.total).toBeGreaterThan(0);
  });

  it('runs diurnal traffic with an amplitude above the mean, clipped at 0 as documented', () => {
    const s = loaded(withService('traffic:\n  - {target: s, pattern: diurnal, mean: 5, amplitude: 10, period: 20s}\n', '2m'));
    const r = runScenario(s);
    // Clipped: 121.8 requests a period (see SinusoidIntensity), six periods; unclipped (negative rates counted) it would be 5/s × 120 s = 600.
    expect(s.budget.expectedRequests).toBe(731);
    expect(r.summary.requests.total).toBeGreaterThan(640);
    expect(r.summary.requests.total).toBeLessThan(820);
  });

  it.each([
    [
      'env: oops in a container',
      applying(['spec:', '  containers: [{image: img, env: oops}]']),
      'SCENARIO_INVALID_MANIFEST@hostile.yaml:11:44 Service "s": spec.template.spec.containers[0].env: Invalid value: "string": spec.template.spec.containers[0].env in body must be of type array: "string"',
    ],
    [
      'a node with memory: 0',
      withService('cluster:\n  nodes: [{cpu: 4, memory: 0}]\n'),
      'SCENARIO_BAD_VALUE@hostile.yaml:6:3 cluster: node "node-1": memory must be a positive quantity, got "0"',
    ],
    [
      'a duration written with 400 digits',
      `duration: ${'9'.repeat(400)}ms\n`,
      `SCENARIO_BAD_DURATION@hostile.yaml:1:11 duration: invalid duration "${'9'.repeat(37)}...": longer than Go's maximum duration, 2562047h47m16.854775807s`,
    ],
    [
      "scale-down-delay: 2562047h as an annotation (Knative's webhook allows at most 1h there)",
      withService('').replace('--image=img', '--image=img --annotation autoscaling.knative.dev/scale-down-delay=2562047h'),
      expect.stringMatching(
        /^SCENARIO_INVALID_KN@hostile\.yaml:4:9 timeline\[0\]\.kn: admission webhook .* denied the request: validation failed: expected 0s <= 2562047h/,
      ),
    ],
  ])('refuses %s', (_what, text, want) => {
    expect(errors(text)).toEqual([want]);
  });

  it("runs scale-down-delay: 2562047h in config-autoscaler, which Knative accepts (Go's maximum duration)", () => {
    const r = runScenario(
      loaded(withService('config:\n  config-autoscaler: {scale-down-delay: 2562047h}\ntraffic:\n  - {target: s, pattern: constant, rate: 1}\n')),
    );
    expect(r.summary.requests.total).toBe(30);
  });

  const HEAD = 'HashOwner,HashApp,HashFunction,Trigger,1,2';
  it.each([
    [
      'a bad row that is not selected',
      `${HEAD}\no1,a1,f1,http,1,2\no2,a2,f2,http,x,1\n`,
      'trace.csv:3:15 traffic[0].trace.invocations: minute 1: want a whole number of invocations ≥ 0, got "x"',
    ],
    [
      'no HashOwner column',
      'HashApp,HashFunction,Trigger,1,2\na1,f1,http,1,2\n',
      'trace.csv:1:1 traffic[0].trace.invocations: the header has no HashOwner column (is this an invocations-per-function file?)',
    ],
    ['an extra field', `${HEAD}\no1,a1,f1,http,1,2,3\n`, 'trace.csv:2:20 traffic[0].trace.invocations: row has 7 fields, the header has 6'],
    [
      '1e3 as a count',
      `${HEAD}\no1,a1,f1,http,1e3,2\n`,
      'trace.csv:2:15 traffic[0].trace.invocations: minute 1: want a whole number of invocations ≥ 0, got "1e3"',
    ],
    [
      '+5 as a count',
      `${HEAD}\no1,a1,f1,http,+5,2\n`,
      'trace.csv:2:15 traffic[0].trace.invocations: minute 1: want a whole number of invocations ≥ 0, got "+5"',
    ],
    [
      'a duplicated minute column',
      'HashOwner,HashApp,HashFunction,Trigger,1,1\no1,a1,f1,http,1,2\n',
      'trace.csv:1:42 traffic[0].trace.invocations: minute column "1" out of sequence: expected minute 2',
    ],
    [
      'minute columns out of order',
      'HashOwner,HashApp,HashFunction,Trigger,2,1\no1,a1,f1,http,1,2\n',
      'trace.csv:1:40 traffic[0].trace.invocations: minute column "2" out of sequence: expected minute 1',
    ],
  ])('refuses a trace CSV the replayer would refuse: %s', (_what, csv, want) => {
    const text = withService('traffic:\n  - trace: {format: azure, invocations: trace.csv, functions: 1, targets: s}\n', '3m');
    expect(errors(text, files({ 'trace.csv': csv }))[0]).toBe(`SCENARIO_BAD_VALUE@${want}`);
  });

  it('carries the trace as the parsed counts of the selected functions, not as text', () => {
    const text = withService('traffic:\n  - trace: {format: azure, invocations: trace.csv, functions: [1], targets: s}\n', '3m');
    const s = loaded(text, files({ 'trace.csv': `${HEAD}\no1,a1,f1,http,1,2\no2,a2,f2,http,3,4\n` }));
    const a = s.traffic[0]?.arrivals;
    if (a?.pattern !== 'trace') throw new Error('expected a trace');
    expect(a.traces.map((t) => [t.hashFunction, [...t.perMinute]])).toEqual([['f2', [3, 4]]]);
    expect(a.totalInvocations).toBe(7);
    expect(JSON.stringify(a)).not.toContain('HashOwner');
  });
});

describe('issue 11: work beyond the estimate or the limits', () => {
  it("estimates closed-loop users from their target's own app model, not the fastest declared one", () => {
    // The target runs `fast` (1 ms); another app is slow (10 s). 100 users over 10 minutes.
    const text = withService(
      'apps:\n  fast: {serviceTime: 1ms}\n  slow: {serviceTime: 10s}\ntraffic:\n  - {target: s, pattern: users, users: 2, thinkTime: 100ms}\n',
      '1m',
    ).replace('--image=img', '--image=fast');
    const s = loaded(text);
    const r = runScenario(s);
    // Once served, each user cycles every 101 ms; the estimate is within 10% of what runs.
    expect(Math.abs(s.budget.expectedRequests - r.summary.requests.total) / r.summary.requests.total).toBeLessThan(0.1);
  });

  it.each([
    [
      'ten million closed-loop users over many workloads',
      withService(`traffic:\n${'  - {target: s, pattern: users, users: 6000, thinkTime: 10s}\n'.repeat(2)}`),
      'SCENARIO_LIMIT_EXCEEDED@hostile.yaml:7:40 traffic[1].users: 12000 closed-loop users over all workloads, more than 10000 (limits.maxUsers)',
    ],
    [
      'more workloads than the limit',
      withService(`traffic:\n${'  - {target: s, pattern: constant, rate: 1}\n'.repeat(1001)}`),
      'SCENARIO_LIMIT_EXCEEDED@hostile.yaml:6:3 traffic has 1001 workloads, more than 1000 (limits.maxWorkloads)',
    ],
    [
      'more expectations than the limit',
      withService(`expect:\n${'  - {at: 10s, revision: s-00001, readyPods: 1}\n'.repeat(10_001)}`),
      'SCENARIO_LIMIT_EXCEEDED@hostile.yaml:6:3 expect has 10001 expectations, more than 10000 (limits.maxExpectations)',
    ],
    [
      '--scale-min far beyond any cluster',
      withService('').replace('--image=img', '--image=img --scale-min 2147483647'),
      'SCENARIO_LIMIT_EXCEEDED@hostile.yaml:4:9 the timeline asks for 2147483647 pods at once through min-scale and initial-scale (s alone 2147483647), more than 1000 (limits.maxPods)',
    ],
    [
      'a non-string namespace',
      applying(['spec:', '  containers: [{image: img}]']).replace('metadata: {name: s}', 'metadata: {name: s, namespace: 5}'),
      'SCENARIO_INVALID_MANIFEST@hostile.yaml:7:38 Service "s": unable to decode: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.namespace of type string',
    ],
  ])('refuses %s', (_what, text, want) => {
    expect(errors(text)[0]).toEqual(want);
  });

  it('says how to raise every limit, and the raised limit lets it through', () => {
    const text = withService('').replace('--image=img', '--image=img --scale-min 1500');
    const [d] = load(text).diagnostics;
    expect(d?.hint).toBe('raise it with "limits: {maxPods: <n>}" in the scenario, or --set limits.maxPods=<n>');
    expect(load(`${text}limits: {maxPods: 2000}\n`).scenario?.budget.podsAsked).toBe(1500);
    expect(load(text, { sets: ['limits.maxPods=2000'] }).scenario?.budget.podsAsked).toBe(1500);
  });
});

describe('issue 11: wrong without a word, now said', () => {
  it('closed-loop users whose requests get an immediate 404 send again after their think time', () => {
    // Five users, two minutes, 1 s think time: about 5 × 120 requests, not 5 (bug: a request that ended inside send lost its user).
    const r = runScenario(loaded('duration: 2m\ntraffic:\n  - {target: {host: nowhere.default.example.com}, pattern: users, users: 5, thinkTime: 1s}\n'));
    expect(r.summary.requests.byStatus).toEqual({ 404: 600 });
  });

  it('counts a step written before the window consistently: it is the rate in force when the window opens', () => {
    const s = loaded(withService('traffic:\n  - {target: s, pattern: step, from: 1m, rate: 0, steps: [{at: 10s, rate: 5}]}\n', '2m'));
    expect(s.traffic[0]?.arrivals).toEqual({ pattern: 'step', rate: 5, steps: [] });
    expect(s.budget.expectedRequests).toBe(300);
    const r = runScenario(s);
    expect(Math.abs(r.summary.requests.total - 300)).toBeLessThan(60);
  });

  it.each([
    ['--concurrency-limit 5000', 'expected 0 <= 5000 <= 1000: spec.template.spec.containerConcurrency'],
    ['--timeout -5', 'expected 0 <= -5 <= 600: spec.template.spec.timeoutSeconds'],
    ['--scale-max 99999999999', 'expected 0 <= 99999999999 <= 2147483647: spec.template.metadata.annotations.autoscaling.knative.dev/max-scale'],
  ])("refuses kn %s with Knative's webhook message, as the same object applied", (flag, message) => {
    expect(errors(withService('').replace('--image=img', `--image=img ${flag}`))).toEqual([
      `SCENARIO_INVALID_KN@hostile.yaml:4:9 timeline[0].kn: admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: ${message}`,
    ]);
  });

  it("refuses a kn service name Knative's webhook refuses", () => {
    expect(errors(withService('').replace('create s', 'create Bad_Name'))).toEqual([expect.stringContaining('not a DNS 1035 label')]);
  });

  it('warns about an applied ConfigMap Knative does not read, with a did-you-mean, as config: does', () => {
    const cm = (metadata: string, data: string): string =>
      `duration: 30s\ntimeline:\n  - at: 0s\n    apply: |\n      apiVersion: v1\n      kind: ConfigMap\n      metadata: ${metadata}\n      data: ${data}\n`;
    const warnings = (text: string): string[] => load(text).diagnostics.map((d) => `${d.severity} ${d.line}:${d.column} ${d.message} | ${d.hint ?? ''}`);
    expect(warnings(cm('{name: config-autoscaler}', '{stable-window: 30s}'))).toEqual([
      'warning 7:24 ConfigMap config-autoscaler is applied to namespace default; Knative Serving reads config-autoscaler from knative-serving only, so this one changes nothing | set metadata.namespace: knative-serving',
    ]);
    expect(warnings(cm('{name: config-autoscalr, namespace: knative-serving}', '{stable-window: 30s}'))).toEqual([
      expect.stringMatching(
        /^warning 7:53 ConfigMap config-autoscalr in namespace knative-serving is not one Knative Serving reads .*\| did you mean "config-autoscaler"\?$/,
      ),
    ]);
    expect(warnings(cm('{name: config-autoscaler, namespace: knative-serving}', '{stable-windw: 30s}'))).toEqual([
      'warning 8:14 config-autoscaler: unknown key "stable-windw" (Knative ignores it) | did you mean "stable-window"?',
    ]);
  });

  it('handles keys named like Object.prototype members as ordinary names', () => {
    const text = withService(
      'apps:\n  constructor: {serviceTime: 5ms}\n  __proto__: {serviceTime: 7ms}\nconfig:\n  config-autoscaler: {toString: x, constructor: y}\ntraffic:\n  - {target: s, pattern: constant, rate: 1}\n',
    );
    const { scenario, diagnostics } = load(text);
    expect(scenario?.apps.map((a) => a.image)).toEqual(['__proto__', 'constructor']);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'config-autoscaler: unknown key "toString" (Knative ignores it)',
      'config-autoscaler: unknown key "constructor" (Knative ignores it)',
    ]);
    if (scenario !== undefined) expect(runScenario(scenario).summary.requests.total).toBe(30);
  });

  it('refuses a seed a double would round, so the replay line always names the seed that ran', () => {
    expect(errors('duration: 30s\nseed: 12345678901234567890\n')).toEqual([
      'SCENARIO_BAD_VALUE@hostile.yaml:2:7 seed: 12345678901234567890 is not an integer within ±9007199254740991; it would be rounded to 12345678901234567000, and the replay line would name another seed',
    ]);
    expect(errors('duration: 30s\nseed: 1.5\n')).toEqual([expect.stringContaining('seeds are whole numbers')]);
    expect(loaded('duration: 30s\nseed: "12345678901234567890"\n').seed).toBe('12345678901234567890');
    expect(loaded('duration: 30s\nseed: 9007199254740991\n').seed).toBe(9007199254740991);
  });

  it('refuses an expectation on a revision or service the scenario never creates, with a did-you-mean', () => {
    const text = withService('expect:\n  - {at: 30s, revision: s-0001, readyPods: 0}\n  - {at: 30s, service: z, coldStarts: 0}\n');
    const d = load(text).diagnostics;
    expect(d.map((x) => `${x.line}:${x.column} ${x.message} | ${x.hint ?? ''}`)).toEqual([
      '6:25 expect[0].revision: the timeline never creates revision s-0001 in namespace default, so this expectation would check something that never exists | did you mean "s-00001"?',
      '7:24 expect[1].service: the timeline never creates service z in namespace default, so this expectation would check something that never exists | did you mean "s"?',
    ]);
  });

  it('refuses a traffic target no manifest or kn line creates, with a did-you-mean', () => {
    const d = load(withService('traffic:\n  - {target: ss, pattern: constant, rate: 1}\n')).diagnostics;
    expect(d.map((x) => `${x.line}:${x.column} ${x.hint ?? ''}`)).toEqual(['6:14 did you mean "s"?']);
    expect(d[0]?.message).toBe(
      'traffic[0].target: no manifest or kn line in the timeline creates service ss in namespace default; its requests could only get 404',
    );
  });
});
