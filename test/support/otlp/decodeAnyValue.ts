import type { WireAnyValue, WireBytes, WireDouble, WireEnum, WireKeyValue, WireLong } from './OtlpWire.js';
import type { Attributes, AttrValue } from './ReceivedTelemetry.js';

/** Decodes an OTLP `AnyValue` into a plain JS value; see {@link AttrValue}. */
export function decodeAnyValue(value: WireAnyValue | undefined): AttrValue {
  if (value === undefined || value === null) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return toInteger(value.intValue);
  if (value.doubleValue !== undefined) return toDouble(value.doubleValue);
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(decodeAnyValue);
  if (value.kvlistValue !== undefined) return decodeAttributes(value.kvlistValue.values);
  if (value.bytesValue !== undefined) {
    // Only JSON carries bytes as a string, and OTLP/JSON spells `bytesValue` in base64.
    return typeof value.bytesValue === 'string'
      ? new Uint8Array(Buffer.from(value.bytesValue, 'base64'))
      : new Uint8Array(value.bytesValue);
  }
  return null;
}

/** Decodes `repeated KeyValue` into a record. */
export function decodeAttributes(keyValues: readonly WireKeyValue[] | undefined): Attributes {
  const attributes: Attributes = {};
  for (const { key, value } of keyValues ?? []) attributes[key ?? ''] = decodeAnyValue(value);
  return attributes;
}

/**
 * A trace or span id as lowercase hex, `''` when absent. Protobuf gives bytes; OTLP/JSON already gives hex (it is
 * the one place OTLP/JSON departs from the protobuf JSON mapping, which would use base64).
 */
export function idToHex(id: WireBytes | undefined): string {
  if (id === undefined || id === null) return '';
  return typeof id === 'string' ? id.toLowerCase() : Buffer.from(id).toString('hex');
}

/** A 64-bit unsigned timestamp as a bigint (0n when absent). */
export function toBigInt(value: WireLong | undefined): bigint {
  if (value === undefined || value === null || value === '') return 0n;
  return typeof value === 'number' ? BigInt(Math.trunc(value)) : BigInt(value);
}

/** A 64-bit integer as a number when it is safe, else as a bigint. */
export function toInteger(value: WireLong): number | bigint {
  if (typeof value === 'number') return value;
  const big = BigInt(value);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** A 64-bit count or integer measurement as a number (counts in tests stay far below 2^53). */
export function toCount(value: WireLong | undefined): number {
  return value === undefined || value === null ? 0 : Number(value);
}

/** A double, accepting JSON's spelled-out special values. */
export function toDouble(value: WireDouble): number {
  return typeof value === 'number' ? value : Number(value);
}

/** An optional double (for proto3 `optional double` fields such as histogram `sum`, `min`, `max`). */
export function toOptionalDouble(value: WireDouble | undefined): number | undefined {
  return value === undefined || value === null ? undefined : toDouble(value);
}

/**
 * An enum as its number. `names` lists the proto enum value names in number order, so a JSON sender that spells
 * the name (`"SPAN_KIND_SERVER"`) is understood too.
 */
export function enumNumber(value: WireEnum | undefined, names: readonly string[]): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  const index = names.indexOf(value);
  return index >= 0 ? index : Number(value) || 0;
}
