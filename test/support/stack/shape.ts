/**
 * Narrowing helpers for parsed YAML. Each takes a `where` (a path such as `services.bot.ports`) and throws with it,
 * so an assertion about a config that has the wrong shape says exactly which key is wrong.
 */

/** A YAML mapping as parsed by `yaml`. */
export type YamlMap = Readonly<Record<string, unknown>>;

export function isMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asMap(value: unknown, where: string): YamlMap {
  if (!isMap(value)) throw new Error(`${where}: expected a mapping, got ${describe(value)}`);
  return value;
}

/** A mapping that may be absent or written as an empty key (`health_check:`), which YAML parses as null. */
export function asOptionalMap(value: unknown, where: string): YamlMap {
  if (value === null || value === undefined) return {};
  return asMap(value, where);
}

export function asList(value: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list, got ${describe(value)}`);
  return value;
}

export function asOptionalList(value: unknown, where: string): readonly unknown[] {
  if (value === null || value === undefined) return [];
  return asList(value, where);
}

export function asString(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Error(`${where}: expected a string, got ${describe(value)}`);
  return value;
}

export function asNumber(value: unknown, where: string): number {
  if (typeof value !== 'number') throw new Error(`${where}: expected a number, got ${describe(value)}`);
  return value;
}

export function asStringList(value: unknown, where: string): string[] {
  return asList(value, where).map((item, index) => asString(item, `${where}[${index}]`));
}

/** Follows a dotted path of mapping keys (`a.b.c`); throws naming the first missing key. */
export function dig(value: unknown, path: string, where = ''): unknown {
  let current: unknown = value;
  let walked = where;
  for (const key of path.split('.')) {
    walked = walked === '' ? key : `${walked}.${key}`;
    const map = asMap(current, walked);
    if (!(key in map)) throw new Error(`${walked}: missing`);
    current = map[key];
  }
  return current;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
}
