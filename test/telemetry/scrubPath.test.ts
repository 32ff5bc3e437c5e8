import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scrubPath } from '../../src/telemetry/scrubPath.js';

const Token = 'aW50ZXJhY3Rpb246MTU3MzkwMjQ3NDk2MjY2NTUwMDpzZWNyZXQtdG9rZW4';

describe('scrubPath (what undici spans show of a Discord URL)', () => {
  it('replaces the interaction token of a callback', () => {
    assert.equal(
      scrubPath(`/api/v10/interactions/1573902474962665500/${Token}/callback`),
      '/api/v10/interactions/1573902474962665500/[redacted]/callback',
    );
  });

  it('replaces a webhook token before a sub-path or a query string, and keeps the rest', () => {
    assert.equal(
      scrubPath(`/api/v10/webhooks/1573902474962665501/${Token}/messages/@original`),
      '/api/v10/webhooks/1573902474962665501/[redacted]/messages/@original',
    );
    assert.equal(
      scrubPath(`/api/v10/webhooks/1573902474962665501/${Token}?wait=true`),
      '/api/v10/webhooks/1573902474962665501/[redacted]?wait=true',
    );
    assert.equal(
      scrubPath(`/api/v10/webhooks/1573902474962665501/${Token}`),
      '/api/v10/webhooks/1573902474962665501/[redacted]',
    );
  });

  it('leaves paths without a token as they are', () => {
    for (const path of [
      '/api/v10/channels/1573902473964421121/messages',
      '/api/v10/webhooks/1573902474962665501',
      '/api/v10/webhooks/1573902474962665501/',
      '/api/v10/interactions/not-an-id/token/callback',
      '/v4/sessions/abc/players/1573902473964421120',
    ]) {
      assert.equal(scrubPath(path), path);
    }
  });

  it('never lets the token through, whatever follows it', () => {
    for (const tail of ['', '/', '/callback', '?with_response=true', '/messages/@original?thread_id=1']) {
      const scrubbed = scrubPath(`/api/v10/interactions/1/${Token}${tail}`);
      assert.ok(!scrubbed.includes(Token), scrubbed);
    }
  });
});
