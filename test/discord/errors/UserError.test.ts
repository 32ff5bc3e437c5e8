import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserError, UserMessages } from '../../../src/discord/errors/UserError.js';

describe('UserError', () => {
  it('carries its identifier and context, and its message is the friendly text', () => {
    const error = new UserError('voice.not_in_channel', { access: 'request' });
    assert.equal(error.name, 'UserError');
    assert.equal(error.identifier, 'voice.not_in_channel');
    assert.deepEqual(error.context, { access: 'request' });
    assert.equal(error.message, 'Join a voice channel first.');
  });

  it('GIVEN a channel id in the context THEN the join refusals mention that channel', () => {
    assert.match(
      new UserError('voice.join_forbidden', { channel_id: '42' }).message,
      /^I do not have permission to join <#42>\. /,
    );
    assert.match(
      new UserError('voice.channel_full', { channel_id: '42' }).message,
      /^<#42> is full, so I cannot join it\. /,
    );
  });

  it('has a short, sentence-like message for every identifier', () => {
    for (const [identifier, message] of Object.entries(UserMessages)) {
      assert.match(identifier, /^[a-z]+\.[a-z_]+$/, identifier);
      assert.match(message, /^[A-Z<].*\.$/, identifier);
      assert.ok(message.length <= 200, identifier);
    }
  });
});
