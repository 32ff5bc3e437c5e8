import { lookup } from 'node:dns/promises';
import { withTimeout } from '../util/withTimeout.js';
import { classifyHostName, classifyIp } from './AddressPolicy.js';
import { HostAllowList } from './HostAllowList.js';
import { HostResolutionError } from './HostResolutionError.js';
import { parseIp } from './IpAddress.js';
import { MusicError } from './MusicError.js';

declare const checked: unique symbol;

/**
 * A `/play` query that passed {@link validateQuery}: search text, or an http(s) URL whose host resolved only to
 * public addresses (or is allowed by config). The brand exists only in the type system; it makes the Lavalink gateway
 * unable to receive raw user text by mistake.
 */
export type ValidatedQuery = (
  | { readonly kind: 'search'; readonly text: string }
  | { readonly kind: 'url'; readonly url: string }
) & { readonly [checked]: true };

/** Resolves a host name to all its addresses; `dns.lookup` in production, a fake in tests. */
export type HostResolver = (hostname: string) => Promise<readonly { readonly address: string }[]>;

/**
 * The system resolver: `getaddrinfo`, the same path most HTTP clients take, with every address returned so that one
 * private address among public ones is not missed.
 */
export const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** How {@link validateQuery} judges queries. */
export interface QueryGuardOptions {
  /** Longest accepted query in UTF-16 code units, after trimming. */
  readonly maxLength?: number;
  /** Hosts, addresses and networks the address policy lets through (config `music.allow`). */
  readonly allow?: HostAllowList | readonly string[];
  readonly resolve?: HostResolver;
  /** How long a resolution may take before the query fails as an infrastructure error. */
  readonly resolveTimeoutMs?: number;
}

/** Defaults of {@link QueryGuardOptions}. */
export const DefaultQueryGuardOptions = Object.freeze({
  maxLength: 500,
  resolveTimeoutMs: 3_000,
}) satisfies QueryGuardOptions;

// C0, DEL and C1 controls, line and paragraph separators, and the bidi embeddings, overrides and isolates that make a
// reply display something other than what was sent. Joiners stay: emoji sequences need them.
const ForbiddenCharacters = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

// Schemes refused even without `//`. Others are refused only as `scheme://...`, so "Re:Zero" stays a search.
const ForbiddenSchemes = new Set([
  'about',
  'blob',
  'data',
  'dict',
  'file',
  'filesystem',
  'ftp',
  'gopher',
  'jar',
  'javascript',
  'ldap',
  'local',
  'mailto',
  'sftp',
  'smb',
  'ssh',
  'tel',
  'telnet',
  'tftp',
  'vbscript',
  'view-source',
  'ws',
  'wss',
]);

// Answers meaning "this name does not exist" rather than "the resolver failed".
const NotFoundCodes = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA', 'NXDOMAIN']);

/**
 * Checks raw `/play` input and says what it is. Refusals are {@link MusicError}s (`query.empty`, `query.too_long`,
 * `query.control_characters`, `query.invalid`, `query.scheme_not_allowed`, `query.url_credentials`,
 * `query.url_not_allowed`, `query.host_unknown`); a resolver that cannot answer throws {@link HostResolutionError}.
 *
 * A URL is returned in its normalised form (the WHATWG parser's `href`): Lavalink must fetch exactly the host that was
 * checked, not reinterpret `0x7f.1` or `a\@b` its own way. What this cannot stop: a host that resolves differently for
 * Lavalink (DNS rebinding) or redirects to a private address; Lavalink's own egress rules must cover those.
 */
export async function validateQuery(raw: string, options: QueryGuardOptions = {}): Promise<ValidatedQuery> {
  const text = checkText(raw, options.maxLength ?? DefaultQueryGuardOptions.maxLength);
  const scheme = /^([a-z][a-z0-9+.-]{0,31}):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return checkUrl(text, options);
  if (scheme && (text.startsWith('//', scheme.length + 1) || ForbiddenSchemes.has(scheme))) {
    throw new MusicError('query.scheme_not_allowed', { scheme });
  }
  return { kind: 'search', text: text.normalize('NFC') } as ValidatedQuery;
}

/**
 * The identifier Lavalink's `/v4/loadtracks` gets. Search text always carries a search prefix, so nothing a member
 * types (`local:/etc/passwd`, a bare path) can select a source other than the search.
 */
export function lavalinkIdentifier(query: ValidatedQuery, searchPrefix = 'ytsearch'): string {
  if (!/^[a-z]{2,16}search$/.test(searchPrefix)) throw new RangeError(`not a Lavalink search prefix: ${searchPrefix}`);
  return query.kind === 'url' ? query.url : `${searchPrefix}:${query.text}`;
}

function checkText(raw: string, maxLength: number): string {
  let text = raw.trim();
  // `<https://...>` is Discord's way of pasting a link without an embed.
  if (text.startsWith('<') && text.endsWith('>')) text = text.slice(1, -1).trim();
  if (text.length === 0) throw new MusicError('query.empty');
  if (text.length > maxLength) throw new MusicError('query.too_long', { limit: maxLength, length: text.length });
  if (!text.isWellFormed() || ForbiddenCharacters.test(text)) throw new MusicError('query.control_characters');
  return text;
}

async function checkUrl(text: string, options: QueryGuardOptions): Promise<ValidatedQuery> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new MusicError('query.invalid');
  }
  if (url.username !== '' || url.password !== '') throw new MusicError('query.url_credentials');
  const host = url.hostname;
  if (host === '') throw new MusicError('query.invalid');
  const accepted = { kind: 'url', url: url.href } as ValidatedQuery;

  const allow = options.allow instanceof HostAllowList ? options.allow : HostAllowList.parse(options.allow ?? []);
  if (allow.allowsHost(host)) return accepted;

  // The URL parser has already turned decimal, octal and hex IPv4 notations into dotted-decimal.
  const literal = parseIp(host);
  if (literal) {
    const category = classifyIp(literal);
    if (category && !allow.allowsAddress(host)) {
      throw new MusicError('query.url_not_allowed', { reason: category, host });
    }
    return accepted;
  }

  const nameCategory = classifyHostName(host);
  if (nameCategory) throw new MusicError('query.url_not_allowed', { reason: nameCategory, host });

  const addresses = await resolveHost(
    host,
    options.resolve ?? systemResolver,
    options.resolveTimeoutMs ?? DefaultQueryGuardOptions.resolveTimeoutMs,
  );
  for (const { address } of addresses) {
    const parsed = parseIp(address);
    // An answer that is not an address at all is refused like a reserved one: when in doubt, do not fetch.
    const category = parsed ? classifyIp(parsed) : 'reserved';
    if (category && !allow.allowsAddress(address)) {
      throw new MusicError('query.url_not_allowed', { reason: category, host, address });
    }
  }
  return accepted;
}

async function resolveHost(
  host: string,
  resolve: HostResolver,
  timeoutMs: number,
): Promise<readonly { readonly address: string }[]> {
  try {
    const addresses = await withTimeout(resolve(host), timeoutMs, () => new HostResolutionError(host, 'ETIMEOUT'));
    if (addresses.length === 0) throw new MusicError('query.host_unknown', { host });
    return addresses;
  } catch (error) {
    if (error instanceof MusicError || error instanceof HostResolutionError) throw error;
    const code = errorCode(error);
    if (NotFoundCodes.has(code)) throw new MusicError('query.host_unknown', { host });
    throw new HostResolutionError(host, code, { cause: error });
  }
}

function errorCode(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return 'unknown';
}
