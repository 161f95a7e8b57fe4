/**
 * "Did you mean …?" for misspelt keys, kinds, flags and commands: the scenario loader and
 * the kn command layer make the same suggestion from one function.
 */
import { must } from '../engine/assert.js';

/**
 * Edit distance with adjacent transpositions (optimal string alignment, a restricted
 * Damerau–Levenshtein): `duraton` → `duration` is 1 (one insertion), `sesd` → `seed` is 1,
 * `raet` → `rate` is 1 (one swap).
 */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  // Three rolling rows: the transposition step looks two rows back. Along a row, the cell
  // to the left and the one diagonally up-left are carried in locals.
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = new Array<number>(m + 1);
  let cur = new Array<number>(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  let distance = m;
  for (let i = 1; i <= n; i++) {
    let left = i;
    let diagonal = i - 1;
    cur[0] = left;
    for (let j = 1; j <= m; j++) {
      const up = must(prev[j], 'edit distance: a cell of the previous row');
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(up + 1, left + 1, diagonal + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, must(prev2[j - 2], 'edit distance: a cell two rows back') + 1);
      cur[j] = v;
      diagonal = up;
      left = v;
    }
    distance = left;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return distance;
}

/**
 * The closest candidate to a misspelt word, or undefined when none is close enough.
 * "Close" is at most a third of the word's length (at least 1, at most 3 edits), compared
 * case-insensitively, so `Duration` → `duration` and `stable-windw` → `stable-window`
 * but `xyz` suggests nothing. Ties go to the candidate listed first.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const budget = Math.min(3, Math.max(1, Math.floor(w.length / 3)));
  let best: string | undefined;
  let bestDistance = budget + 1;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
