import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHealthRoute } from '../../src/health/parseHealthRoute.js';

describe('parseHealthRoute', () => {
  it('recognises the endpoints, their single-check forms and the verbose flag', () => {
    assert.deepEqual(parseHealthRoute('/readyz?verbose'), { endpoint: 'readyz', path: '/readyz', verbose: true });
    assert.deepEqual(parseHealthRoute('/livez/'), { endpoint: 'livez', path: '/livez', verbose: false });
    assert.deepEqual(parseHealthRoute('/readyz/lavalink%2Dmain'), {
      endpoint: 'readyz',
      path: '/readyz/lavalink-main',
      check: 'lavalink-main',
      verbose: false,
    });
    assert.deepEqual(parseHealthRoute('/healthz?verbose'), { endpoint: 'healthz', path: '/healthz' });
  });

  it('rejects everything else', () => {
    for (const target of ['/', '/readyz/a/b', '/healthz/db', '/readyz/%E0%A4%A', '/READYZ', '//readyz']) {
      assert.equal(parseHealthRoute(target), undefined, target);
    }
  });
});
