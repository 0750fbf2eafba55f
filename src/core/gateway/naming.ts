/**
 * Exposed tool names: `<server><separator><tool>`, kept within what VS Code and the common MCP
 * clients accept (`^[a-zA-Z0-9_-]{1,64}$`). A name that does not fit as it is — other characters,
 * or too long — gets its invalid characters replaced and a short hash of the original pair
 * appended, so the result is deterministic (the same server and tool always get the same name,
 * whatever else is listed) and two different tools do not collide.
 */
import { createHash } from 'node:crypto';

export const MAX_TOOL_NAME_LENGTH = 64;
export const VALID_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/u;
const HASH_LENGTH = 8;

export function exposedToolName(server: string, tool: string, separator: string): string {
  const plain = `${server}${separator}${tool}`;
  if (VALID_TOOL_NAME.test(plain)) return plain;
  const hash = createHash('sha256').update(`${server}\u0000${tool}`).digest('hex').slice(0, HASH_LENGTH);
  const cleaned = plain.replace(/[^a-zA-Z0-9_-]/gu, '_');
  const room = MAX_TOOL_NAME_LENGTH - HASH_LENGTH - 1;
  return `${cleaned.slice(0, room)}_${hash}`;
}
