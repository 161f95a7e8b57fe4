/**
 * CPU quantities as the scenario format accepts them (`cluster.nodes[].cpu`, `apps.<image>.idleCpu`):
 * Kubernetes' cores or millicores. Fidelity: plain decimals and the `m` suffix only, as a
 * scenario writes them; no exponents.
 */

/** Kubernetes CPU quantity → millicores: `4` → 4000, `0.5` → 500, `3500m` → 3500; undefined unless > 0. */
export function parseCpu(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?|\.\d+)(m?)$/.exec(text.trim());
  if (m === null) return undefined;
  const v = m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
  return v > 0 ? v : undefined;
}
