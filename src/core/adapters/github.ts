/**
 * Issues layer over GitHub's MCP server (github/github-mcp-server: `search_issues`, `search_code`,
 * each taking `query` and `perPage`): an error signature finds issues that discuss it (closed ones
 * first, since they usually carry the fix); code questions find files. Read-only.
 */
import { CONTEXT_TYPES } from '../knowledge';
import type { AdapterAnswer, AdapterCallOptions, KnowledgeAdapter, KnowledgeQuery } from '../knowledge';
import type { ToolCaller } from '../mcp/types';
import { invokeTool } from './invoke';
import { isRecord, structuredOrJson } from './structured';

/** GitHub rejects search queries longer than 256 characters. */
const MAX_QUERY_LENGTH = 256;
const MAX_BODY_CHARS = 600;

export interface GithubAdapterOptions {
  caller: ToolCaller;
  /** Results asked for and shown per question. Default: 5. */
  maxResults?: number;
}

export class GithubAdapter implements KnowledgeAdapter {
  readonly kind = 'github' as const;
  readonly writable = false;
  readonly serverName: string;
  private readonly caller: ToolCaller;
  private readonly maxResults: number;

  constructor(options: GithubAdapterOptions) {
    this.caller = options.caller;
    this.serverName = options.caller.serverName;
    this.maxResults = options.maxResults ?? 5;
  }

  /** `hints.repo` (`owner/name`) narrows the search to one repository. */
  async fetch(query: KnowledgeQuery, options: AdapterCallOptions = {}): Promise<AdapterAnswer | null> {
    const terms = searchTerms(query.text, query.hints?.['repo']);
    if (!terms) return null;
    if (query.contextType === CONTEXT_TYPES.codeSymbol) return this.searchCode(terms, options.signal);
    return (await this.searchIssues(terms, options.signal)) ?? (await this.searchCode(terms, options.signal));
  }

  async store(): Promise<void> {
    throw new Error(`${this.serverName} (github) is read-only: nothing can be stored there`);
  }

  /** Nothing is cached here, so there is nothing to forget. */
  async invalidate(): Promise<void> {
    return undefined;
  }

  private async searchIssues(terms: string, signal: AbortSignal | undefined): Promise<AdapterAnswer | null> {
    const items = await this.search('search_issues', terms, signal);
    const issues = items.filter((item) => typeof item.title === 'string');
    if (issues.length === 0) return null;
    // Closed issues usually end with the fix; show them first.
    const ordered = [...issues].sort((a, b) => Number(b.state === 'closed') - Number(a.state === 'closed'));
    return {
      content: ordered.slice(0, this.maxResults).map(formatIssue).join('\n\n'),
      metadata: { tool: 'search_issues', total: issues.length },
    };
  }

  private async searchCode(terms: string, signal: AbortSignal | undefined): Promise<AdapterAnswer | null> {
    const items = await this.search('search_code', terms, signal);
    if (items.length === 0) return null;
    return {
      content: items.slice(0, this.maxResults).map(formatCodeHit).join('\n'),
      metadata: { tool: 'search_code', total: items.length },
    };
  }

  private async search(
    tool: string,
    query: string,
    signal: AbortSignal | undefined,
  ): Promise<Array<Record<string, unknown>>> {
    const args = { query, perPage: this.maxResults };
    const data = structuredOrJson(await invokeTool(this.caller, tool, args, { signal }));
    const items = isRecord(data) ? data.items : undefined;
    return Array.isArray(items) ? items.filter(isRecord) : [];
  }
}

/** Plain words of the question (GitHub search syntax characters dropped), plus a repo qualifier. */
function searchTerms(text: string, repo: string | undefined): string | undefined {
  const words = text
    .replace(/["'`:()[\]{}<>\\]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const qualifier = repo && /^[\w.-]+\/[\w.-]+$/.test(repo) ? ` repo:${repo}` : '';
  let terms = '';
  for (const word of words) {
    if (terms.length + word.length + 1 + qualifier.length > MAX_QUERY_LENGTH) break;
    terms = terms ? `${terms} ${word}` : word;
  }
  return terms ? `${terms}${qualifier}` : undefined;
}

function formatIssue(issue: Record<string, unknown>): string {
  const state = typeof issue.state === 'string' ? ` [${issue.state}]` : '';
  const url = typeof issue.html_url === 'string' ? `\n${issue.html_url}` : '';
  const body = typeof issue.body === 'string' && issue.body.trim() ? `\n${clip(issue.body.trim())}` : '';
  return `**#${scalar(issue.number)} ${String(issue.title)}**${state}${url}${body}`;
}

/**
 * GitHub's server gives `repository` as `owner/name` text and no link, so the link is built from it;
 * a full REST hit (`repository.full_name`, `html_url`) is read as well.
 */
function formatCodeHit(hit: Record<string, unknown>): string {
  const fullName = repositoryName(hit.repository);
  const path = hit.path ?? hit.name;
  const link =
    typeof hit.html_url === 'string'
      ? hit.html_url
      : fullName && typeof path === 'string'
        ? `https://github.com/${fullName}/blob/HEAD/${path.split('/').map(encodeURIComponent).join('/')}`
        : undefined;
  return `- ${fullName ? `${fullName}: ` : ''}${scalar(path)}${link ? ` — ${link}` : ''}`;
}

function repositoryName(repository: unknown): string | undefined {
  if (typeof repository === 'string' && repository) return repository;
  return isRecord(repository) && typeof repository.full_name === 'string' ? repository.full_name : undefined;
}

/** A number or string field as text; anything else (missing, an object) as `?`. */
function scalar(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '?';
}

function clip(text: string): string {
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text;
}
