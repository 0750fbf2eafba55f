/**
 * Picks a value out of a tool's structured answer with a small path syntax: `a.b.0.c`,
 * `a.b[0].c`, `items[-1]` (negative indexes count from the end). No expressions are evaluated.
 */
export function selectPath(data: unknown, path: string): unknown {
  const segments = path
    .replace(/\[(-?\d+)\]/g, '.$1')
    .split('.')
    .filter((segment) => segment.length > 0);
  let current: unknown = data;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      const index = Number(segment);
      if (!Number.isInteger(index)) return undefined;
      current = current.at(index);
    } else if (
      typeof current === 'object' &&
      current !== null &&
      Object.prototype.hasOwnProperty.call(current, segment)
    ) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}
