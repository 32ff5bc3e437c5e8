import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { format, inspect } from 'node:util';
import { Secret } from '../../src/config/Secret.js';

describe('Secret', () => {
  const secret = new Secret('s3cr3t');

  it('gives its value back only through reveal()', () => {
    assert.equal(secret.reveal(), 's3cr3t');
  });

  it('shows [redacted] in strings, JSON and inspection', () => {
    assert.equal(`${secret}`, '[redacted]');
    assert.equal(String(secret), '[redacted]');
    assert.equal(JSON.stringify({ secret }), '{"secret":"[redacted]"}');
    assert.equal(inspect(secret), 'Secret([redacted])');
    assert.equal(format('%o %O %s %j', secret, secret, secret, secret).includes('s3cr3t'), false);
  });

  it('exposes no enumerable property holding the value', () => {
    assert.deepEqual(Object.keys(secret), []);
    assert.deepEqual({ ...secret }, {});
  });
});
