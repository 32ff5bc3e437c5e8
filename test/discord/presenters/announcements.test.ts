import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { disconnectNotice, trackErrorNotice } from '../../../src/discord/presenters/announcements.js';
import { track } from '../../music/trackFixtures.js';

describe('announcements', () => {
  it('tells the channel when the music node went away', () => {
    assert.match(disconnectNotice('node_lost')?.content ?? '', /music node went away.*Use \/play to start again/);
    assert.match(disconnectNotice('node_lost', true)?.content ?? '', /music node went away.*pick up where I left off/);
    assert.doesNotMatch(disconnectNotice('node_lost', true)?.content ?? '', /\/play/);
  });

  it('explains idle and alone disconnects, and says nothing when a member caused it', () => {
    assert.match(disconnectNotice('idle')?.content ?? '', /nothing was playing/);
    assert.match(disconnectNotice('alone')?.content ?? '', /everyone else left/);
    assert.equal(disconnectNotice('left'), null);
    assert.match(disconnectNotice('disconnected')?.content ?? '', /Someone disconnected me.*Use \/play to start again/);
    assert.equal(disconnectNotice('stopped'), null);
    assert.equal(disconnectNotice('guild_gone'), null);
  });

  it('names the failed track, escaped, without a link that Discord would preview', () => {
    const content = trackErrorNotice(track('a', undefined, { title: '@here _x_' }), 'stuck').content ?? '';
    assert.equal(content, '⚠️ I could not play **@\u200bhere \\_x\\_** (it got stuck), so I moved on.');
  });
});
