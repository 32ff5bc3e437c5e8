import { z } from 'zod';
import { configSchema, SecretVariables } from './schema.js';

/** A key that takes a value of its own (not a section), with the environment variable that sets it. */
export interface ConfigLeaf {
  /** Path in the configuration, e.g. `['health', 'port']`. */
  readonly path: readonly [string, ...string[]];
  /** Dotted path, e.g. `health.port`. */
  readonly key: string;
  /** `METRONOME_` + the dotted path with dots as `_`, uppercased, e.g. `METRONOME_HEALTH_PORT`. */
  readonly variable: string;
  /**
   * The value is text, taken from the variable as written rather than parsed as YAML: `1234...` must stay a
   * snowflake string, and `0.0.0.0` a host.
   */
  readonly isText: boolean;
  /** The key accepts `null`, written `null` or `~` in a variable. */
  readonly isNullable: boolean;
}

/**
 * Every non-secret leaf of the schema, in schema order. Records (`logging.levels`) are one leaf: their variable
 * takes a YAML mapping. Secrets are left out: they have their own variables (see {@link SecretVariables}).
 */
export function configLeaves(): readonly ConfigLeaf[] {
  const leaves: ConfigLeaf[] = [];
  collect(configSchema, [], leaves);
  return leaves;
}

/** The names a mapping in the schema accepts, for "did you mean" hints; empty when `path` is not a section. */
export function sectionKeys(path: readonly PropertyKey[]): readonly string[] {
  let schema: z.core.$ZodType = configSchema;
  for (const key of path) {
    const object = unwrap(schema).schema;
    if (!(object instanceof z.ZodObject) || typeof key !== 'string') return [];
    const child: z.core.$ZodType | undefined = object.shape[key];
    if (child === undefined) return [];
    schema = child;
  }
  const object = unwrap(schema).schema;
  return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
}

/** The `METRONOME_*` variable for a dotted key. */
export function variableFor(key: string): string {
  return `METRONOME_${key.replaceAll('.', '_').toUpperCase()}`;
}

function collect(schema: z.core.$ZodType, path: readonly string[], leaves: ConfigLeaf[]): void {
  const { schema: inner, isNullable } = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    for (const [name, child] of Object.entries(inner.shape)) collect(child, [...path, name], leaves);
    return;
  }
  const [first, ...rest] = path;
  if (first === undefined) return;
  const key = path.join('.');
  if (Object.hasOwn(SecretVariables, key)) return;
  leaves.push({
    path: [first, ...rest],
    key,
    variable: variableFor(key),
    isText: inner instanceof z.ZodString,
    isNullable,
  });
}

/** Looks through defaults, optionals, nullables and preprocessing to the schema that checks the value. */
function unwrap(schema: z.core.$ZodType): { schema: z.core.$ZodType; isNullable: boolean } {
  let current = schema;
  let isNullable = false;
  for (;;) {
    if (current instanceof z.ZodNullable) {
      isNullable = true;
      current = current.unwrap();
    } else if (
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodOptional
    ) {
      current = current.unwrap();
    } else if (current instanceof z.ZodPipe) {
      current = current.out;
    } else {
      return { schema: current, isNullable };
    }
  }
}
