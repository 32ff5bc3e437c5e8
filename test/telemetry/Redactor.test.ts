import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redactor } from '../../src/telemetry/Redactor.js';

describe('Redactor', () => {
  it('replaces every occurrence of every known secret', () => {
    const redactor = new Redactor(['MTIzNDU2.secret-token', 'hunter22']);
    assert.equal(
      redactor.scrub('token MTIzNDU2.secret-token and password hunter22 and again hunter22'),
      'token [redacted] and password [redacted] and again [redacted]',
    );
  });

  it('ignores unset and very short values so innocent text survives', () => {
    const redactor = new Redactor([undefined, 'a', '']);
    assert.equal(redactor.active, false);
    assert.equal(redactor.scrub('a cat'), 'a cat');
  });
});
