/**
 * A replayed agent session for the `agent-session` benchmark: conversations that each resolve their
 * libraries with `resolve-library-id` (their own question as context7's ranking `query`) and then
 * ask `query-docs`, with the repeats agents make — popular libraries in many conversations, a
 * library typed in another case, docs questions asked again word for word, and retried calls.
 * Deterministic (fixed seed), so every run replays the same calls.
 */
import { libraryDocsQuery } from '../../src/core/preload/queries';
import { cacheKey } from '../../src/core/store/cache-key';
import { seededRandom, zipfIndices } from './workload';

export type AgentTool = 'resolve-library-id' | 'query-docs';

export interface AgentCall {
  conversation: number;
  tool: AgentTool;
  args: Record<string, string>;
  /** Why the call is there: a first ask, a word-for-word re-ask from an earlier conversation, or a retry. */
  origin: 'first' | 'reask' | 'retry';
}

/** Library names as agents type them (context7 matches them case-insensitively), with their ids. */
const LIBRARIES: ReadonlyArray<readonly [name: string, id: string]> = [
  ['react', '/facebook/react'],
  ['numpy', '/numpy/numpy'],
  ['pandas', '/pandas-dev/pandas'],
  ['express', '/expressjs/express'],
  ['zod', '/colinhacks/zod'],
  ['torch', '/pytorch/pytorch'],
  ['requests', '/psf/requests'],
  ['axios', '/axios/axios'],
  ['fastapi', '/fastapi/fastapi'],
  ['lodash', '/lodash/lodash'],
  ['matplotlib', '/matplotlib/matplotlib'],
  ['sklearn', '/scikit-learn/scikit-learn'],
];

const TASKS = [
  'handle errors',
  'configure timeouts',
  'stream large responses',
  'write unit tests',
  'migrate to the latest version',
  'validate input',
  'improve performance',
  'parse dates',
  'cache results',
  'log requests',
];

const SEED = 20_261_202;
/** Share of docs questions that repeat, word for word, one asked in an earlier conversation. */
const REASK_SHARE = 0.3;
/** Share of calls an agent sends again (a timeout on its side, a tool call it re-plans). */
const RETRY_SHARE = 0.12;
/** Share of conversations that use two libraries. */
const TWO_LIBRARY_SHARE = 0.4;

const titleCase = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/** The calls of `conversations` conversations, in the order an agent sends them. */
export function agentSession(conversations: number): AgentCall[] {
  const random = seededRandom(SEED);
  const popularity = zipfIndices(LIBRARIES.length, conversations * 2, 1, random);
  const asked = new Map<string, string[]>();
  const calls: AgentCall[] = [];
  const push = (call: AgentCall): void => {
    calls.push(call);
    if (random() < RETRY_SHARE) calls.push({ ...call, args: { ...call.args }, origin: 'retry' });
  };
  for (let c = 0; c < conversations; c++) {
    const first = popularity[2 * c] as number;
    const second = popularity[2 * c + 1] as number;
    const picked = random() < TWO_LIBRARY_SHARE && second !== first ? [first, second] : [first];
    const libraries = picked.map((i) => LIBRARIES[i] as readonly [string, string]);
    const task = TASKS[Math.floor(random() * TASKS.length)] as string;
    const question = `How do I ${task} with ${libraries.map(([name]) => name).join(' and ')}? (conversation ${c + 1})`;
    for (const [name] of libraries)
      push({
        conversation: c,
        tool: 'resolve-library-id',
        args: { libraryName: random() < 0.5 ? name : titleCase(name), query: question },
        origin: 'first',
      });
    for (const [name, id] of libraries) {
      const earlier = asked.get(id) ?? [];
      const reask = earlier.length > 0 && random() < REASK_SHARE;
      const docsQuestion = reask
        ? (earlier[Math.floor(random() * earlier.length)] as string)
        : `${name}: how to ${task} (conversation ${c + 1})`;
      if (!reask) asked.set(id, [...earlier, docsQuestion]);
      push({
        conversation: c,
        tool: 'query-docs',
        args: { libraryId: id, query: docsQuestion },
        origin: reask ? 'reask' : 'first',
      });
    }
  }
  return calls;
}

/**
 * The key a perfect cache would store the call under, as the gateway's shipped rules define it:
 * `resolve-library-id` by `libraryName` alone, case-insensitively (context7's `query` only ranks);
 * `query-docs` by library and question (the shared library-docs key).
 */
export function perfectCacheKey(call: AgentCall): string {
  if (call.tool === 'resolve-library-id') return `resolve:${(call.args['libraryName'] ?? '').trim().toLowerCase()}`;
  return `docs:${cacheKey(libraryDocsQuery(call.args['libraryId'] ?? '', call.args['query'] ?? ''))}`;
}
