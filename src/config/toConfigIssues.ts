import type { z } from 'zod';
import type { ConfigIssue } from './ConfigError.js';
import { dotted, type SourceMap, sourceOf } from './ConfigLayer.js';
import { sectionKeys } from './configLeaves.js';
import { Secret } from './Secret.js';
import { SecretVariables } from './schema.js';
import { suggestName } from './suggestName.js';

const MaxShownLength = 80;

/**
 * Words zod's checks in the terms of a configuration file ("expected a number", "must be at most 65535"). Pass it
 * as the `error` option of `safeParse`; messages written on the schema itself take precedence. Never quotes the
 * input, which may be a secret.
 */
export function describeZodIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${ExpectedTypes[issue.expected] ?? issue.expected}`;
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `needs at least ${issue.minimum} item(s)`;
      return issue.inclusive ? `must be at least ${issue.minimum}` : `must be greater than ${issue.minimum}`;
    case 'too_big':
      return issue.inclusive ? `must be at most ${issue.maximum}` : `must be less than ${issue.maximum}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join(', ')}`;
    default:
      return undefined;
  }
}

const ExpectedTypes: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
  array: 'a list',
};

/**
 * Turns zod's issues into configuration issues: the dotted key, the value as it may be shown, and the source that
 * set it. An unknown key becomes one issue per key, with a hint when it looks like a typo.
 */
export function toConfigIssues(error: z.ZodError, values: unknown, sources: SourceMap): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = sectionKeys(issue.path);
      for (const name of issue.keys) {
        const path = [...issue.path, name];
        const suggestion = suggestName(name, known);
        const hint = suggestion === undefined ? '' : `; did you mean ${dotted([...issue.path, suggestion])}?`;
        // The value is not shown: a misspelt secret key would otherwise print the secret.
        issues.push({ key: dotted(path), source: sourceOf(sources, path), problem: `unknown key${hint}` });
      }
      continue;
    }
    const key = dotted(issue.path);
    issues.push({
      key,
      source: sourceOf(sources, issue.path),
      problem: issue.message,
      shownValue: showValue(key, valueAt(values, issue.path)),
    });
  }
  return issues;
}

function valueAt(values: unknown, path: readonly PropertyKey[]): unknown {
  let node = values;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** The value as it may appear in an error message: secrets redacted, long values cut. */
function showValue(key: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (holdsSecret(key) || value instanceof Secret) return '[redacted]';
  if (typeof value === 'bigint') return String(value);
  const shown =
    JSON.stringify(value, (_, item: unknown) => (typeof item === 'bigint' ? Number(item) : item)) ?? String(value);
  return shown.length > MaxShownLength ? `${shown.slice(0, MaxShownLength - 3)}...` : shown;
}

/**
 * Whether the value at `key` is or may contain a secret: a secret key, a key under one, or a section above one (a
 * file may give `database:` a connection string where a mapping belongs).
 */
function holdsSecret(key: string): boolean {
  return Object.keys(SecretVariables).some(
    (secret) => key === '' || key === secret || key.startsWith(`${secret}.`) || secret.startsWith(`${key}.`),
  );
}
