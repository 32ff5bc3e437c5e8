import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AccessFacts, accessRefusal } from '../../../src/discord/permissions/accessRules.js';

const base: AccessFacts = {
  memberVoiceChannelId: 'lounge',
  botVoiceChannelId: 'lounge',
  djRoleId: null,
  memberHasDjRole: false,
  memberManagesGuild: false,
  joinBlocker: null,
};
const facts = (overrides: Partial<AccessFacts>): AccessFacts => ({ ...base, ...overrides });

describe('accessRefusal', () => {
  it('GIVEN listen access THEN nothing is required', () => {
    assert.equal(accessRefusal('listen', facts({ memberVoiceChannelId: null, djRoleId: 'dj' })), null);
  });

  describe('request access (/play, /search)', () => {
    it('requires the member to be in a voice channel', () => {
      assert.equal(accessRefusal('request', facts({ memberVoiceChannelId: null })), 'voice.not_in_channel');
      assert.equal(
        accessRefusal('request', facts({ memberVoiceChannelId: null, botVoiceChannelId: null })),
        'voice.not_in_channel',
      );
    });

    it('lets the member start the bot in their channel when it is not connected', () => {
      assert.equal(accessRefusal('request', facts({ botVoiceChannelId: null })), null);
    });

    it('requires the bot’s channel once it is connected', () => {
      assert.equal(accessRefusal('request', facts({ memberVoiceChannelId: 'music' })), 'voice.different_channel');
    });

    it('never requires the DJ role', () => {
      assert.equal(accessRefusal('request', facts({ djRoleId: 'dj' })), null);
    });

    it('GIVEN the bot is not connected THEN refuses a channel it may not join, saying why', () => {
      const notConnected = { botVoiceChannelId: null };
      assert.equal(
        accessRefusal('request', facts({ ...notConnected, joinBlocker: 'forbidden' })),
        'voice.join_forbidden',
      );
      assert.equal(accessRefusal('request', facts({ ...notConnected, joinBlocker: 'full' })), 'voice.channel_full');
    });

    it('GIVEN the bot is connected THEN the join rules do not apply: it joins nothing', () => {
      assert.equal(accessRefusal('request', facts({ joinBlocker: 'full' })), null);
      assert.equal(
        accessRefusal('request', facts({ memberVoiceChannelId: 'music', joinBlocker: 'forbidden' })),
        'voice.different_channel',
      );
    });
  });

  describe('control access (every command that changes playback)', () => {
    it('GIVEN no DJ role THEN anyone in the bot’s channel may control', () => {
      assert.equal(accessRefusal('control', base), null);
    });

    it('refuses members outside the bot’s channel', () => {
      assert.equal(accessRefusal('control', facts({ memberVoiceChannelId: null })), 'voice.not_in_channel');
      assert.equal(accessRefusal('control', facts({ memberVoiceChannelId: 'music' })), 'voice.different_channel');
    });

    it('never asks whether the bot could join: control joins nothing', () => {
      assert.equal(accessRefusal('control', facts({ botVoiceChannelId: null, joinBlocker: 'forbidden' })), null);
    });

    it('leaves a bot that is not connected to the service, which says nothing is playing', () => {
      assert.equal(accessRefusal('control', facts({ botVoiceChannelId: null, memberVoiceChannelId: null })), null);
    });

    it('GIVEN a DJ role THEN members without it are refused, even in the bot’s channel', () => {
      assert.equal(accessRefusal('control', facts({ djRoleId: 'dj' })), 'permission.dj_required');
    });

    it('GIVEN a DJ role THEN its holders and guild managers may control', () => {
      assert.equal(accessRefusal('control', facts({ djRoleId: 'dj', memberHasDjRole: true })), null);
      assert.equal(accessRefusal('control', facts({ djRoleId: 'dj', memberManagesGuild: true })), null);
    });

    it('GIVEN a DJ role THEN a DJ still has to share the bot’s channel', () => {
      assert.equal(
        accessRefusal('control', facts({ djRoleId: 'dj', memberHasDjRole: true, memberVoiceChannelId: 'music' })),
        'voice.different_channel',
      );
    });
  });
});
