import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as bytes: 4 for IPv4, 16 for IPv6. */
export interface IpAddress {
  readonly version: 4 | 6;
  readonly bytes: Uint8Array;
}

/** A network: an address and the number of leading bits that must match. */
export interface IpNetwork extends IpAddress {
  readonly prefix: number;
}

/**
 * Parses an IP address in canonical notation (dotted-decimal IPv4, any valid IPv6 including `::` and an embedded
 * dotted IPv4, with or without brackets and zone). Anything else is null: the odd notations (`0177.0.0.1`,
 * `2130706433`, `0x7f.1`) are turned into dotted-decimal by the WHATWG URL parser before they get here, and a
 * resolver never returns them.
 */
export function parseIp(text: string): IpAddress | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  // A zone (`fe80::1%eth0`) picks an interface; it does not change which address it is.
  const address = bare.includes('%') ? bare.slice(0, bare.indexOf('%')) : bare;
  if (isIPv4(address)) return { version: 4, bytes: Uint8Array.from(address.split('.').map(Number)) };
  if (isIPv6(address)) return { version: 6, bytes: ipv6Bytes(address) };
  return null;
}

/** Parses `address/prefix`; a bare address is a network of one. Null when either part is invalid. */
export function parseNetwork(text: string): IpNetwork | null {
  const slash = text.indexOf('/');
  const address = parseIp(slash === -1 ? text : text.slice(0, slash));
  if (!address) return null;
  const bits = address.bytes.length * 8;
  if (slash === -1) return { ...address, prefix: bits };
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= bits ? { ...address, prefix } : null;
}

/** Whether `address` lies in `network`. Addresses of the other IP version never do. */
export function networkContains(network: IpNetwork, address: IpAddress): boolean {
  if (network.version !== address.version) return false;
  const whole = Math.floor(network.prefix / 8);
  for (let i = 0; i < whole; i++) if (network.bytes[i] !== address.bytes[i]) return false;
  const rest = network.prefix % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((network.bytes[whole] ?? 0) & mask) === ((address.bytes[whole] ?? 0) & mask);
}

/** Formats an address: dotted-decimal for IPv4, eight uncompressed hex groups for IPv6 (for logs and messages). */
export function formatIp(address: IpAddress): string {
  if (address.version === 4) return [...address.bytes].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push((((address.bytes[i] ?? 0) << 8) | (address.bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':');
}

/** Bytes `[offset, offset + 4)` of an IPv6 address as an IPv4 address. */
export function embeddedIpv4(address: IpAddress, offset: number): IpAddress {
  return { version: 4, bytes: address.bytes.slice(offset, offset + 4) };
}

// Only called once isIPv6 has accepted the text, so the structure is known to be valid.
function ipv6Bytes(text: string): Uint8Array {
  const groups = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [Number.parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head = '', tail] = text.split('::');
  const headGroups = groups(head);
  const tailGroups = tail === undefined ? [] : groups(tail);
  const zeros = new Array<number>(8 - headGroups.length - tailGroups.length).fill(0);
  const bytes = new Uint8Array(16);
  [...headGroups, ...zeros, ...tailGroups].forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}
