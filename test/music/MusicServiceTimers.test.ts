import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { InMemoryTelemetry } from '../support/InMemoryTelemetry.js';
import {
  createHarness,
  ended,
  GuildId,
  type Harness,
  playRequest,
  searchable,
  settle,
  started,
  TextChannelId,
  VoiceChannelId,
} from './musicServiceHarness.js';

const telemetry = new InMemoryTelemetry();
const IdleMs = 300_000;
const AloneMs = 60_000;

/**
 * Reads the `idle_disconnect` count. The metrics SDK waits on real timers while collecting, so the fake clock is
 * switched off meanwhile; that drops pending fake timers, hence reads happen before the countdowns start or at the end.
 */
async function idleDisconnects(outcome: string): Promise<number> {
  mock.timers.reset();
  try {
    return await telemetry.total('metronome.automation.actions', { action: 'idle_disconnect', outcome });
  } finally {
    mock.timers.enable({ apis: ['setTimeout'] });
  }
}

/** A harness whose guild has played one track to the end: the queue has just run out. */
async function queueRanOut(): Promise<Harness> {
  const h = createHarness({ idleTimeoutMs: IdleMs, aloneTimeoutMs: AloneMs });
  searchable(h.gateway, 'song');
  await h.service.play(playRequest('song'));
  started(h.player());
  ended(h.player());
  await settle();
  return h;
}

function disconnects(h: Harness): string[] {
  return h.events.flatMap((e) => (e.name === 'disconnected' ? [e.reason] : []));
}

/** Advances the fake clock, then lets the disconnect's promise callbacks run. */
async function wait(ms: number): Promise<void> {
  mock.timers.tick(ms);
  await settle();
}

describe('MusicService: idle and alone disconnects', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('GIVEN the queue ran out WHEN the idle timeout passes THEN the bot leaves, says so, and counts it', async () => {
    const before = await idleDisconnects('idle');
    await using h = await queueRanOut();
    const player = h.player();

    await wait(IdleMs - 1);
    assert.equal(player.destroyed, false);
    await wait(1);

    assert.equal(player.destroyed, true);
    assert.deepEqual(h.events.at(-1), {
      name: 'disconnected',
      guildId: GuildId,
      textChannelId: TextChannelId,
      reason: 'idle',
    });
    assert.equal(h.service.voiceChannelOf(GuildId), undefined);
    assert.equal(await idleDisconnects('idle'), before + 1);
  });

  it('GIVEN /stop THEN the idle countdown starts', async () => {
    await using h = createHarness({ idleTimeoutMs: IdleMs });
    searchable(h.gateway, 'song');
    await h.service.play(playRequest('song'));
    await h.service.stop(GuildId);
    await wait(IdleMs);
    assert.deepEqual(disconnects(h), ['idle']);
  });

  it('GIVEN a new track before the timeout THEN the countdown is cancelled', async () => {
    await using h = await queueRanOut();
    searchable(h.gateway, 'again');
    await wait(IdleMs / 2);
    await h.service.play(playRequest('again'));
    await wait(IdleMs);
    assert.deepEqual(disconnects(h), []);
  });

  it('GIVEN the player refuses to start a track THEN the idle countdown still runs', async () => {
    await using h = createHarness({ idleTimeoutMs: IdleMs });
    searchable(h.gateway, 'song');
    searchable(h.gateway, 'again');
    await h.service.play(playRequest('song'));
    await h.service.stop(GuildId);
    await wait(IdleMs / 2);
    h.player().play = async () => {
      throw new Error('node unavailable');
    };
    await assert.rejects(h.service.play(playRequest('again')));
    await wait(IdleMs / 2);
    assert.deepEqual(disconnects(h), [], 'the failed attempt restarted the countdown');
    await wait(IdleMs / 2);
    assert.deepEqual(disconnects(h), ['idle']);
  });

  it('GIVEN 24/7 THEN the bot stays when idle, and turning it off starts the countdown afresh', async () => {
    await using h = await queueRanOut();
    h.service.setAlwaysOn(GuildId, true);
    await wait(IdleMs * 3);
    assert.deepEqual(disconnects(h), []);

    h.service.setAlwaysOn(GuildId, false);
    await wait(IdleMs - 1);
    assert.deepEqual(disconnects(h), []);
    await wait(1);
    assert.deepEqual(disconnects(h), ['idle']);
  });

  it('GIVEN everyone left the channel WHEN the alone timeout passes THEN the bot leaves even while playing', async () => {
    const before = await idleDisconnects('alone');
    await using h = createHarness({ aloneTimeoutMs: AloneMs });
    searchable(h.gateway, 'song');
    await h.service.play(playRequest('song'));

    h.service.membersChanged(GuildId, VoiceChannelId, 0);
    await wait(AloneMs / 2);
    h.service.membersChanged(GuildId, VoiceChannelId, 0);
    await wait(AloneMs / 2);

    assert.deepEqual(disconnects(h), ['alone'], 'a repeated "still alone" does not postpone leaving');
    assert.equal(await idleDisconnects('alone'), before + 1);
  });

  it('GIVEN someone comes back before the timeout THEN the bot stays', async () => {
    await using h = createHarness({ aloneTimeoutMs: AloneMs });
    searchable(h.gateway, 'song');
    await h.service.play(playRequest('song'));
    h.service.membersChanged(GuildId, VoiceChannelId, 0);
    await wait(AloneMs - 1);
    h.service.membersChanged(GuildId, VoiceChannelId, 2);
    await wait(AloneMs * 2);
    assert.deepEqual(disconnects(h), []);
  });

  it('ignores member changes in other channels, and 24/7 prevents the alone disconnect', async () => {
    await using h = createHarness({ aloneTimeoutMs: AloneMs });
    searchable(h.gateway, 'song');
    await h.service.play(playRequest('song'));
    h.service.membersChanged(GuildId, 'another-channel', 0);
    await wait(AloneMs);
    assert.deepEqual(disconnects(h), []);

    h.service.setAlwaysOn(GuildId, true);
    h.service.membersChanged(GuildId, VoiceChannelId, 0);
    await wait(AloneMs * 2);
    assert.deepEqual(disconnects(h), []);
  });

  it('GIVEN the bot was moved WHEN nobody listens in its new channel THEN the alone countdown runs there', async () => {
    await using h = createHarness({ aloneTimeoutMs: AloneMs });
    searchable(h.gateway, 'song');
    await h.service.play(playRequest('song'));
    await h.service.botVoiceChanged(GuildId, 'moved-to');
    h.service.membersChanged(GuildId, VoiceChannelId, 0);
    await wait(AloneMs);
    assert.deepEqual(disconnects(h), [], 'the channel it was moved out of no longer counts');

    h.service.membersChanged(GuildId, 'moved-to', 0);
    await wait(AloneMs);
    assert.deepEqual(disconnects(h), ['alone']);
  });

  it('GIVEN the bot was disconnected by someone THEN no countdown is left to fire, even if destroying fails', async () => {
    await using h = await queueRanOut();
    h.player().destroy = async () => {
      throw new Error('node gone');
    };
    await h.service.botVoiceChanged(GuildId, null);
    await wait(IdleMs * 2);
    assert.deepEqual(disconnects(h), ['disconnected']);
    assert.deepEqual(h.service.snapshots(), []);
  });

  it('close stops the countdowns without destroying players', async () => {
    const h = await queueRanOut();
    await h.service.close();
    await wait(IdleMs * 2);
    assert.equal(h.player().destroyed, false);
    assert.deepEqual(disconnects(h), []);
    assert.equal(h.service.snapshots().length, 1, 'queues stay readable for persistence');
  });

  it('GIVEN destroying the player fails THEN the bot still forgets the guild and announces the disconnect', async () => {
    await using h = await queueRanOut();
    h.player().destroy = async () => {
      throw new Error('node gone');
    };
    await wait(IdleMs);
    assert.deepEqual(disconnects(h), ['idle']);
    assert.deepEqual(h.service.snapshots(), []);
  });
});
