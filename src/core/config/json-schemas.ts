/**
 * JSON Schemas for the YAML files, generated from the zod schemas (input side: what users write).
 * Editors use them through `yaml-language-server` / `contributes.yamlValidation`.
 */
import { z } from 'zod';
import { mcpConfigSchema } from './mcp-config-schema';
import { mcpProfilesSchema } from './profiles-schema';

export interface GeneratedSchema {
  /** File name under `schemas/`. */
  fileName: string;
  /** Serialised JSON, newline-terminated. */
  text: string;
}

function render(title: string, schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  return `${JSON.stringify({ title, ...json }, null, 2)}\n`;
}

/**
 * Every schema to write. The library-cache schema is owned by the libraries package; it is included
 * when that module exports `libraryCacheSchema`.
 */
export async function buildJsonSchemas(): Promise<GeneratedSchema[]> {
  const out: GeneratedSchema[] = [
    { fileName: 'mcp-config.schema.json', text: render('MCP Integration: mcp-config.yaml', mcpConfigSchema) },
    { fileName: 'mcp-profiles.schema.json', text: render('MCP Integration: mcp-profiles.yaml', mcpProfilesSchema) },
  ];
  // A computed specifier: that module may not exist yet, and then there is simply no third schema.
  const specifier = '../libraries/schema';
  const libraries: unknown = await import(specifier).catch(() => undefined);
  const librarySchema = (libraries as { libraryCacheSchema?: unknown } | undefined)?.libraryCacheSchema;
  if (librarySchema instanceof z.ZodType)
    out.push({
      fileName: 'library-cache.schema.json',
      text: render('MCP Integration: library-cache.yaml', librarySchema),
    });
  return out;
}
