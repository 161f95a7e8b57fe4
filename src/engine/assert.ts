/**
 * Assertions that stay on (TigerBeetle's discipline): a broken invariant is a bug in knsim,
 * never a user error, so it throws at once with what was expected instead of carrying an
 * `undefined` into the simulation. Used where the types allow a gap the logic rules out,
 * e.g. an index that a loop bound keeps in range.
 */

/** Returns `value`, or throws `knsim bug: <what>` when it is undefined or null. */
export function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`knsim bug: ${what}`);
  return value;
}

/** Throws `knsim bug: <what>` unless `condition` holds. */
export function invariant(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`knsim bug: ${what}`);
}
