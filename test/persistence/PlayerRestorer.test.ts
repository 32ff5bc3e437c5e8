import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import type { StoredQueueSnapshot } from '../../src/db/repositories/QueueSnapshotRepository.js';
import type { GuildQueueSnapshot } from '../../src/music/GuildQueueSnapshot.js';
import type { RestoreOutcome, RestorePlace } from '../../src/music/MusicService.js';
import type { Track } from '../../src/music/Track.js';
import {
  type GuildPresence,
  PlayerRestorer,
  type RestoreDiscord,
  type RestoreFailure,
} from '../../src/persistence/PlayerRestorer.js';
import { globalInstruments } from '../../src/telemetry/Instruments.js';
import { track } from '../music/trackFixtures.js';
import { InMemoryTelemetry } from '../support/InMemoryTelemetry.js';

const telemetry = new InMemoryTelemetry();
const logger = pino({ level: 'silent' });

const Voice = '400000000000000001';
const Text = '500000000000000001';

function snapshot(guildId: string, overrides: Partial<GuildQueueSnapshot> = {}): GuildQueueSnapshot {
  return {
    version: 1,
    guildId,
    current: track('now'),
    positionMs: 1_000,
    upcoming: [],
    history: [],
    loop: 'off',
    volume: 100,
    filter: 'off',
    paused: false,
    alwaysOn: false,
    voiceChannelId: Voice,
    textChannelId: Text,
    ...overrides,
  };
}

function row(guildId: string, value: unknown = snapshot(guildId)): StoredQueueSnapshot {
  return { guildId, snapshot: value, version: 1, updatedAt: new Date() };
}

/** Discord as the test sets it up: which guilds are there, which voice channels exist, what was posted. */
class FakeDiscord implements RestoreDiscord {
  readonly presences = new Map<string, GuildPresence>();
  readonly voiceChannels = new Set([Voice]);
  readonly notices: { channel: string; failure: RestoreFailure; title: string | null }[] = [];

  presence(guildId: string): GuildPresence {
    return this.presences.get(guildId) ?? { shardId: 0 };
  }
  hasVoiceChannel(_guildId: string, channelId: string): boolean {
    return this.voiceChannels.has(channelId);
  }
  listeners(): number {
    return 2;
  }
  async notifyFailure(channel: string, failure: RestoreFailure, track: Track | null): Promise<void> {
    this.notices.push({ channel, failure, title: track?.title ?? null });
  }
}

class FakeMusic {
  readonly restored: { guildId: string; shardId: number }[] = [];
  readonly members: [string, string, number][] = [];
  failures = new Map<string, Error>();
  outcome: RestoreOutcome = 'restored';

  async restore(s: GuildQueueSnapshot, place: RestorePlace): Promise<RestoreOutcome> {
    const failure = this.failures.get(s.guildId);
    if (failure) throw failure;
    this.restored.push({ guildId: s.guildId, shardId: place.shardId });
    return this.outcome;
  }
  membersChanged(guildId: string, channelId: string, listeners: number): void {
    this.members.push([guildId, channelId, listeners]);
  }
}

describe('PlayerRestorer', () => {
  let discord: FakeDiscord;
  let music: FakeMusic;
  let deleted: string[];
  let saved: [string, object][];
  let rows: StoredQueueSnapshot[];
  let failRead: Error | null;
  const restorer = () =>
    new PlayerRestorer({
      repository: {
        all: async () => {
          if (failRead) throw failRead;
          return rows;
        },
      },
      writer: {
        delete: (guildId: string) => deleted.push(guildId),
        save: (guildId: string, value: object) => saved.push([guildId, value]),
      },
      music,
      discord,
      instruments: globalInstruments(),
      logger,
    });
  const restores = (outcome: string) =>
    telemetry.total('metronome.automation.actions', { action: 'player_restore', outcome });

  beforeEach(() => {
    telemetry.reset();
    discord = new FakeDiscord();
    music = new FakeMusic();
    deleted = [];
    saved = [];
    rows = [];
    failRead = null;
  });

  it('GIVEN stored snapshots THEN each guild is restored on its shard, counted, traced, and told its listeners', async () => {
    rows = [row('1'), row('2')];
    discord.presences.set('2', { shardId: 1 });
    const before = await restores('success');

    assert.deepEqual(await restorer().restoreAll(), { restored: 2, failed: 0, skipped: 0, deferred: 0 });

    assert.deepEqual(
      music.restored.sort((a, b) => a.guildId.localeCompare(b.guildId)),
      [
        { guildId: '1', shardId: 0 },
        { guildId: '2', shardId: 1 },
      ],
    );
    assert.deepEqual(music.members.map(([g, c, n]) => [g, c, n]).sort(), [
      ['1', Voice, 2],
      ['2', Voice, 2],
    ]);
    assert.deepEqual(deleted, []);
    assert.equal((await restores('success')) - before, 2);
    const spans = telemetry.spans('player restore');
    assert.equal(spans.length, 2);
    for (const span of spans) {
      assert.equal(span.attributes['metronome.outcome'], 'success');
      assert.equal(span.parentSpanContext, undefined, 'each restore is a root span');
    }
  });

  it('GIVEN the voice channel is gone THEN the text channel is told, the snapshot deleted, the restore counted as failed', async () => {
    rows = [row('1', snapshot('1', { voiceChannelId: '400000000000000999' }))];
    const before = await restores('failed');

    assert.deepEqual(await restorer().restoreAll(), { restored: 0, failed: 1, skipped: 0, deferred: 0 });

    assert.deepEqual(discord.notices, [{ channel: Text, failure: 'channel_gone', title: 'Title now' }]);
    assert.deepEqual(deleted, ['1']);
    assert.deepEqual(music.restored, []);
    assert.equal((await restores('failed')) - before, 1);
    const [span] = telemetry.spans('player restore');
    assert.equal(span?.attributes['metronome.outcome'], 'failed');
    assert.equal(span?.attributes['metronome.restore.failure'], 'channel_gone');
    assert.equal(span?.status.code, 0, 'a deleted channel is not a fault of the bot');
  });

  it('GIVEN the track does not play THEN the channel is told and the snapshot deleted; the span records the cause', async () => {
    rows = [row('1')];
    music.failures.set('1', Object.assign(new Error('400: Failed to decode track'), { name: 'RestError' }));

    assert.deepEqual(await restorer().restoreAll(), { restored: 0, failed: 1, skipped: 0, deferred: 0 });

    assert.deepEqual(discord.notices, [{ channel: Text, failure: 'play_failed', title: 'Title now' }]);
    assert.deepEqual(deleted, ['1']);
    const [span] = telemetry.spans('player restore');
    assert.equal(span?.attributes['metronome.restore.failure'], 'play_failed');
    assert.equal(span?.status.code, 2);
    assert.equal(span?.attributes['error.type'], 'RestError');
  });

  it('GIVEN an unreadable snapshot or a guild the bot left THEN it is deleted without a message', async () => {
    rows = [row('1', { version: 99 }), row('2')];
    discord.presences.set('2', 'gone');

    assert.deepEqual(await restorer().restoreAll(), { restored: 0, failed: 2, skipped: 0, deferred: 0 });

    assert.deepEqual(discord.notices, []);
    assert.deepEqual(deleted.sort(), ['1', '2']);
    const failures = telemetry.spans('player restore').map((s) => s.attributes['metronome.restore.failure']);
    assert.deepEqual(failures.sort(), ['guild_gone', 'invalid']);
  });

  it('GIVEN a guild unavailable (Discord outage), or already playing again THEN it is skipped and its snapshot kept', async () => {
    rows = [row('1'), row('2')];
    discord.presences.set('1', 'unavailable');
    music.outcome = 'skipped';
    const before = await restores('success');

    assert.deepEqual(await restorer().restoreAll(), { restored: 0, failed: 0, skipped: 2, deferred: 0 });

    assert.deepEqual(deleted, []);
    assert.equal(await restores('success'), before, 'a skip is not counted');
  });

  it('GIVEN a snapshot with nothing playing and no 24/7 THEN there is nothing to restore: deleted, not counted', async () => {
    rows = [row('1', snapshot('1', { current: null })), row('2', snapshot('2', { current: null, alwaysOn: true }))];

    assert.deepEqual(await restorer().restoreAll(), { restored: 1, failed: 0, skipped: 1, deferred: 0 });

    assert.deepEqual(deleted, ['1']);
    assert.deepEqual(
      music.restored.map((r) => r.guildId),
      ['2'],
      '24/7 brings the bot back to its channel even with nothing playing',
    );
  });

  it('GIVEN a restore that meets a Lavalink outage THEN the run may defer it: kept, nobody told, not counted', async () => {
    rows = [row('1'), row('2')];
    const outage = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    music.failures.set('1', outage);
    music.failures.set('2', new Error('400: Failed to decode track'));
    const asked: [string, unknown][] = [];
    const before = await restores('failed');

    const summary = await restorer().restoreAll({
      defer: (guildId, error) => {
        asked.push([guildId, error]);
        return error === outage;
      },
    });

    assert.deepEqual(summary, { restored: 0, failed: 1, skipped: 0, deferred: 1 });
    assert.deepEqual(
      asked.sort(([a], [b]) => a.localeCompare(b)).map(([g]) => g),
      ['1', '2'],
    );
    assert.deepEqual(deleted, ['2'], 'only the refused snapshot is deleted');
    assert.deepEqual(saved, [['1', snapshot('1')]], 'the deferred one is saved back as it was stored');
    assert.deepEqual(discord.notices, [{ channel: Text, failure: 'play_failed', title: 'Title now' }]);
    assert.equal((await restores('failed')) - before, 1, 'the deferred restore is not counted');
    const outcomes = telemetry.spans('player restore').map((s) => s.attributes['metronome.outcome']);
    assert.deepEqual(outcomes.sort(), ['deferred', 'failed']);
  });

  it('GIVEN the run postpones a guild THEN it is not tried, traced or counted, and its snapshot stays', async () => {
    rows = [row('1'), row('2')];
    const summary = await restorer().restoreAll({ postpone: (guildId) => guildId === '2' });
    assert.deepEqual(summary, { restored: 1, failed: 0, skipped: 0, deferred: 1 });
    assert.deepEqual(
      music.restored.map((r) => r.guildId),
      ['1'],
    );
    assert.deepEqual(deleted, []);
    assert.equal(telemetry.spans('player restore').length, 1);
  });

  it('GIVEN the guilds a Lavalink outage stopped THEN only their snapshots are restored', async () => {
    rows = [row('1'), row('2'), row('3')];

    assert.deepEqual(await restorer().restoreAll({ guilds: new Set(['1', '3']) }), {
      restored: 2,
      failed: 0,
      skipped: 0,
      deferred: 0,
    });

    assert.deepEqual(music.restored.map((r) => r.guildId).sort(), ['1', '3']);
    assert.deepEqual(deleted, []);
  });

  it('GIVEN the database cannot be read THEN nothing is restored and nothing deleted', async () => {
    rows = [row('1')];
    failRead = new Error('connection refused');
    assert.deepEqual(await restorer().restoreAll(), { restored: 0, failed: 0, skipped: 0, deferred: 0 });
    assert.deepEqual(deleted, []);
    assert.deepEqual(music.restored, []);
  });

  it('GIVEN shutdown began THEN guilds not yet started are left for the next start', async () => {
    rows = [row('1'), row('2')];
    const aborted = AbortSignal.abort();
    assert.deepEqual(await restorer().restoreAll({ signal: aborted }), {
      restored: 0,
      failed: 0,
      skipped: 0,
      deferred: 0,
    });
    assert.deepEqual(music.restored, []);
  });
});
