/**
 * SmartTrigger: which kind of knowledge a query asks for and which server is likely to know.
 * Rules from `smart_triggers` in mcp-config.yaml combine a case-insensitive regex on the query with
 * language-aware conditions (document language, diagnostic source/code, syntax at the cursor);
 * every condition a rule names must hold. A rule whose regex does not compile is reported as a
 * located `ConfigError` and skipped; the other rules keep working.
 */
import type { TriggerContext, TriggerMatch } from './types';
import { LayeredConfigStore } from '../config/layered-store';
import { MCP_CONFIG_FILE } from '../config/load-config';
import { MCP_CONFIG_RECOVERABLE, mcpConfigSchema } from '../config/mcp-config-schema';
import { normaliseMcpConfig } from '../config/normalise';
import type { SmartTriggersConfig, TriggerPatternConfig } from '../config/types';
import { ConfigError } from '../errors';
import { CONTEXT_TYPES, type ContextType } from '../knowledge';
import type { ConfigLocations } from '../ports';

/**
 * Only this much of a query is matched. Patterns may come from a workspace file, so this bounds
 * the cost of a pathological (backtracking) regex on a huge pasted text.
 */
export const MAX_CLASSIFIED_QUERY_CHARS = 4_000;

interface CompiledRule {
  config: TriggerPatternConfig;
  regex?: RegExp;
  /** How many conditions the rule names: more specific rules win ties. */
  specificity: number;
  order: number;
  description: string;
}

export class SmartTrigger {
  /** Rules that could not be used, with where they are written. */
  readonly errors: ConfigError[] = [];
  private readonly rules: CompiledRule[] = [];
  private readonly enabled: boolean;

  constructor(config: SmartTriggersConfig) {
    this.enabled = config.enabled;
    config.patterns.forEach((rule, order) => {
      let regex: RegExp | undefined;
      if (rule.pattern !== undefined) {
        try {
          regex = new RegExp(rule.pattern, 'i');
        } catch (error) {
          const at = rule.location ?? { file: MCP_CONFIG_FILE, line: 1, column: 1 };
          this.errors.push(
            new ConfigError(
              at.file,
              at.line,
              at.column,
              `smart_triggers.patterns[${order}].pattern`,
              `invalid regular expression: ${(error as Error).message}`,
            ),
          );
          return;
        }
      }
      const conditions = [rule.languages, rule.diagnosticSources, rule.diagnosticCodes, rule.cursor].filter(
        (c) => c !== undefined,
      ).length;
      this.rules.push({
        config: rule,
        regex,
        specificity: conditions + (regex ? 1 : 0),
        order,
        description: describe(rule),
      });
    });
  }

  /** The guide's `SmartTrigger.create`: reads the layered mcp-config.yaml and builds the trigger. */
  static async create(locations: ConfigLocations): Promise<SmartTrigger> {
    const store = new LayeredConfigStore(mcpConfigSchema, {
      fileName: MCP_CONFIG_FILE,
      locations,
      recoverable: MCP_CONFIG_RECOVERABLE,
    });
    const layered = await store.load();
    const trigger = new SmartTrigger(normaliseMcpConfig(layered.value, layered).smartTriggers);
    trigger.errors.unshift(...layered.errors.filter((e) => e.keyPath.startsWith('smart_triggers')));
    return trigger;
  }

  /** Every matching rule, best first (confidence, then specificity, then file order); one per server and type. */
  classify(query: string, context: TriggerContext = {}): TriggerMatch[] {
    if (!this.enabled) return [];
    const text = query.length > MAX_CLASSIFIED_QUERY_CHARS ? query.slice(0, MAX_CLASSIFIED_QUERY_CHARS) : query;
    const matched = this.rules
      .filter((rule) => matches(rule, text, context))
      .sort((a, b) => b.config.confidence - a.config.confidence || b.specificity - a.specificity || a.order - b.order);
    const seen = new Set<string>();
    const out: TriggerMatch[] = [];
    for (const rule of matched) {
      const key = `${rule.config.server}\u0000${rule.config.contextType}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        server: rule.config.server,
        contextType: rule.config.contextType,
        confidence: rule.config.confidence,
        rule: rule.description,
      });
    }
    return out;
  }

  /** The best match, or undefined when no rule matches. */
  bestMatch(query: string, context?: TriggerContext): TriggerMatch | undefined {
    return this.classify(query, context)[0];
  }

  /** The context type of the best match; `general` when nothing matches. */
  bestContextType(query: string, context?: TriggerContext): ContextType {
    return this.bestMatch(query, context)?.contextType ?? CONTEXT_TYPES.general;
  }
}

function matches(rule: CompiledRule, text: string, context: TriggerContext): boolean {
  const c = rule.config;
  if (rule.regex && !rule.regex.test(text)) return false;
  if (c.languages && !includesIgnoringCase(c.languages, context.language)) return false;
  if (c.diagnosticSources && !includesIgnoringCase(c.diagnosticSources, context.diagnosticSource)) return false;
  if (c.diagnosticCodes && !includesIgnoringCase(c.diagnosticCodes, context.diagnosticCode)) return false;
  if (c.cursor && c.cursor !== context.cursorNode) return false;
  return true;
}

function includesIgnoringCase(list: readonly string[], value: string | undefined): boolean {
  if (value === undefined) return false;
  const lower = value.toLowerCase();
  return list.some((item) => item.toLowerCase() === lower);
}

function describe(rule: TriggerPatternConfig): string {
  const parts: string[] = [];
  if (rule.pattern !== undefined) parts.push(`/${rule.pattern}/i`);
  if (rule.languages) parts.push(`language in [${rule.languages.join(', ')}]`);
  if (rule.diagnosticSources) parts.push(`diagnostic source in [${rule.diagnosticSources.join(', ')}]`);
  if (rule.diagnosticCodes) parts.push(`diagnostic code in [${rule.diagnosticCodes.join(', ')}]`);
  if (rule.cursor) parts.push(`cursor at ${rule.cursor}`);
  return parts.join(' and ');
}
