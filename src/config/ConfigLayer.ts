/** Values from one source, shaped like the configuration (snake_case keys, nested sections). */
export interface ConfigLayer {
  /** Where the values came from: a file path, an environment variable name or `overrides`. */
  readonly source: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** Which source set each key: dotted path -> source. */
export type SourceMap = ReadonlyMap<string, string>;

/** Names the source of values that no layer set: the schema's own defaults. */
export const BuiltInDefaults = 'built-in defaults';

/** A layer that sets one key, given as a path (record keys may contain dots, so not a dotted string). */
export function layerAt(path: readonly [string, ...string[]], value: unknown, source: string): ConfigLayer {
  const values: Record<string, unknown> = {};
  let node = values;
  for (const key of path.slice(0, -1)) {
    const child: Record<string, unknown> = {};
    setOwn(node, key, child);
    node = child;
  }
  setOwn(node, path[path.length - 1] as string, value);
  return { source, values };
}

/**
 * Merges layers, later ones winning. Mappings merge key by key; lists and scalars replace what was there;
 * `undefined` means "not set". Remembers which layer set each key so that errors can name it.
 */
export function mergeLayers(layers: readonly ConfigLayer[]): {
  values: Record<string, unknown>;
  sources: SourceMap;
} {
  const values: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  for (const layer of layers) mergeInto(values, layer.values, [], layer.source, sources);
  return { values, sources };
}

/** The source of the value at `path`: the layer that set it or the mapping holding it. */
export function sourceOf(sources: SourceMap, path: readonly PropertyKey[]): string {
  for (let length = path.length; length > 0; length--) {
    const source = sources.get(dotted(path.slice(0, length)));
    if (source !== undefined) return source;
  }
  return BuiltInDefaults;
}

/** `['health', 'port']` -> `health.port`. */
export function dotted(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** A mapping as parsed from YAML or written as an object literal (not a list, a Secret or another class). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function mergeInto(
  target: Record<string, unknown>,
  patch: Readonly<Record<string, unknown>>,
  path: readonly string[],
  source: string,
  sources: Map<string, string>,
): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const childPath = [...path, key];
    const existing = Object.hasOwn(target, key) ? target[key] : undefined;
    if (isPlainObject(value) && isPlainObject(existing)) {
      mergeInto(existing, value, childPath, source, sources);
      continue;
    }
    const name = dotted(childPath);
    for (const known of sources.keys()) {
      if (known.startsWith(`${name}.`)) sources.delete(known);
    }
    sources.set(name, source);
    if (isPlainObject(value)) {
      const fresh: Record<string, unknown> = {};
      setOwn(target, key, fresh);
      mergeInto(fresh, value, childPath, source, sources);
    } else {
      // Copy lists so that freezing the result never freezes a caller's `overrides`.
      setOwn(target, key, Array.isArray(value) ? [...value] : value);
    }
  }
}

// A YAML key `__proto__` must become an ordinary (and then rejected) key, not a new prototype.
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
