import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadScenario, type Diagnostic, type LoadOptions, type Scenario } from '../../src/scenario/index.js';

const FIXTURES = 'test/scenario/fixtures';
const fsRead = (path: string): string => readFileSync(path, 'utf8');

function load(text: string, options: Partial<LoadOptions> = {}): { scenario: Scenario | undefined; diagnostics: Diagnostic[] } {
  return loadScenario(text, { file: 'demo.yaml', ...options });
}

/** A readFile over in-memory files that throws like fs for a missing one. */
function readFrom(files: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = files[path];
    if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    return text;
  };
}

/** A timeline that creates service `s` (revision s-00001), appended after a scenario's last line so its positions stay. */
const CREATES_S = 'timeline:\n  - {at: 0s, kn: service create s --image=i}\n';

/** The single error of a load, as `code@line:column`. */
function errorsOf(text: string, options: Partial<LoadOptions> = {}): string[] {
  return load(text, options)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.code}@${d.line}:${d.column}`);
}

describe('loadScenario on the full example', () => {
  const file = `${FIXTURES}/full.yaml`;
  const result = loadScenario(fsRead(file), { file, readFile: fsRead });
  const s = result.scenario as Scenario;

  it('loads without diagnostics when every part is valid', () => {
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(s).toBeDefined();
  });

  it('normalizes top-level values, durations to ms and quantities to bytes', () => {
    expect(s).toMatchObject({ name: 'canary', seed: 42, durationMs: 600_000, description: 'Deploy, shift 10% to a canary, then scale to zero.' });
    expect(s.cluster.nodes?.map((n) => `${n.name}:${n.cpuMillis}:${n.memoryBytes}`)).toEqual([
      'big-1:8000:34359738368',
      'big-2:8000:34359738368',
      'node-3:3500:8589934592',
    ]);
    expect(s.cluster.coldStart).toMatchObject({
      pullBaseMs: 500,
      pullBandwidthBytesPerSecond: 50 * 2 ** 20,
      unpackBytesPerSecond: 20 * 2 ** 20,
      defaultImageSizeBytes: 100 * 2 ** 20,
      serializeImagePulls: false,
      sandboxMs: 800,
      containerStartMs: 300,
      jitterFraction: 0.1,
    });
    // apps.rainbows.imageSize lands in the cold-start images, sorted by image.
    expect(s.cluster.coldStart.images.map((i) => [i.image, i.sizeBytes, i.pullMs])).toEqual([
      ['gcr.io/demo/slow:v1', undefined, 8000],
      ['rainbows', 250 * 2 ** 20, undefined],
    ]);
    expect(s.cluster).toMatchObject({ apiLatencyMs: 5, routePropagationMs: 1000, missingImages: ['rainbows:broken'] });
  });

  it('keeps ConfigMap data as strings, the way Kubernetes stores it', () => {
    expect(s.config.map((c) => c.name)).toEqual(['config-autoscaler', 'config-gc']);
    expect(s.config[0]?.data).toEqual({ 'stable-window': '30s', 'enable-scale-to-zero': 'true', 'container-concurrency-target-percentage': '70' });
    expect(s.config[0]?.keyPos['stable-window']).toEqual({ file, line: 24, column: 5 });
  });

  it('turns median and p99 into lognormal mu and sigma', () => {
    const rainbows = s.apps.find((a) => a.image === 'rainbows');
    expect(rainbows?.serviceTime?.distribution).toBe('lognormal');
    const st = rainbows?.serviceTime as { mu: number; sigma: number };
    expect(Math.exp(st.mu)).toBeCloseTo(20, 9);
    expect(Math.exp(st.mu + 2.326347874 * st.sigma)).toBeCloseTo(200, 6);
    expect(rainbows).toMatchObject({ errorRate: 0.01, startupDelayMs: 2000 });
  });

  it('sorts the timeline by time and keeps file order for equal times', () => {
    expect(s.timeline.map((a) => `${a.atMs}:${a.action}:${a.index}`)).toEqual(['0:kn:0', '60000:kn:3', '120000:apply:1', '120000:apply:2', '480000:delete:4']);
    expect(s.timeline[0]).toMatchObject({ commandLine: 'service create sunshine --image=rainbows', note: 'first deploy', pos: { file, line: 40, column: 5 } });
    expect(s.timeline[4]).toMatchObject({ type: 'Service.serving.knative.dev', kind: 'Service', name: 'hello', namespace: 'default' });
  });

  it('reads applied manifests from files and inline blocks with their own positions', () => {
    const fromFile = s.timeline[2];
    const inline = s.timeline[3];
    if (fromFile?.action !== 'apply' || inline?.action !== 'apply') throw new Error('expected apply actions');
    expect(fromFile.file).toBe('manifests/hello.yaml');
    expect(fromFile.objects.map((o) => [o.type, o.object.metadata.name, o.pos.file, o.pos.line])).toEqual([
      ['Service.serving.knative.dev', 'hello', `${FIXTURES}/manifests/hello.yaml`, 1],
      ['ConfigMap', 'config-gc', `${FIXTURES}/manifests/hello.yaml`, 16],
    ]);
    // The inline Route's first line `apiVersion:` is line 47 of full.yaml, indented by 6.
    expect(inline.objects[0]?.pos).toEqual({ file, line: 47, column: 7 });
    expect(inline.objects[0]?.object.metadata.namespace).toBe('default');
  });

  it('reads traffic with defaults, targets and a trace replay', () => {
    expect(s.traffic.map((w) => [w.name, w.fromMs, w.toMs, w.arrivals.pattern])).toEqual([
      ['steady', 0, 300_000, 'poisson'],
      ['canary-tag', 60_000, 180_000, 'ramp'],
      ['replay', 180_000, 600_000, 'trace'],
    ]);
    expect(s.traffic[1]?.target).toMatchObject({ kind: 'service', service: 'sunshine', tag: 'canary', namespace: 'default', fromCluster: true });
    const trace = s.traffic[2]?.arrivals;
    if (trace?.pattern !== 'trace') throw new Error('expected a trace');
    // Row 0 over minutes 1..3 is 3+0+5, row "bbbb…" is 1+1+1.
    expect(trace).toMatchObject({
      format: 'azure2019',
      spread: 'equidistant',
      minutes: { from: 1, to: 3 },
      totalInvocations: 11,
      functions: { select: [0, 'bbbb'] },
    });
    expect(trace.targets.map((t) => t.kind)).toEqual(['host', 'service']);
  });

  it('normalizes expectations to checks with bounds', () => {
    expect(s.expect.map((e) => e.check)).toEqual(['readyPods', 'trafficShare', 'requests', 'latency', 'sksMode']);
    expect(s.expect[0]).toMatchObject({
      revision: 'sunshine-00001',
      bound: { min: 1, text: '≥ 1' },
      when: { kind: 'at', atMs: 30_000 },
      description: 'the first revision comes up',
    });
    expect(s.expect[1]).toMatchObject({ bound: { min: 0.07, max: 0.13, text: '0.1 ± 0.03' }, when: { kind: 'over', fromMs: 90_000, toMs: 240_000 } });
    expect(s.expect[2]).toMatchObject({ status: 503, count: { max: 0 } });
    expect(s.expect[3]).toMatchObject({ p: 99, bound: { max: 2000 }, filter: { service: 'sunshine' } });
  });

  it('estimates the requests of the whole run', () => {
    // poisson 20/s × 300 s + ramp mean 5/s × 120 s + 11 trace invocations.
    expect(s.budget.expectedRequests).toBe(6000 + 600 + 11);
  });
});

describe('loadScenario diagnostics', () => {
  it('suggests duration for duraton and does not also report it missing', () => {
    const { diagnostics } = load('duraton: 5m\n');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'SCENARIO_UNKNOWN_KEY', line: 1, column: 1, hint: 'did you mean "duration"?' });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'demo.yaml:1:1: error: unknown key "duraton" at the top level [SCENARIO_UNKNOWN_KEY]\n  hint: did you mean "duration"?',
    ]);
  });

  it.each([
    ['a YAML syntax error', 'duration: 5m\ncluster: {nodes: 3\n', 'SCENARIO_YAML_SYNTAX@3:1'],
    ['a duplicate key', 'duration: 5m\nduration: 6m\n', 'SCENARIO_YAML_SYNTAX@2:1'],
    ['a missing duration', 'name: x\n', 'SCENARIO_MISSING_KEY@1:1'],
    ['an unknown nested key', 'duration: 5m\ncluster:\n  nodez: 3\n', 'SCENARIO_UNKNOWN_KEY@3:3'],
    ['a number where a list is needed', 'duration: 5m\ntimeline: 3\n', 'SCENARIO_WRONG_TYPE@2:11'],
    ['a string rate', `duration: 5m\ntraffic:\n  - target: s\n    pattern: constant\n    rate: fast\n${CREATES_S}`, 'SCENARIO_WRONG_TYPE@5:11'],
    ['a malformed duration', 'duration: 5 minutes\n', 'SCENARIO_BAD_DURATION@1:11'],
    ['a negative duration', 'duration: 5m\ntimeline:\n  - at: -5s\n    kn: service list\n', 'SCENARIO_BAD_DURATION@3:9'],
    ['a bare number as duration', 'duration: 300\n', 'SCENARIO_BAD_DURATION@1:11'],
    ['an action without a verb', 'duration: 5m\ntimeline:\n  - at: 1s\n', 'SCENARIO_MISSING_KEY@3:5'],
    ['an action with two verbs', 'duration: 5m\ntimeline:\n  - at: 1s\n    kn: service list\n    delete: ksvc/a\n', 'SCENARIO_CONFLICTING_KEYS@5:5'],
    ['a misspelt pattern', `duration: 5m\ntraffic:\n  - target: s\n    pattern: poison\n    rate: 1\n${CREATES_S}`, 'SCENARIO_BAD_VALUE@4:14'],
    [
      'a parameter of another pattern',
      `duration: 5m\ntraffic:\n  - target: s\n    pattern: ramp\n    startRate: 1\n    endRate: 2\n    rate: 3\n${CREATES_S}`,
      'SCENARIO_CONFLICTING_KEYS@7:5',
    ],
    ['an error rate above 1', 'duration: 5m\napps:\n  img:\n    errorRate: 1.5\n', 'SCENARIO_OUT_OF_RANGE@4:16'],
    ['an unknown ConfigMap name', 'duration: 5m\nconfig:\n  config-autoscalr: {}\n', 'SCENARIO_UNKNOWN_KEY@3:3'],
    ['an invalid config-autoscaler value', 'duration: 5m\nconfig:\n  config-autoscaler:\n    max-scale-up-rate: 0.5\n', 'SCENARIO_INVALID_CONFIG@4:5'],
    ['an unknown delete kind', 'duration: 5m\ntimeline:\n  - at: 1s\n    delete: {kind: servise, name: a}\n', 'SCENARIO_UNKNOWN_KIND@4:20'],
    ['an expectation without a revision', 'duration: 5m\nexpect:\n  - at: 1m\n    readyPods: 1\n', 'SCENARIO_MISSING_KEY@3:5'],
    [
      'a bound with max below min',
      `duration: 5m\nexpect:\n  - at: 1m\n    revision: s-00001\n    readyPods: {min: 3, max: 1}\n${CREATES_S}`,
      'SCENARIO_BAD_VALUE@5:30',
    ],
    [
      'workload names used twice',
      `duration: 5m\ntraffic:\n  - {name: a, target: s, pattern: constant, rate: 1}\n  - {name: a, target: s, pattern: constant, rate: 1}\n${CREATES_S}`,
      'SCENARIO_DUPLICATE@4:12',
    ],
  ])('reports %s with its code and position', (_what, text, want) => {
    expect(errorsOf(text)).toEqual([want]);
  });

  it('collects every problem of a file in one pass', () => {
    const text = [
      'duration: 5m',
      'seed: [1]',
      'cluster:',
      '  nodes: 0',
      'traffic:',
      '  - target: s',
      '    pattern: constant',
      '    rate: -1',
      'expect:',
      '  - at: 1m',
      '    revision: s-00001',
      '    sksMode: serve',
      CREATES_S,
    ].join('\n');
    expect(errorsOf(text)).toEqual(['SCENARIO_WRONG_TYPE@2:7', 'SCENARIO_OUT_OF_RANGE@4:10', 'SCENARIO_OUT_OF_RANGE@8:11', 'SCENARIO_BAD_VALUE@12:14']);
  });

  it('warns about a config-autoscaler key Knative ignores, with a did-you-mean', () => {
    const { diagnostics, scenario } = load('duration: 5m\nconfig:\n  config-autoscaler:\n    stable-windw: 30s\n');
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'SCENARIO_UNKNOWN_KEY', severity: 'warning', line: 4, column: 5, hint: 'did you mean "stable-window"?' }),
    ]);
    expect(scenario).toBeDefined();
  });

  it('reports a missing manifest file at the path that names it', () => {
    const text = 'duration: 5m\ntimeline:\n  - at: 0s\n    apply: {file: nope.yaml}\n';
    const readFile = (p: string): string => {
      throw new Error(`ENOENT: no such file or directory, open '${p}'`);
    };
    const { diagnostics } = load(text, { file: 'dir/demo.yaml', readFile });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'SCENARIO_FILE_UNREADABLE', file: 'dir/demo.yaml', line: 4, column: 19 });
    expect(diagnostics[0]?.message).toContain('dir/nope.yaml');
    expect(errorsOf(text)).toEqual(['SCENARIO_FILE_UNREADABLE@4:19']);
  });

  it('points manifest errors at the line inside the manifest file', () => {
    const files: Record<string, string> = {
      'm.yaml':
        'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n      containers:\n        - image: x\n      timeoutSeconds: 900\n',
    };
    const { diagnostics } = load('duration: 5m\ntimeline:\n  - at: 0s\n    apply: {file: m.yaml}\n', { readFile: readFrom(files) });
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'SCENARIO_INVALID_MANIFEST', file: 'm.yaml', line: 10, column: 23 })]);
    expect(diagnostics[0]?.message).toContain('spec.template.spec.timeoutSeconds');
  });

  it('reports a container written as a string instead of throwing while defaulting (bug: TypeError "Cannot create property \'name\' on string")', () => {
    const files: Record<string, string> = {
      'm.yaml': 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n      containers: ["image: x"]\n',
    };
    const { diagnostics } = load('duration: 5m\ntimeline:\n  - at: 0s\n    apply: {file: m.yaml}\n', { readFile: readFrom(files) });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'SCENARIO_INVALID_MANIFEST',
        file: 'm.yaml',
        line: 8,
        column: 20,
        message:
          'Service "a": spec.template.spec.containers[0]: Invalid value: "string": spec.template.spec.containers[0] in body must be of type object: "string"',
      }),
    ]);
  });

  it.each([
    ['no apiVersion', 'kind: Service\nmetadata: {name: a}\n', 'SCENARIO_INVALID_MANIFEST@5:7'],
    ['no metadata.name', 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {}\n', 'SCENARIO_INVALID_MANIFEST@7:17'],
    ['an unknown kind', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n', 'SCENARIO_UNKNOWN_KIND@6:13'],
    ['broken YAML', 'apiVersion: v1\nkind: [\n', 'SCENARIO_YAML_SYNTAX@7:7'],
  ])('rejects an inline manifest with %s', (_what, manifest, want) => {
    const text = `duration: 5m\ntimeline:\n  - at: 0s\n    apply: |\n${manifest
      .split('\n')
      .map((l) => (l === '' ? '' : `      ${l}`))
      .join('\n')}`;
    expect(errorsOf(text)).toEqual([want]);
  });

  it("checks kn command lines with kn's parser", () => {
    const text = 'duration: 5m\ntimeline:\n  - at: 0s\n    kn: kn service create a --imagee=x\n  - at: 1s\n    kn: service create b --image=x\n';
    const { diagnostics, scenario } = load(text);
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'SCENARIO_INVALID_KN', line: 4, column: 9, message: 'timeline[0].kn: unknown flag: --imagee (did you mean --image?)' }),
    ]);
    expect(scenario).toBeUndefined();
    const ok = load('duration: 5m\ntimeline:\n  - at: 0s\n    kn: kn service create b --image=x\n').scenario;
    expect(ok?.timeline[0]).toMatchObject({ action: 'kn', commandLine: 'service create b --image=x' });
  });
});

describe('loadScenario limits', () => {
  it('refuses a YAML alias bomb instead of expanding it', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const { diagnostics, scenario } = load(`duration: 5m\nname: *i\n${lines.join('\n')}\n`.replace('name: *i\n', '') + 'description: *i\n');
    expect(scenario).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual(['SCENARIO_LIMIT_EXCEEDED']);
  });

  it('refuses a duration over maxDurationMs', () => {
    expect(errorsOf('duration: 100h\n')).toEqual(['SCENARIO_LIMIT_EXCEEDED@1:11']);
    expect(errorsOf('duration: 2h\n', { limits: { maxDurationMs: 3_600_000 } })).toEqual(['SCENARIO_LIMIT_EXCEEDED@1:11']);
  });

  it('refuses traffic whose request estimate exceeds maxExpectedRequests, and a run whose time estimate exceeds maxRunMs', () => {
    const text = `duration: 48h\ntraffic:\n  - target: s\n    pattern: constant\n    rate: 2000\n${CREATES_S}`;
    const { diagnostics } = load(text, { limits: { maxRunMs: 10 * 60_000 } });
    // 2000/s × 172,800 s = 345.6 million > 200 million; at 2 µs each (15 µs the first 100,000), about 11m33s of CPU > 10m.
    expect(diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['SCENARIO_LIMIT_EXCEEDED@3:5', 'SCENARIO_LIMIT_EXCEEDED@1:1']);
    expect(diagnostics[0]?.hint).toContain('--set limits.maxRequests=');
    expect(diagnostics[1]?.hint).toContain('--set limits.maxRunTime=');
    expect(diagnostics[0]?.message).toContain('345,600,000');
    expect(diagnostics[0]?.message).toContain('(limits.maxRequests)');
    expect(diagnostics[1]?.message).toMatch(/about 11m3\ds of CPU \(345,600,000 requests, [\d,]+ pod-seconds, 1 revisions over 48h0m0s\), more than 10m0s/);
    const raised = load(text, { limits: { maxExpectedRequests: 400_000_000, maxRunMs: 10 * 3_600_000 } }).scenario;
    expect(raised?.budget.expectedRequests).toBe(345_600_000);
    // The same, raised in the scenario's own limits section.
    expect(load(`${text}limits: {maxRequests: 400000000, maxRunTime: 10h}\n`).scenario?.budget.expectedRequests).toBe(345_600_000);
  });

  it('refuses more timeline actions or objects than the limits allow', () => {
    const actions = Array.from({ length: 4 }, (_, i) => `  - {at: ${i}s, kn: service list}`).join('\n');
    expect(errorsOf(`duration: 5m\ntimeline:\n${actions}\n`, { limits: { maxTimelineActions: 3 } })).toEqual(['SCENARIO_LIMIT_EXCEEDED@3:3']);
    expect(errorsOf('duration: 5m\ncluster:\n  nodes: 1000000000\n')).toEqual(['SCENARIO_LIMIT_EXCEEDED@3:10']);
  });
});

describe('loadScenario cluster.activators', () => {
  it('reads the activator replicas, and leaves them undefined (the default 1) when absent', () => {
    expect(load('duration: 5m\ncluster:\n  activators: 3\n').scenario?.cluster.activators).toBe(3);
    expect(load('duration: 5m\ncluster:\n  nodes: 2\n').scenario?.cluster).not.toHaveProperty('activators');
  });

  it('refuses no activators, a fraction, a string and more than 1,000, at the value', () => {
    expect(errorsOf('duration: 5m\ncluster:\n  activators: 0\n')).toEqual(['SCENARIO_OUT_OF_RANGE@3:15']);
    expect(errorsOf('duration: 5m\ncluster:\n  activators: 1.5\n')).toEqual(['SCENARIO_WRONG_TYPE@3:15']);
    expect(errorsOf('duration: 5m\ncluster:\n  activators: three\n')).toEqual(['SCENARIO_WRONG_TYPE@3:15']);
    expect(errorsOf('duration: 5m\ncluster:\n  activators: 1001\n')).toEqual(['SCENARIO_OUT_OF_RANGE@3:15']);
  });

  it('suggests the key for a misspelling', () => {
    const d = load('duration: 5m\ncluster:\n  activator: 3\n').diagnostics;
    expect(d.map((x) => [x.code, x.hint])).toEqual([['SCENARIO_UNKNOWN_KEY', 'did you mean "activators"?']]);
  });
});

describe('loadScenario values', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
  ])('reads duration %s as %d ms', (text, ms) => {
    expect(load(`duration: ${text}\n`).scenario?.durationMs).toBe(ms);
  });

  it('reads every distribution form', () => {
    const text = [
      'duration: 5m',
      'apps:',
      '  a: {serviceTime: 20ms}',
      '  b: {serviceTime: {distribution: exponential, mean: 50ms}}',
      '  c: {serviceTime: {distribution: uniform, min: 10ms, max: 30ms}}',
      '  d: {serviceTime: {distribution: lognormal, mu: 3, sigma: 0.5}}',
      '  e: {serviceTime: {distribution: empirical, percentiles: {p100: 1s, p0: 1ms, p50: 20ms}}}',
      '',
    ].join('\n');
    const apps = load(text).scenario?.apps.map((a) => a.serviceTime);
    expect(apps).toEqual([
      expect.objectContaining({ distribution: 'constant', valueMs: 20 }),
      expect.objectContaining({ distribution: 'exponential', meanMs: 50 }),
      expect.objectContaining({ distribution: 'uniform', minMs: 10, maxMs: 30 }),
      expect.objectContaining({ distribution: 'lognormal', mu: 3, sigma: 0.5 }),
      expect.objectContaining({
        distribution: 'empirical',
        points: [
          { p: 0, valueMs: 1 },
          { p: 50, valueMs: 20 },
          { p: 100, valueMs: 1000 },
        ],
      }),
    ]);
  });

  it('warns that cluster.coldStart.readinessProbePeriod has no effect (probes come from the manifests)', () => {
    const r = load('duration: 5m\ncluster:\n  coldStart: {readinessProbePeriod: 1s}\n');
    expect(r.scenario).toBeDefined();
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code}@${d.line}:${d.column}`)).toEqual(['warning SCENARIO_BAD_VALUE@3:15']);
    expect(r.diagnostics[0]?.message).toMatch(/has no effect: the kubelet probes on each probe's periodSeconds/);
  });

  it('reads an app failure model: crashes, start-ups that fail, readiness flaps and hangs', () => {
    const text = [
      'duration: 5m',
      'apps:',
      '  bad:v2:',
      '    failure:',
      '      crash: {after: 45s, afterRequests: 100, rate: 0.01}',
      '      exitCode: 2',
      '      message: "panic: nil map"',
      '      startupFailures: always',
      '      readinessFlap: {ready: 50s, unready: {distribution: uniform, min: 5s, max: 15s}}',
      '      hang: {after: 2m}',
      '  flaky:v1: {failure: {startupFailures: 3}}',
      '',
    ].join('\n');
    const r = load(text);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
    const [bad, flaky] = r.scenario?.apps ?? [];
    expect(bad?.failure).toMatchObject({
      crash: { after: { distribution: 'constant', valueMs: 45_000 }, afterRequests: 100, ratePerSecond: 0.01 },
      exitCode: 2,
      message: 'panic: nil map',
      startupFailures: Infinity,
      readinessFlap: { ready: { distribution: 'constant', valueMs: 50_000 }, unready: { distribution: 'uniform', minMs: 5000, maxMs: 15_000 } },
      hang: { after: { distribution: 'constant', valueMs: 120_000 } },
    });
    expect(flaky?.failure).toEqual({ startupFailures: 3 });
  });

  it.each([
    ['a misspelt failure key', 'failure: {crsh: {after: 1s}}', 'SCENARIO_UNKNOWN_KEY@4:15'],
    ['an exit code above 255', 'failure: {exitCode: 300}', 'SCENARIO_OUT_OF_RANGE@4:25'],
    ['a crash with nothing to say when', 'failure: {crash: {}}', 'SCENARIO_MISSING_KEY@4:22'],
    ['a fractional request count', 'failure: {crash: {afterRequests: 2.5}}', 'SCENARIO_WRONG_TYPE@4:38'],
    ['start-up failures neither a count nor always', 'failure: {startupFailures: often}', 'SCENARIO_WRONG_TYPE@4:32'],
    ['a readiness flap without its unready time', 'failure: {readinessFlap: {ready: 5s}}', 'SCENARIO_MISSING_KEY@4:30'],
  ])('reports %s in an app failure model', (_what, failure, want) => {
    expect(errorsOf(`duration: 5m\napps:\n  img:\n    ${failure}\n`)).toEqual([want]);
  });

  it('rejects an empirical distribution without p100 or with decreasing values', () => {
    expect(errorsOf('duration: 5m\napps:\n  a:\n    serviceTime: {distribution: empirical, percentiles: {p0: 1ms, p50: 2ms}}\n')).toEqual([
      'SCENARIO_MISSING_KEY@4:57',
    ]);
    expect(errorsOf('duration: 5m\napps:\n  a:\n    serviceTime: {distribution: empirical, percentiles: {p0: 5ms, p100: 2ms}}\n')).toEqual([
      'SCENARIO_BAD_VALUE@4:57',
    ]);
  });

  it('accepts config as real ConfigMap documents and keeps YAML numbers as written', () => {
    const text = [
      'duration: 5m',
      'config:',
      '  - |',
      '    apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata:',
      '      name: config-autoscaler',
      '      namespace: knative-serving',
      '    data:',
      '      panic-window-percentage: 10.0',
      '      stable-window: 6s',
      '',
    ].join('\n');
    const s = load(text).scenario;
    expect(s?.config).toEqual([expect.objectContaining({ name: 'config-autoscaler', data: { 'panic-window-percentage': '10.0', 'stable-window': '6s' } })]);
    expect(s?.config[0]?.keyPos['stable-window']).toEqual({ file: 'demo.yaml', line: 11, column: 7 });
  });

  it('rejects a ConfigMap document of an unknown name with a did-you-mean', () => {
    const text = ['duration: 5m', 'config:', '  - |', '    apiVersion: v1', '    kind: ConfigMap', '    metadata:', '      name: config-autoscale', ''].join(
      '\n',
    );
    const { diagnostics } = load(text);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'SCENARIO_BAD_VALUE', line: 7, column: 13, hint: 'did you mean "config-autoscaler"?' })]);
  });

  it('uses the file name as the default name and 1 as the default seed', () => {
    const s = loadScenario('duration: 1m\n', { file: 'scenarios/02-scale-to-zero.yaml' }).scenario;
    expect(s).toMatchObject({ name: '02-scale-to-zero', seed: 1, description: '', config: [], timeline: [], traffic: [], expect: [] });
  });

  it('expands delete shorthands and defaults namespaces like kubectl', () => {
    const text =
      'duration: 5m\ntimeline:\n  - {at: 1s, delete: rev/a-00001}\n  - {at: 2s, delete: cm/config-gc}\n  - {at: 3s, delete: {kind: Pod, name: p, namespace: team}}\n';
    const t = load(text).scenario?.timeline.map((a) => (a.action === 'delete' ? `${a.type} ${a.namespace}/${a.name}` : ''));
    expect(t).toEqual(['Revision.serving.knative.dev default/a-00001', 'ConfigMap knative-serving/config-gc', 'Pod team/p']);
  });
});
