/** The one replacement that turns a text into another: what a host shows in a preview. */
export interface TextReplacement {
  /** UTF-16 offset where the replaced range starts. */
  offset: number;
  /** Length of the replaced range in the old text. */
  length: number;
  text: string;
}

/** The smallest single range (common prefix and suffix kept) replacing `before` by `after`. */
export function minimalReplacement(before: string, after: string): TextReplacement | undefined {
  if (before === after) return undefined;
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start += 1;
  let end = 0;
  while (
    end < shorter - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  )
    end += 1;
  return { offset: start, length: before.length - start - end, text: after.slice(start, after.length - end) };
}
