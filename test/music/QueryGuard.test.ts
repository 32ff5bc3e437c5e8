import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HostAllowList } from '../../src/music/HostAllowList.js';
import { HostResolutionError } from '../../src/music/HostResolutionError.js';
import { MusicError } from '../../src/music/MusicError.js';
import {
  type HostResolver,
  lavalinkIdentifier,
  type QueryGuardOptions,
  validateQuery,
} from '../../src/music/QueryGuard.js';

/** A resolver answering from a table; unknown names fail as getaddrinfo does. Records what it was asked. */
function fakeResolver(table: Record<string, string[]>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address }));
  };
  return Object.assign(resolve, { asked });
}

const dns = fakeResolver({
  'www.youtube.com': ['142.250.74.110', '2a00:1450:4001:80e::200e'],
  'soundcloud.com': ['18.238.96.8'],
  'rebind.example.com': ['93.184.216.34', '127.0.0.1'],
  'intranet.example.com': ['10.0.0.7'],
  'metadata.example.com': ['169.254.169.254'],
  'v6.example.com': ['fd00:ec2::254'],
  'mapped.example.com': ['::ffff:192.168.0.1'],
  '127.0.0.1.nip.io': ['127.0.0.1'],
  'media.corp.example': ['10.9.9.9'],
  'empty.example.com': [],
  'odd.example.com': ['not-an-ip'],
});
const options: QueryGuardOptions = { resolve: dns };

async function refusal(raw: string, opts: QueryGuardOptions = options): Promise<MusicError> {
  try {
    await validateQuery(raw, opts);
  } catch (error) {
    assert.ok(error instanceof MusicError, `expected a MusicError, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(raw)} to be refused`);
}

describe('validateQuery: search text', () => {
  it('accepts plain text, trimmed', async () => {
    assert.deepEqual(await validateQuery('  daft punk   around the world ', options), {
      kind: 'search',
      text: 'daft punk   around the world',
    });
  });

  it('keeps text that merely contains a colon a search, not a scheme', async () => {
    for (const text of ['Re:Zero opening', 'Artist: Song', 'ytsearch:lofi', 'time 12:30 remix']) {
      assert.equal((await validateQuery(text, options)).kind, 'search', text);
    }
  });

  it('keeps emoji sequences (zero-width joiners) and right-to-left text', async () => {
    for (const text of ['👨‍👩‍👧 family song', 'فيروز', 'שיר']) {
      assert.equal((await validateQuery(text, options)).kind, 'search', text);
    }
  });

  it('refuses empty input', async () => {
    assert.equal((await refusal('   ')).identifier, 'query.empty');
    assert.equal((await refusal('<>')).identifier, 'query.empty');
  });

  it('refuses absurd lengths, with the limit for the reply', async () => {
    const error = await refusal('a'.repeat(501));
    assert.equal(error.identifier, 'query.too_long');
    assert.equal(error.context.limit, 500);
    assert.equal((await validateQuery('a'.repeat(500), options)).kind, 'search');
    assert.equal((await refusal('abcdef', { ...options, maxLength: 5 })).identifier, 'query.too_long');
  });

  it('refuses control characters, line separators, bidi overrides and broken surrogates', async () => {
    for (const text of [
      'a\u0000b',
      'line\nbreak',
      'tab\tbed',
      'del\u007f',
      'c1\u0085',
      'ls\u2028x',
      'rlo\u202Egnp.exe',
      'iso\u2066x',
      'bad\uD800',
    ]) {
      assert.equal((await refusal(text)).identifier, 'query.control_characters', JSON.stringify(text));
    }
  });
});

describe('validateQuery: schemes', () => {
  it('refuses every scheme but http and https', async () => {
    for (const text of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,<b>x</b>',
      'ftp://example.com/song.mp3',
      'gopher://example.com:70/',
      'local:/home/lavalink/secret.mp3',
      'custom+scheme://whatever',
      'ws://example.com/socket',
    ]) {
      assert.equal((await refusal(text)).identifier, 'query.scheme_not_allowed', text);
    }
  });

  it('refuses a scheme hidden behind control characters rather than reading past them', async () => {
    assert.equal((await refusal('java\tscript:alert(1)')).identifier, 'query.control_characters');
  });
});

describe('validateQuery: URLs', () => {
  it('accepts an http(s) URL whose host resolves only to public addresses, in normalised form', async () => {
    assert.deepEqual(await validateQuery('https://WWW.YouTube.com/watch?v=dQw4w9WgXcQ', options), {
      kind: 'url',
      url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    });
    assert.deepEqual(await validateQuery('<https://soundcloud.com/a/b>', options), {
      kind: 'url',
      url: 'https://soundcloud.com/a/b',
    });
  });

  it('refuses URLs with credentials', async () => {
    assert.equal((await refusal('https://user:pass@soundcloud.com/x')).identifier, 'query.url_credentials');
    assert.equal((await refusal('https://user@soundcloud.com/x')).identifier, 'query.url_credentials');
    // Other parsers read "example.com:80" as host and port; WHATWG reads credentials. Either way: refused.
    assert.equal((await refusal('http://example.com:80@127.0.0.1/')).identifier, 'query.url_credentials');
  });

  it('refuses what the URL parser cannot parse', async () => {
    assert.equal((await refusal('https://exa mple.com/')).identifier, 'query.invalid');
    assert.equal((await refusal('http://[::1/')).identifier, 'query.invalid');
  });

  it('refuses a host that resolves to a private, loopback or metadata address, saying which', async () => {
    const cases: [string, string][] = [
      ['http://intranet.example.com/a.mp3', 'private'],
      ['http://metadata.example.com/latest/meta-data/', 'metadata'],
      ['http://v6.example.com/', 'metadata'],
      ['http://mapped.example.com/', 'private'],
      ['http://127.0.0.1.nip.io/', 'loopback'],
    ];
    for (const [url, reason] of cases) {
      const error = await refusal(url);
      assert.equal(error.identifier, 'query.url_not_allowed', url);
      assert.equal(error.context.reason, reason, url);
    }
  });

  it('refuses a host with one private address among public ones (a rebinding setup)', async () => {
    const error = await refusal('https://rebind.example.com/song');
    assert.equal(error.context.reason, 'loopback');
    assert.equal(error.context.address, '127.0.0.1');
  });

  it('refuses an answer that is not an address at all', async () => {
    assert.equal((await refusal('https://odd.example.com/')).context.reason, 'reserved');
  });

  it('refuses metadata and local names without asking the resolver', async () => {
    const before = dns.asked.length;
    for (const url of [
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://localhost:2333/',
      'http://redis:6379/',
      'http://LOCALHOST./',
      'https://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/', // IDNA maps the circled letters to plain ones
      'http://localhost%2e/',
    ]) {
      assert.equal((await refusal(url)).identifier, 'query.url_not_allowed', url);
    }
    assert.equal(dns.asked.length, before);
  });

  it('refuses literal addresses in every notation, without resolving', async () => {
    const before = dns.asked.length;
    const cases: [string, string][] = [
      ['http://127.0.0.1/', 'loopback'],
      ['http://2130706433/', 'loopback'], // decimal
      ['http://0177.0.0.1/', 'loopback'], // octal
      ['http://0x7f.1/', 'loopback'], // hex, short form
      ['http://0x7f000001/', 'loopback'],
      ['http://127.1/', 'loopback'],
      ['http://127.0.0.1./', 'loopback'], // trailing dot
      ['http://127.000.000.001/', 'loopback'],
      ['http://%31%32%37.0.0.1/', 'loopback'], // percent-encoded
      ['http://１２７.０.０.１/', 'loopback'], // full-width digits
      ['http://[::1]:2333/', 'loopback'],
      ['http://[0:0:0:0:0:0:0:1]/', 'loopback'],
      ['http://[::ffff:127.0.0.1]/', 'loopback'],
      ['http://[::ffff:7f00:1]/', 'loopback'],
      ['http://0.0.0.0:2333/', 'unspecified'],
      ['http://0/', 'unspecified'],
      ['http://[::]/', 'unspecified'],
      ['http://10.0.0.1/', 'private'],
      ['http://172.16.5.4/', 'private'],
      ['http://192.168.1.1/', 'private'],
      ['http://[fc00::1]/', 'private'],
      ['http://[fe80::1]/', 'link_local'],
      ['http://169.254.10.10/', 'link_local'],
      ['http://100.64.0.1/', 'cgnat'],
      ['http://224.0.0.251/', 'multicast'],
      ['http://[ff02::1]/', 'multicast'],
      ['http://169.254.169.254/latest/meta-data/', 'metadata'],
      ['http://2852039166/latest/meta-data/', 'metadata'], // 169.254.169.254 as a decimal number
      ['http://[fd00:ec2::254]/', 'metadata'],
      ['http://[::ffff:169.254.169.254]/', 'metadata'],
      ['http://[::ffff:a9fe:a9fe]/', 'metadata'],
    ];
    for (const [url, reason] of cases) {
      const error = await refusal(url);
      assert.equal(error.identifier, 'query.url_not_allowed', url);
      assert.equal(error.context.reason, reason, url);
    }
    assert.equal(dns.asked.length, before);
  });

  it('checks the host the URL parser sees, and hands that normalised URL on', async () => {
    // WHATWG reads the backslash as a path separator: the host is evil.example, and the href says so unambiguously.
    const resolver = fakeResolver({ 'evil.example': ['93.184.216.34'] });
    const result = await validateQuery('http://evil.example\\@127.0.0.1/', { resolve: resolver });
    assert.deepEqual(result, { kind: 'url', url: 'http://evil.example/@127.0.0.1/' });
  });

  it('accepts a public literal address', async () => {
    assert.equal((await validateQuery('http://93.184.216.34/a.mp3', options)).kind, 'url');
    assert.equal((await validateQuery('http://[2606:4700::1]/a.mp3', options)).kind, 'url');
  });

  it('says the host is unknown when the name does not resolve, or resolves to nothing', async () => {
    assert.equal((await refusal('https://no-such-host.example/')).identifier, 'query.host_unknown');
    assert.equal((await refusal('https://empty.example.com/')).identifier, 'query.host_unknown');
  });

  it("treats a failing resolver as an infrastructure error, not the user's fault", async () => {
    const failing: HostResolver = async () => {
      throw Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' });
    };
    await assert.rejects(validateQuery('https://soundcloud.com/x', { resolve: failing }), (error: unknown) => {
      assert.ok(error instanceof HostResolutionError);
      assert.equal(error.code, 'EAI_AGAIN');
      assert.equal(error.hostname, 'soundcloud.com');
      assert.ok(error.cause instanceof Error);
      return true;
    });
  });

  it('gives up on a resolver that never answers after the timeout', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const hanging: HostResolver = () =>
      new Promise(() => {
        // never settles, like a resolver whose server dropped the query
      });
    let settled = false;
    const pending = validateQuery('https://soundcloud.com/x', { resolve: hanging, resolveTimeoutMs: 1_000 }).finally(
      () => {
        settled = true;
      },
    );
    t.mock.timers.tick(999);
    await new Promise(setImmediate);
    assert.equal(settled, false);
    t.mock.timers.tick(1);
    await assert.rejects(
      pending,
      (error: unknown) => error instanceof HostResolutionError && error.code === 'ETIMEOUT',
    );
  });
});

describe('validateQuery: the allow-list', () => {
  it('lets an allowed host through without resolving it', async () => {
    const resolver = fakeResolver({});
    const allowed = await validateQuery('http://localhost:8000/test.mp3', { resolve: resolver, allow: ['localhost'] });
    assert.deepEqual(allowed, { kind: 'url', url: 'http://localhost:8000/test.mp3' });
    assert.deepEqual(resolver.asked, []);
  });

  it('lets addresses in an allowed network through, literal or resolved', async () => {
    const allow = HostAllowList.parse(['10.0.0.0/8', '127.0.0.1']);
    assert.equal((await validateQuery('http://10.2.3.4/a.mp3', { ...options, allow })).kind, 'url');
    assert.equal((await validateQuery('http://2130706433/a.mp3', { ...options, allow })).kind, 'url');
    assert.equal((await validateQuery('http://intranet.example.com/a.mp3', { ...options, allow })).kind, 'url');
    assert.equal((await validateQuery('http://[::ffff:10.0.0.1]/a.mp3', { ...options, allow })).kind, 'url');
  });

  it('allows only what it lists', async () => {
    const allow = ['10.0.0.0/8', 'media.corp.example'];
    assert.equal((await validateQuery('http://media.corp.example/', { ...options, allow })).kind, 'url');
    assert.equal((await refusal('http://192.168.0.1/', { ...options, allow })).context.reason, 'private');
    assert.equal((await refusal('http://metadata.example.com/', { ...options, allow })).context.reason, 'metadata');
  });

  it('never lifts the scheme, credential or character rules', async () => {
    const allow = ['localhost', '127.0.0.0/8'];
    assert.equal(
      (await refusal('file://localhost/etc/passwd', { ...options, allow })).identifier,
      'query.scheme_not_allowed',
    );
    assert.equal((await refusal('http://a:b@localhost/', { ...options, allow })).identifier, 'query.url_credentials');
    assert.equal(
      (await refusal('http://localhost/\u0000', { ...options, allow })).identifier,
      'query.control_characters',
    );
  });
});

describe('lavalinkIdentifier', () => {
  it('prefixes search text, so typed text can never select another Lavalink source', async () => {
    assert.equal(lavalinkIdentifier(await validateQuery('/etc/passwd', options)), 'ytsearch:/etc/passwd');
    assert.equal(lavalinkIdentifier(await validateQuery('scsearch:x', options)), 'ytsearch:scsearch:x');
    assert.equal(lavalinkIdentifier(await validateQuery('lofi', options), 'scsearch'), 'scsearch:lofi');
  });

  it('passes a checked URL through as it is', async () => {
    const query = await validateQuery('https://soundcloud.com/a/b', options);
    assert.equal(lavalinkIdentifier(query), 'https://soundcloud.com/a/b');
  });

  it('refuses a search prefix that is not one', async () => {
    const query = await validateQuery('lofi', options);
    assert.throws(() => lavalinkIdentifier(query, 'http://x'), RangeError);
  });
});
