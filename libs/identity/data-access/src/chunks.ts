/** Rows in slices a statement's parameters can carry. */
export function* chunks<T>(rows: readonly T[], size = 10_000): Generator<readonly T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
