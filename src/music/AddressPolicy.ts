import { embeddedIpv4, type IpAddress, type IpNetwork, networkContains, parseIp, parseNetwork } from './IpAddress.js';

/**
 * Why an address or host name must not be fetched. `metadata` is checked first because it is the worst case (cloud
 * credentials), so logs name it rather than the broader range it sits in.
 */
export type AddressCategory =
  | 'metadata'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'cgnat'
  | 'multicast'
  | 'reserved'
  | 'local_name';

type Rule = readonly [network: IpNetwork, category: AddressCategory];

function rules(entries: readonly (readonly [string, AddressCategory])[]): readonly Rule[] {
  return entries.map(([cidr, category]) => {
    const network = parseNetwork(cidr);
    if (!network) throw new Error(`bad built-in network ${cidr}`);
    return [network, category] as const;
  });
}

// IANA special-purpose registries: everything not globally reachable, in the order it is checked.
const Ipv4Rules = rules([
  ['169.254.169.254/32', 'metadata'], // AWS, Azure, GCP, Oracle, DigitalOcean...
  ['100.100.100.200/32', 'metadata'], // Alibaba Cloud
  ['0.0.0.0/8', 'unspecified'], // "this network": 0.0.0.0 reaches the local host on Linux
  ['127.0.0.0/8', 'loopback'],
  ['10.0.0.0/8', 'private'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['169.254.0.0/16', 'link_local'],
  ['100.64.0.0/10', 'cgnat'],
  ['224.0.0.0/4', 'multicast'],
  ['192.0.0.0/24', 'reserved'], // IETF protocol assignments
  ['192.0.2.0/24', 'reserved'], // documentation
  ['192.88.99.0/24', 'reserved'], // 6to4 relay anycast
  ['198.18.0.0/15', 'reserved'], // benchmarking
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['240.0.0.0/4', 'reserved'], // includes the broadcast address
]);

const Ipv6Rules = rules([
  ['fd00:ec2::254/128', 'metadata'], // AWS over IPv6
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::/96', 'reserved'], // IPv4-compatible, deprecated
  ['64:ff9b:1::/48', 'reserved'], // local-use NAT64
  ['100::/64', 'reserved'], // discard-only
  ['2001::/23', 'reserved'], // IETF protocol assignments, Teredo
  ['2001:db8::/32', 'reserved'], // documentation
  ['3fff::/20', 'reserved'], // documentation
  ['fc00::/7', 'private'], // unique local
  ['fe80::/10', 'link_local'],
  ['fec0::/10', 'reserved'], // site-local, deprecated
  ['ff00::/8', 'multicast'],
]);

const GlobalUnicast = parseNetwork('2000::/3')!;

/**
 * IPv6 ranges that carry an IPv4 address, and where. Such an address reaches whatever its IPv4 address reaches, so
 * it is judged by that address: `::ffff:127.0.0.1` is loopback, while a NAT64 address of a public host (what DNS64
 * returns on an IPv6-only network) is fine.
 */
const Ipv4Carriers = [
  [parseNetwork('::ffff:0:0/96')!, 12], // IPv4-mapped
  [parseNetwork('::ffff:0:0:0/96')!, 12], // IPv4-translated (SIIT)
  [parseNetwork('64:ff9b::/96')!, 12], // NAT64
  [parseNetwork('2002::/16')!, 2], // 6to4
] as const;

/** The IPv4 address an IPv6 address carries, if it is one of the translation forms. */
export function carriedIpv4(address: IpAddress): IpAddress | null {
  if (address.version !== 6) return null;
  for (const [network, offset] of Ipv4Carriers) {
    if (networkContains(network, address)) return embeddedIpv4(address, offset);
  }
  return null;
}

/**
 * Classifies an IP address: null when it is globally reachable, otherwise why it must not be fetched. Unparsable
 * text is `reserved`: when in doubt, refuse.
 */
export function classifyAddress(text: string): AddressCategory | null {
  const address = parseIp(text);
  return address ? classifyIp(address) : 'reserved';
}

/** {@link classifyAddress} for a parsed address. */
export function classifyIp(address: IpAddress): AddressCategory | null {
  if (address.version === 4) return match(Ipv4Rules, address);
  const carried = carriedIpv4(address);
  if (carried) return match(Ipv4Rules, carried);
  const category = match(Ipv6Rules, address);
  if (category) return category;
  // Everything outside 2000::/3 is unassigned or special; nothing a music source would be served from.
  return networkContains(GlobalUnicast, address) ? null : 'reserved';
}

const MetadataNames = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data']);
const LocalSuffixes = ['localhost', 'local', 'internal', 'localdomain', 'lan', 'home.arpa', 'intranet', 'corp'];

/**
 * Classifies a host name before it is resolved: cloud metadata names, `localhost`, private-use suffixes (`.local`,
 * `.internal`, `.home.arpa`...) and single-label names, which resolve through the search domains to internal hosts.
 * Null for an ordinary public name. Resolving still decides for those: a public name may point anywhere.
 */
export function classifyHostName(hostname: string): AddressCategory | null {
  const name = normaliseHostName(hostname);
  if (MetadataNames.has(name)) return 'metadata';
  if (!name.includes('.')) return 'local_name';
  if (LocalSuffixes.some((suffix) => name === suffix || name.endsWith(`.${suffix}`))) return 'local_name';
  return null;
}

/** Lower case without the trailing dot of a fully qualified name, so `LOCALHOST.` and `localhost` compare equal. */
export function normaliseHostName(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}

function match(table: readonly Rule[], address: IpAddress): AddressCategory | null {
  for (const [network, category] of table) if (networkContains(network, address)) return category;
  return null;
}
