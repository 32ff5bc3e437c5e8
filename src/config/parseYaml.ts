import { LineCounter, parseDocument } from 'yaml';

/** The outcome of {@link parseYaml}: the value, or what is wrong and where. */
export type YamlParseResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problem: string };

/**
 * Parses one YAML document (a whole file, or one environment variable's value such as `8080`, `true`, `[0, 1]` or
 * `{lavalink: debug}`).
 *
 * Integers are read exactly: those a double holds become numbers, larger ones (Discord snowflakes) stay bigints for
 * the schema to turn into digits. Problems carry the line and column but never quote the text, which could hold a
 * secret pasted in the wrong place.
 */
export function parseYaml(text: string): YamlParseResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, intAsBigInt: true, uniqueKeys: true, lineCounter });
  const [error] = document.errors;
  if (error !== undefined) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { ok: false, problem: `invalid YAML at line ${line}, column ${col}: ${error.message}` };
  }
  try {
    return { ok: true, value: exactIntegers(document.toJS({ maxAliasCount: 100 })) };
  } catch (cause) {
    // toJS throws on alias abuse (billion laughs) and unresolved aliases.
    return { ok: false, problem: `invalid YAML: ${cause instanceof Error ? cause.message : String(cause)}` };
  }
}

function exactIntegers(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }
  if (Array.isArray(value)) return value.map(exactIntegers);
  if (typeof value === 'object' && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(result, key, {
        value: exactIntegers(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return result;
  }
  return value;
}
