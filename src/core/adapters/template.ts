/**
 * Fills `{query}`, `{key}`, `{value}`, `{contextType}` (and any other named value) into a
 * YAML argument template, deeply. A string that is exactly one placeholder takes the value as is;
 * placeholders inside longer strings are replaced textually. Unknown placeholders stay untouched.
 * The values are data only: nothing is evaluated.
 */
export type TemplateValues = Record<string, string | undefined>;

const PLACEHOLDER = /\{(\w+)\}/g;
const WHOLE_PLACEHOLDER = /^\{(\w+)\}$/;

export function fillTemplate(template: unknown, values: TemplateValues): unknown {
  if (typeof template === 'string') return fillString(template, values);
  if (Array.isArray(template)) return template.map((item) => fillTemplate(item, values));
  if (typeof template === 'object' && template !== null) {
    return Object.fromEntries(Object.entries(template).map(([name, value]) => [name, fillTemplate(value, values)]));
  }
  return template;
}

/** Fills a template whose top level is an object (tool arguments). */
export function fillArguments(template: Record<string, unknown>, values: TemplateValues): Record<string, unknown> {
  return fillTemplate(template, values) as Record<string, unknown>;
}

function fillString(template: string, values: TemplateValues): unknown {
  const whole = WHOLE_PLACEHOLDER.exec(template);
  if (whole && values[whole[1] as string] !== undefined) return values[whole[1] as string];
  return template.replace(PLACEHOLDER, (match, name: string) => values[name] ?? match);
}
