// `knsim explain`: the narration for learners carries the numbers, the numbers add up, the
// story markers come in the order things happen, lines never repeat, and it narrows and ends
// with a glossary.
import { beforeAll, describe, expect, it } from 'vitest';
import { must } from '../../src/engine/index.js';
import { knsim, knsimAsync, parsePrintedDurationMs, STACK_FRAME } from './helpers.js';

const S = 'scenarios/02-scale-to-zero.yaml';

/** The blocks of an explain output: each starts with a `HH:MM:SS.mmm` line. */
function blocks(out: string): string[] {
  const body = out.slice(0, out.indexOf('\nIn numbers\n'));
  return body.split(/\n(?=\d\d:\d\d:\d\d\.\d{3} )/).slice(1);
}

describe('explain scenarios/02-scale-to-zero.yaml', () => {
  let out = '';
  let story = '';
  beforeAll(async () => {
    const [all, one] = await Promise.all([knsimAsync(['explain', S]), knsimAsync(['explain', S, '--revision', 'sunshine-00001'])]);
    for (const r of [all, one]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(STACK_FRAME);
    }
    out = all.stdout;
    story = one.stdout;
  });

  it('shows the decider arithmetic, a cold start breakdown and the scale to zero', () => {
    expect(out).toContain('ceil(');
    expect(out).toContain('cold start');
    expect(out).toContain('scaling to zero');
  });

  it('every ceil(a / b) = n it prints is right', () => {
    const all = [...out.matchAll(/ceil\(([\d.]+) \/ ([\d.]+)(?: per pod)?\) = (\d+)/g)];
    expect(all.length).toBeGreaterThan(0);
    for (const m of all) {
      const [a, b, n] = [Number(m[1]), Number(m[2]), Number(m[3])];
      expect(n, m[0]).toBe(Math.ceil(a / b));
    }
  });

  it('says where the target comes from: total × utilization = target per pod', () => {
    const all = [...out.matchAll(/target: ([\d.]+) × ([\d.]+)% utilization = ([\d.]+) concurrent requests per pod/g)];
    expect(all.length).toBeGreaterThan(0);
    for (const m of all) expect((Number(m[1]) * Number(m[2])) / 100, m[0]).toBeCloseTo(Number(m[3]), 3);
  });

  it('the parts of a cold start add up to its total', () => {
    const all = [...out.matchAll(/cold start (\S+) from pod creation(?: to Ready)?: ([^;\n]+)/gm)];
    expect(all.length).toBeGreaterThan(0);
    for (const m of all) {
      const totalMs = parsePrintedDurationMs(must(m[1], 'the pattern captures the total'));
      const partsMs = must(m[2], 'the pattern captures the parts')
        .split(', ')
        .map((part) => parsePrintedDurationMs(part.slice(part.lastIndexOf(' ') + 1)));
      // Each figure is rounded to at most 10ms.
      expect(Math.abs(partsMs.reduce((a, b) => a + b, 0) - totalMs), m[0]).toBeLessThanOrEqual(10 * (partsMs.length + 1));
    }
  });

  it("shows each image pull's formula, and its terms give the pull time", () => {
    const all = [
      ...out.matchAll(
        /image pull (\S+) = \(base (\S+) \+ transfer ([\d.]+) MB \/ ([\d.]+) MB\/s = (\S+) \+ unpack ([\d.]+) MB \/ ([\d.]+) MB\/s = (\S+)\)(?: × jitter ([\d.]+))?/g,
      ),
    ];
    expect(all.length).toBeGreaterThan(0);
    for (const m of all) {
      const ms = (i: number): number => parsePrintedDurationMs(must(m[i], 'captured'));
      expect(Math.abs((Number(m[3]) / Number(m[4])) * 1000 - ms(5)), m[0]).toBeLessThanOrEqual(60);
      expect(Math.abs((Number(m[6]) / Number(m[7])) * 1000 - ms(8)), m[0]).toBeLessThanOrEqual(60);
      const jitter = m[9] === undefined ? 1 : Number(m[9]);
      expect(Math.abs((ms(2) + ms(5) + ms(8)) * jitter - ms(1)), m[0]).toBeLessThanOrEqual(20);
    }
  });

  it('never prints the same block twice, nor the decider\'s "desired 0" beside the PodAutoscaler\'s at one instant', () => {
    const bs = blocks(out);
    for (let i = 1; i < bs.length; i++) expect(bs[i], bs[i]).not.toBe(bs[i - 1]);
    const at332 = bs.filter((b) => b.startsWith('00:03:32.000  autoscaler'));
    expect(at332).toHaveLength(1);
    expect(at332[0]).toContain('desired 0; marked inactive; activator already in path, scaling to zero');
    expect(at332[0]).toContain('stable window 1m0s: average 0 → ceil(0 / 70 per pod) = 0 pods');
  });

  it("tells one revision's story in order: last request, the empty window, the decision, activator in path, zero pods, the buffered request, the cold start and its wait", () => {
    const steps = [
      /the last request to sunshine-00001 arrived at 00:02:29\.\d+, 1m2\.\d+s ago: the stable window now holds none/,
      /no requests in the 1m0s stable window: desired 0; marked inactive; activator already in path, scaling to zero/,
      /stable window 1m0s: average 0 → ceil\(0 \/ 70 per pod\) = 0 pods/,
      /excess burst capacity floor\(1 pod × 100 − target-burst-capacity 211 − panic average 0\) = -111: negative/,
      /scaled sunshine-00001-deployment from 1 to 0/,
      /zero ready pods: from now on a request to this revision waits in the activator/,
      /the first request to sunshine-00001 with no ready pod since 00:03:32\.\d+ reaches the activator, which buffers it/,
      /poked by the activator: observed 1 concurrent/,
      /scaled sunshine-00001-deployment from 0 to 1/,
      // The pod is Ready as queue-proxy's probe passes, and the activator sends on a moment later.
      /cold start \S+ from pod creation to Ready: scheduling \S+, image pulls \(images already on the node\) 0s, pod sandbox and container starts \S+, readiness \S+; the revision had no ready pod/,
      /the activator sends the first buffered request on after \S+ of waiting; \d+ more requests waited for this start/,
    ];
    let from = 0;
    for (const step of steps) {
      const m = step.exec(story.slice(from));
      expect(m, `${String(step)} after offset ${from}`).not.toBeNull();
      from += (m?.index ?? 0) + (m?.[0].length ?? 0);
    }
  });

  it('ends with a glossary of the terms it used, each linked to knative.dev', () => {
    const glossary = story.slice(story.indexOf('\nGlossary\n'));
    expect(glossary).toContain('stable window');
    expect(glossary).toContain('activator');
    expect(glossary).toContain('https://knative.dev/docs/serving/load-balancing/target-burst-capacity/');
    for (const url of glossary.match(/https?:\/\/\S+/g) ?? []) expect(url).toMatch(/^https:\/\/(knative\.dev\/docs\/|github\.com\/knative\/)/);
  });
});

describe('explain filters', () => {
  it('--from/--to keep only the lines in the window', () => {
    const r = knsim(['explain', S, '--from', '3m', '--to', '3m40s']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^How 02-scale-to-zero unfolds \(seed 1\): from 3m0s to 3m40s$/m);
    const times = blocks(r.stdout).map((b) => parsePrintedDurationMs(`${b.slice(0, 2)}h${b.slice(3, 5)}m${b.slice(6, 12)}s`));
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(180_000);
      expect(t).toBeLessThanOrEqual(220_000);
    }
  });

  it('--revision leaves out other services; an unknown one is bad input', () => {
    const r = knsim(['explain', 'scenarios/05-routes-and-access.yaml', '--revision', 'internal-00001', '--to', '30s']);
    expect(r.code, r.stderr).toBe(0);
    const heads = blocks(r.stdout).map((b) => must(b.split('\n')[0], 'a block has a head'));
    expect(heads.some((h) => h.includes('internal'))).toBe(true);
    for (const h of heads) expect(h).not.toMatch(/sunshine/);
    const bad = knsim(['explain', S, '--revision', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: --revision nope: no such revision in this run (revisions: sunshine-00001)\n');
  });

  it('--glossary alone prints every term with its link', () => {
    const r = knsim(['explain', '--glossary']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('Glossary\n')).toBe(true);
    expect(r.stdout).toContain('excess burst capacity and target burst capacity (TBC)');
    expect(r.stdout).toContain('ServerlessService (SKS): Proxy and Serve');
    expect(knsim(['explain']).code).toBe(2);
  });
});

describe('explain 06-panic: panic with its threshold, clamps each time they bind', () => {
  it('says when panic begins and that max-scale caps every larger decision', async () => {
    const r = await knsimAsync(['explain', 'scenarios/06-panic.yaml', '--to', '2m30s']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ceil\([\d.]+ \/ 7\) = (\d+) pods; \1 \/ 1 pod = \1 ≥ panic threshold 2: enters panic/);
    const desired = [...r.stdout.matchAll(/^ {4}\S.*[:;] desired (\d+)(?: \(|$)/gm)].map((m) => Number(m[1]));
    const capped = [...r.stdout.matchAll(/max-scale 20: desired (\d+) capped at max-scale 20/g)].map((m) => Number(m[1]));
    expect(desired.filter((d) => d > 20)).toEqual(capped);
    expect(capped.length).toBeGreaterThan(0);
  });
});
