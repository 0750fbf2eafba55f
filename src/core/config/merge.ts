/** Layering rule for configuration: maps merge key by key, everything else (arrays too) replaces. */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Merges `upper` over `lower` without mutating either. */
export function deepMerge(lower: unknown, upper: unknown): unknown {
  if (upper === undefined) return lower;
  if (!isPlainObject(lower) || !isPlainObject(upper)) return upper;
  const out: Record<string, unknown> = { ...lower };
  for (const [key, value] of Object.entries(upper)) out[key] = deepMerge(lower[key], value);
  return out;
}

/** Whether `data` has a value at `path`. */
export function hasPath(data: unknown, path: readonly PropertyKey[]): boolean {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, segment)) return false;
    node = (node as Record<PropertyKey, unknown>)[segment as string];
  }
  return true;
}
