import { Secret } from './Secret.js';
import type { Config } from './schema.js';

/** A JSON value. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * A JSON-safe copy of the configuration for `/healthz`, start-up logs and the demo: a secret that is set shows as
 * `[redacted]`, one that is not set is absent.
 */
export function describeConfig(config: Config): { readonly [key: string]: JsonValue } {
  return describe(config) as { readonly [key: string]: JsonValue };
}

function describe(value: unknown): JsonValue | undefined {
  if (value instanceof Secret) return value.toJSON();
  if (Array.isArray(value)) return value.map((item) => describe(item) ?? null);
  if (typeof value === 'object' && value !== null) {
    const result: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) {
      const described = describe(item);
      if (described !== undefined) result[key] = described;
    }
    return result;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return value;
  }
  return undefined;
}
