import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { templateRoute } from '../../../src/discord/telemetry/templateRoute.js';

describe('templateRoute', () => {
  it('replaces snowflakes with :id and drops the API prefix', () => {
    assert.equal(templateRoute('/api/v10/channels/81384788765712384/messages'), '/channels/:id/messages');
    assert.equal(
      templateRoute('/api/v10/channels/81384788765712384/messages/1234567890123456789'),
      '/channels/:id/messages/:id',
    );
  });

  it('hides interaction and webhook tokens', () => {
    const token = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTpBQkNERUY';
    assert.equal(
      templateRoute(`/api/v10/interactions/1234567890123456789/${token}/callback`),
      '/interactions/:id/:token/callback',
    );
    assert.equal(
      templateRoute(`/api/v10/webhooks/1234567890123456789/${token}/messages/@original`),
      '/webhooks/:id/:token/messages/@original',
    );
  });

  it('reads percent-encoded segments as Discord does', () => {
    assert.equal(
      templateRoute('/api/v10/webhooks/1234567890123456789/tok/messages/%40original'),
      '/webhooks/:id/:token/messages/@original',
    );
  });

  it('keeps fixed segments and drops the query string', () => {
    assert.equal(templateRoute('/api/v10/gateway/bot?x=1'), '/gateway/bot');
    assert.equal(templateRoute('/api/v10/users/@me'), '/users/@me');
  });

  it('never lets free text through as a segment', () => {
    assert.equal(templateRoute('/api/v10/guilds/123456789012345678/emojis/%F0%9F%8E%B5'), '/guilds/:id/emojis/:param');
  });

  it('takes a whole URL as discord.js requests it, and a path that is only the prefix', () => {
    assert.equal(
      templateRoute('https://discord.com/api/v10/interactions/1234567890123456789/tok/callback?with_response=false'),
      '/interactions/:id/:token/callback',
    );
    assert.equal(templateRoute('http://127.0.0.1:40000/api/v10/gateway/bot'), '/gateway/bot');
    assert.equal(templateRoute('/api/v10'), '/');
    assert.equal(templateRoute('/v10/users/@me'), '/users/@me');
  });
});
