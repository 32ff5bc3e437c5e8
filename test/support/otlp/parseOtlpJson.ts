/**
 * Parses an OTLP/JSON body. OTLP/JSON uses lowerCamelCase keys, but the protobuf JSON mapping also allows the
 * original snake_case names, so keys are normalised to lowerCamelCase. (OTLP has no map fields, only `KeyValue`
 * lists, so no attribute key is ever an object key and normalising keys cannot alter data.)
 */
export function parseOtlpJson(body: Buffer): unknown {
  return camelCaseKeys(JSON.parse(body.toString('utf8')));
}

function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()),
      camelCaseKeys(inner),
    ]),
  );
}
