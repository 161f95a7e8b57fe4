// kn's output through a scenario run: each line of it is one event of the `kn` component,
// byte for byte (blank lines between sections and the pads kn's tab writer leaves included),
// and a failing command prints kn's error and help hint.
import { describe, expect, it } from 'vitest';
import { FIXTURES, knsim } from './helpers.js';

interface Json {
  events: { t: number; component: string; object: string; message: string }[];
}

/** The messages kn printed for the command line that starts with `$ kn <line>`. */
function output(events: Json['events'], line: string): string[] {
  const start = events.findIndex((e) => e.component === 'kn' && e.message === `$ kn ${line}`);
  expect(start, line).toBeGreaterThanOrEqual(0);
  const object = events[start]?.object;
  const out: string[] = [];
  for (const e of events.slice(start + 1)) {
    if (e.component !== 'kn') continue;
    if (e.object !== object || e.message.startsWith('$ kn ')) break;
    out.push(e.message);
  }
  return out;
}

describe('kn output in the event log', () => {
  const r = knsim(['run', `${FIXTURES}/kn-output.yaml`, '--json']);
  const events = (JSON.parse(r.stdout) as Json).events;

  it('create: the blank line after the header and before the URL, as kn prints them', () => {
    const create = output(events, 'service create sunshine --image=rainbows --scale 1..3');
    expect(create[0]).toBe("Creating service 'sunshine' in namespace 'default':");
    expect(create[1]).toBe('');
    expect(create.at(-4)).toMatch(/^ {1,2}\d+\.\d{3}s Ready to serve\.$/);
    expect(create.slice(-3)).toEqual([
      '',
      "Service 'sunshine' created to latest revision 'sunshine-00001' is available at URL:",
      'http://sunshine.default.example.com',
    ]);
  });

  it('route list: NAME URL READY', () => {
    expect(output(events, 'route list')).toEqual([
      'NAME       URL                                   READY',
      'sunshine   http://sunshine.default.example.com   True',
    ]);
  });

  it('revision describe: sections, Scale, trailing pads', () => {
    const d = output(events, 'revision describe sunshine-00001');
    expect(d.slice(0, 2)).toEqual(['Name:         sunshine-00001', 'Namespace:    default']);
    expect(d).toContain('Scale:        1 ... 3');
    expect(d).toContain('Service:      sunshine');
    expect(d).toContain('Conditions:  ');
    expect(d[d.indexOf('Conditions:  ') - 1]).toBe('');
    expect(d[d.indexOf('Conditions:  ') + 1]).toBe('  OK TYPE                  AGE REASON');
  });

  it('a failing command: Error: and the help hint', () => {
    expect(output(events, 'service describe nope')).toEqual(['Error: services.serving.knative.dev "nope" not found', "Run 'kn --help' for usage"]);
  });
});
