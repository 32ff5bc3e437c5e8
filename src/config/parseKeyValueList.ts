/**
 * Parses the `key=value,key2=value2` format of `OTEL_RESOURCE_ATTRIBUTES` and `OTEL_EXPORTER_OTLP_HEADERS`
 * (the W3C Baggage format without properties): whitespace around entries is ignored, keys and values are
 * percent-decoded, empty entries are skipped.
 *
 * The list may hold API keys, so the thrown message names the entry's position, never its text.
 *
 * @throws TypeError when an entry has no `=`, an empty key, or a broken percent-encoding
 */
export function parseKeyValueList(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const entries = text.split(',');
  for (const [index, rawEntry] of entries.entries()) {
    const entry = rawEntry.trim();
    if (entry === '') continue;
    const separator = entry.indexOf('=');
    const position = `entry ${index + 1}`;
    if (separator <= 0) throw new TypeError(`${position} is not a key=value pair`);
    const key = decode(entry.slice(0, separator).trim(), position);
    result[key] = decode(entry.slice(separator + 1).trim(), position);
  }
  return result;
}

function decode(text: string, position: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new TypeError(`${position} has a broken percent-encoding`);
  }
}
