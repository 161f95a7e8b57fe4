// The HPA class end to end through the built CLI: the repro (an HPA-class Service from a
// manifest validates, serves its traffic and scales on CPU), `knsim get hpa` as kubectl prints it,
// the HPA's status as the controller writes it, and the refusals of classes knsim does not run.
import { describe, expect, it } from 'vitest';
import { FIXTURES, knsim } from './helpers.js';

const DIR = `${FIXTURES}/hpa`;

describe('HPA class (CLI)', () => {
  it('an HPA-class manifest validates, serves every request and scales on CPU (its expectations pass)', () => {
    expect(knsim(['validate', `${DIR}/manifest.yaml`]).code).toBe(0);
    const r = knsim(['run', `${DIR}/manifest.yaml`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { expectations: { passed: boolean }[] };
    expect(out.expectations.length).toBe(4);
    expect(out.expectations.every((e) => e.passed)).toBe(true);
  });

  it('get hpa prints kubectl columns, the CPU target and the replicas', () => {
    const r = knsim(['get', 'hpa', '-f', `${DIR}/manifest.yaml`, '--at', '5m']);
    expect(r.code, r.stderr).toBe(0);
    const [header, row] = r.stdout.trimEnd().split('\n');
    expect(header?.split(/\s{2,}/)).toEqual(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
    expect(row?.split(/\s{2,}/).slice(0, 6)).toEqual([
      'cpu-00001',
      'Deployment/cpu-00001-deployment',
      expect.stringMatching(/^cpu: \d+%\/50%$/),
      '1',
      '8',
      '8',
    ]);
    expect(row?.split(/\s{2,}/)[6]).toBe('4m59s'); // created 25 ms after the Service; kubectl truncates
  });

  it('the HPA status carries the conditions and metric the controller wrote', () => {
    const r = knsim(['get', 'hpa', 'cpu-00001', '-f', `${DIR}/manifest.yaml`, '--at', '5m', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const hpa = JSON.parse(r.stdout) as {
      spec: { minReplicas: number; maxReplicas: number };
      status: { currentReplicas: number; conditions: { type: string; status: string; reason: string }[]; currentMetrics: { resource: { name: string } }[] };
    };
    expect(hpa.spec).toMatchObject({ minReplicas: 1, maxReplicas: 8 });
    expect(hpa.status.currentReplicas).toBe(8);
    expect(hpa.status.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['AbleToScale', 'True', 'ReadyForNewScale'],
      ['ScalingActive', 'True', 'ValidMetricFound'],
      ['ScalingLimited', 'True', 'TooManyReplicas'],
    ]);
    expect(hpa.status.currentMetrics[0]?.resource.name).toBe('cpu');
  });

  it("a class knsim does not run is refused with Knative's message, located at the annotation", () => {
    const r = knsim(['run', `${DIR}/custom-class.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /custom-class\.yaml:14:\d+: error: Service "mine": spec\.template\.metadata\.annotations\.autoscaling\.knative\.dev\/class: invalid value: example\.com\/mine \[SCENARIO_INVALID_MANIFEST\]/,
    );
  });

  it('memory past the container limit: OOMKilled (137) through the kubelet restart path, 502 for what was inside', () => {
    const run = knsim(['run', `${DIR}/oom.yaml`, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const r = knsim(['get', 'pods', '-f', `${DIR}/oom.yaml`, '-o', 'json']);
    const pods = JSON.parse(r.stdout) as {
      items: { status: { containerStatuses: { name: string; restartCount: number; lastState: { terminated?: { exitCode: number; reason: string } } }[] } }[];
    };
    const user = pods.items[0]?.status.containerStatuses.find((c) => c.name === 'user-container');
    expect(user?.restartCount).toBe(1);
    expect(user?.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  });

  it('an unknown pod-autoscaler-class in config-autoscaler is refused', () => {
    const r = knsim(['run', `${DIR}/config-class.yaml`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid value: example.com/mine');
    expect(r.stderr).toContain('[SCENARIO_INVALID_CONFIG]');
  });
});
