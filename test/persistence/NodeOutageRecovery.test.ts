import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { NodeOutageRecovery } from '../../src/persistence/NodeOutageRecovery.js';
import { PlaybackRecorder } from '../../src/persistence/PlaybackRecorder.js';
import type { RestoreSummary } from '../../src/persistence/PlayerRestorer.js';
import { createHarness, GuildId, playRequest, searchable, started } from '../music/musicServiceHarness.js';

const logger = pino({ level: 'silent' });

/** A restorer that records which guilds it was asked for and answers when `release` is called. */
function fakeRestorer() {
  const calls: string[][] = [];
  let release: () => void = () => undefined;
  return {
    calls,
    release: () => release(),
    restoreAll: (_signal?: AbortSignal, guilds?: ReadonlySet<string>): Promise<RestoreSummary> => {
      calls.push([...(guilds ?? [])]);
      return new Promise((resolve) => {
        release = () => resolve({ restored: guilds?.size ?? 0, failed: 0, skipped: 0 });
      });
    },
  };
}

async function playingGuild() {
  const h = createHarness();
  const deletes: string[] = [];
  const restorer = fakeRestorer();
  const recovery = new NodeOutageRecovery({ music: h.service, restorer, logger });
  const recorder = new PlaybackRecorder(
    h.service,
    { save: () => undefined, delete: (guildId) => deletes.push(guildId) },
    { record: () => undefined },
    { keepsSnapshot: (guildId) => recovery.holds(guildId) },
  );
  searchable(h.gateway, 'a');
  await h.service.play(playRequest('a'));
  started(h.player());
  return {
    h,
    deletes,
    restorer,
    recovery,
    async [Symbol.asyncDispose]() {
      restorer.release();
      await recovery[Symbol.asyncDispose]();
      recorder[Symbol.dispose]();
      await h.service.close();
    },
  };
}

describe('NodeOutageRecovery', () => {
  it('GIVEN a player lost because no node was usable THEN its snapshot is kept and restored once when a node is back', async () => {
    await using t = await playingGuild();
    t.recovery.playerLost({ guildId: GuildId, reason: 'no_node' });
    await t.h.service.nodeLost(GuildId);
    assert.deepEqual(t.deletes, [], 'the snapshot outlives the session');
    assert.ok(t.h.events.some((e) => e.name === 'disconnected' && e.reason === 'node_lost'));
    assert.equal(t.recovery.pending, 1);

    t.recovery.nodeUsable();
    // The node flaps while the restore runs: nothing is restored twice.
    t.recovery.nodeUsable();
    t.restorer.release();
    await t.recovery.settled();
    t.recovery.nodeUsable();
    assert.deepEqual(t.restorer.calls, [[GuildId]]);
    assert.equal(t.recovery.pending, 0);
  });

  it('GIVEN a failover that every node refused THEN the snapshot is deleted and nothing is restored', async () => {
    await using t = await playingGuild();
    t.recovery.playerLost({ guildId: GuildId, reason: 'failed' });
    await t.h.service.nodeLost(GuildId);
    assert.deepEqual(t.deletes, [GuildId]);
    t.recovery.nodeUsable();
    assert.deepEqual(t.restorer.calls, []);
  });

  it('GIVEN a held guild WHEN a member starts a new session there THEN it is not restored over it', async () => {
    await using t = await playingGuild();
    t.recovery.playerLost({ guildId: GuildId, reason: 'no_node' });
    await t.h.service.nodeLost(GuildId);
    searchable(t.h.gateway, 'b');
    await t.h.service.play(playRequest('b'));
    assert.equal(t.recovery.holds(GuildId), false);
    t.recovery.nodeUsable();
    assert.deepEqual(t.restorer.calls, []);
    await t.h.service.leave(GuildId);
    assert.deepEqual(t.deletes, [GuildId], 'the new session ends as any other');
  });

  it('GIVEN it is disposed THEN a node coming back restores nothing and held snapshots stay for the next start', async () => {
    await using t = await playingGuild();
    t.recovery.playerLost({ guildId: GuildId, reason: 'no_node' });
    await t.h.service.nodeLost(GuildId);
    await t.recovery[Symbol.asyncDispose]();
    t.recovery.nodeUsable();
    assert.deepEqual(t.restorer.calls, []);
    assert.deepEqual(t.deletes, []);
  });
});
