/** Turns zod issues into located `ConfigError`s: one error per issue, one per unknown key. */
import type { z } from 'zod';
import { ConfigError } from '../errors';
import { formatKeyPath, type ConfigPath, type Locator } from './locate';

export function issuesToErrors(
  file: string,
  issues: readonly z.core.$ZodIssue[],
  locate: Locator,
  pathMap: (path: ConfigPath) => ConfigPath = (p) => p,
): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const issue of issues) {
    const path = pathMap(issue.path);
    if (issue.code === 'unrecognized_keys') {
      // Point at each unknown key itself, not at the object holding it.
      for (const key of issue.keys) {
        const keyPath = [...path, key];
        const { line, column } = locate(keyPath, true);
        errors.push(new ConfigError(file, line, column, formatKeyPath(keyPath), `unknown key "${key}"`));
      }
      continue;
    }
    const { line, column } = locate(path);
    errors.push(new ConfigError(file, line, column, formatKeyPath(path), describeIssue(issue)));
  }
  return errors;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value' && issue.values.length > 0) {
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return `required ${issue.expected} is missing`;
  }
  return issue.message;
}

/** Orders errors by file, line and column so hosts show them in reading order. */
export function sortErrors(errors: ConfigError[]): ConfigError[] {
  return [...errors].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
