import { it } from 'vitest';
import { simulationOf } from './helpers.js';
it('explore', () => {
  const updates = Array.from({ length: 20 }, (_, i) => `  - {at: ${(i + 1) * 10}s, kn: kn service update sunshine --image=rainbows:v${i + 1}}`).join('\n');
  const sim = simulationOf(`
name: rollback
duration: 6m
apps:
  rainbows:v2: {serviceTime: 20ms}
timeline:
  - {at: 0s, kn: kn service create sunshine --image=rainbows:v0}
${updates}
  - {at: 4m, kn: kn service update sunshine --traffic sunshine-00003=100}
traffic:
  - {name: users, target: sunshine, pattern: constant, rate: 10, from: 3m}
`);
  sim.runTo(239_000);
  const r = sim.result();
  console.log(JSON.stringify(r.summary), JSON.stringify(r.revisions));
  for (const e of r.events) if (e.t > 170_000 && !e.component.startsWith('kubelet')) console.log(e.t, e.component, e.object, e.message);
});
