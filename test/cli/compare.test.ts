// knsim compare: one scenario under several configurations at the same seed (08-tuning's
// trade-off in one table), two scenarios side by side, and --set reaching inside an inline manifest.
import { describe, expect, it } from 'vitest';
import { knsim, STACK_FRAME } from './helpers.js';

const TUNING = 'scenarios/08-tuning.yaml';
const WINDOW = 'timeline[0].apply.spec.template.metadata.annotations."autoscaling.knative.dev/window"';
const DELAY = 'timeline[0].apply.spec.template.metadata.annotations."autoscaling.knative.dev/scale-down-delay"';

function row(stdout: string, name: string): string[] {
  const line = stdout.split('\n').find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no row ${name} in\n${stdout}`);
  return line.trim().split(/\s{2,}/);
}

describe('knsim compare', () => {
  it("shows 08-tuning's trade-off: the delay has no cold start and the most pod-seconds, the short window the fewest", () => {
    const r = knsim(['compare', TUNING, '--variant', 'baseline', '--variant', `short-window:${WINDOW}=20s`, '--variant', `delay:${DELAY}=3m`]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^VARIANT\s+COLD STARTS\s+POD STARTS\s+POD-SECONDS\s+P99\s+5XX\s+MAX PODS\s+EXPECTATIONS$/m);
    const base = row(r.stdout, 'baseline');
    const short = row(r.stdout, 'short-window');
    const delay = row(r.stdout, 'delay');
    const podSeconds = (cells: string[]): number => Number(cells[3]);
    // The delay keeps one pod: it starts once; the others start pods again after each scale to zero.
    expect(Number(delay[2])).toBe(1);
    expect(Number(base[2])).toBeGreaterThan(1);
    expect(Number(delay[1])).toBe(0);
    expect(Number(base[1])).toBeGreaterThan(0);
    expect(podSeconds(delay)).toBeGreaterThan(podSeconds(base));
    expect(podSeconds(short)).toBeLessThan(podSeconds(base));
  });

  it('compares two scenario files side by side, labelled by scenario name', () => {
    const r = knsim(['compare', 'scenarios/01-deploy.yaml', 'scenarios/02-scale-to-zero.yaml']);
    expect(r.code, r.stderr).toBe(0);
    expect(row(r.stdout, '01-deploy')).toHaveLength(8);
    expect(row(r.stdout, '02-scale-to-zero')).toHaveLength(8);
  });

  it('refuses a bad variant or a path into a manifest that is not there, in one line, exit 2', () => {
    const one = knsim(['compare', TUNING, '--variant', 'only']);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/at least two --variant/);
    const bad = knsim(['compare', TUNING, '--variant', 'a', '--variant', 'b:timeline[5].apply.spec.x=1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/timeline\[5\] has no apply/);
    expect(bad.stderr).toMatch(/in variant b/);
    expect(bad.stderr).not.toMatch(STACK_FRAME);
  });

  it('--set reaches an annotation of an applied template, checked like a written one', () => {
    const ok = knsim(['validate', TUNING, '--set', `${WINDOW}=20s`]);
    expect(ok.code, ok.stderr).toBe(0);
    const bad = knsim(['validate', TUNING, '--set', `${WINDOW}=2s`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/autoscaling\.knative\.dev\/window/);
    expect(bad.stderr).not.toMatch(STACK_FRAME);
  });
});
