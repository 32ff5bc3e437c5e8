import { domainToASCII } from 'node:url';
import { carriedIpv4, normaliseHostName } from './AddressPolicy.js';
import { type IpNetwork, networkContains, parseIp, parseNetwork } from './IpAddress.js';

/**
 * The operator's exceptions to the address policy (config `music.allow`): host names (`media.example.org`), wildcard
 * suffixes (`*.example.org`, subdomains only), single addresses (`10.0.0.5`, `::1`) and networks (`10.1.0.0/16`,
 * `fd00::/8`). An allowed name is trusted whatever it resolves to; an allowed network lets its addresses through,
 * however the name that led to them was spelt.
 */
export class HostAllowList {
  /** Allows nothing: the policy applies in full. */
  static readonly Empty = new HostAllowList([], [], []);

  readonly #names: readonly string[];
  readonly #suffixes: readonly string[];
  readonly #networks: readonly IpNetwork[];

  private constructor(names: readonly string[], suffixes: readonly string[], networks: readonly IpNetwork[]) {
    this.#names = names;
    this.#suffixes = suffixes;
    this.#networks = networks;
  }

  /**
   * Parses config entries. A malformed entry is a configuration mistake that would otherwise silently allow
   * nothing, so it throws a `RangeError` naming the entry.
   */
  static parse(entries: readonly string[]): HostAllowList {
    const names: string[] = [];
    const suffixes: string[] = [];
    const networks: IpNetwork[] = [];
    for (const raw of entries) {
      const entry = raw.trim();
      if (/[/:]/.test(entry) || parseIp(entry)) {
        const network = parseNetwork(entry.replace(/^\[(.*)\]$/, '$1'));
        if (!network) throw new RangeError(`music allow-list entry "${raw}" is not a valid address or network`);
        networks.push(network);
      } else if (entry.startsWith('*.')) {
        suffixes.push(`.${hostName(entry.slice(2), raw)}`);
      } else {
        names.push(hostName(entry, raw));
      }
    }
    return new HostAllowList(names, suffixes, networks);
  }

  /** Whether the list allows nothing. */
  get isEmpty(): boolean {
    return this.#names.length + this.#suffixes.length + this.#networks.length === 0;
  }

  /** Whether the host name (as the URL parser gives it: lower case, punycode) is allowed by name. */
  allowsHost(hostname: string): boolean {
    const name = normaliseHostName(hostname);
    return this.#names.includes(name) || this.#suffixes.some((suffix) => name.endsWith(suffix));
  }

  /** Whether an allowed network holds the address, or the IPv4 address it carries (`::ffff:10.0.0.5`). */
  allowsAddress(text: string): boolean {
    const address = parseIp(text);
    if (!address) return false;
    const carried = carriedIpv4(address);
    return this.#networks.some(
      (network) => networkContains(network, address) || (carried !== null && networkContains(network, carried)),
    );
  }
}

function hostName(text: string, raw: string): string {
  const ascii = domainToASCII(text);
  if (!ascii || !/^[a-z0-9.-]+$/.test(ascii)) {
    throw new RangeError(`music allow-list entry "${raw}" is not a valid host name`);
  }
  return normaliseHostName(ascii);
}
