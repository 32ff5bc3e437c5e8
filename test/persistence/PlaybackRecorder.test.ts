import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import type { PlayRecord } from '../../src/db/HistoryWriter.js';
import { PlaybackRecorder } from '../../src/persistence/PlaybackRecorder.js';
import { createHarness, GuildId, playRequest, searchable, started } from '../music/musicServiceHarness.js';

/** The writers as the recorder sees them, recording what they were handed. */
function fakeWriters() {
  const saves: { guildId: string; snapshot: { positionMs: number; current: { identifier: string } | null } }[] = [];
  const deletes: string[] = [];
  const plays: PlayRecord[] = [];
  return {
    saves,
    deletes,
    plays,
    snapshots: {
      save: (guildId: string, snapshot: object) => saves.push({ guildId, snapshot: snapshot as never }),
      delete: (guildId: string) => deletes.push(guildId),
    },
    history: { record: (play: PlayRecord) => plays.push(play) },
  };
}

describe('PlaybackRecorder', () => {
  it('saves the snapshot at every change, records finished plays, and deletes the snapshot when the bot leaves', async () => {
    await using h = createHarness();
    const w = fakeWriters();
    using _recorder = new PlaybackRecorder(h.service, w.snapshots, w.history);
    searchable(h.gateway, 'a');
    searchable(h.gateway, 'b');
    await h.service.play(playRequest('a'));
    await h.service.play(playRequest('b'));
    started(h.player());
    assert.ok(w.saves.length >= 3);
    assert.ok(w.saves.every((s) => s.guildId === GuildId));
    assert.equal(w.saves.at(-1)?.snapshot.current?.identifier, 'a1');

    h.clock.ms += 12_000;
    await h.service.skip(GuildId);
    assert.deepEqual(
      w.plays.map((p) => [p.guildId, p.memberId, p.trackIdentifier, p.title, p.source, p.playedMs]),
      [[GuildId, '100', 'a1', 'Title a1', 'youtube', 12_000]],
    );
    assert.equal(w.saves.at(-1)?.snapshot.current?.identifier, 'b1');

    await h.service.leave(GuildId);
    assert.deepEqual(w.deletes, [GuildId]);
  });

  it('saves the position of playing guilds every interval, and every guild on saveAll; no play at shutdown', async () => {
    mock.timers.enable({ apis: ['setInterval'] });
    try {
      await using h = createHarness();
      const w = fakeWriters();
      const recorder = new PlaybackRecorder(h.service, w.snapshots, w.history, { checkpointIntervalMs: 5_000 });
      searchable(h.gateway, 'a');
      await h.service.play(playRequest('a'));
      started(h.player());
      const before = w.saves.length;
      h.player().positionMs = 61_000;
      mock.timers.tick(5_000);
      assert.equal(w.saves.length, before + 1);
      assert.equal(w.saves.at(-1)?.snapshot.positionMs, 61_000);
      await h.service.pause(GuildId);
      const paused = w.saves.length;
      mock.timers.tick(5_000);
      assert.equal(w.saves.length, paused, 'a paused position does not move');

      assert.equal(recorder.saveAll(), 1);
      recorder[Symbol.dispose]();
      await h.service.close();
      assert.deepEqual(w.plays, [], 'a track cut by the shutdown plays on after the restore');
      assert.deepEqual(w.deletes, []);
    } finally {
      mock.timers.reset();
    }
  });
});
