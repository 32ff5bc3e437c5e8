import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { type LostPlayer, NodeOutageRecovery } from '../../src/persistence/NodeOutageRecovery.js';
import { PlaybackRecorder } from '../../src/persistence/PlaybackRecorder.js';
import { NoRestore, type RestoreRun, type RestoreSummary } from '../../src/persistence/PlayerRestorer.js';
import { createHarness, GuildId, playRequest, searchable, started } from '../music/musicServiceHarness.js';
import { eventually } from '../support/eventually.js';

const logger = pino({ level: 'silent' });

/** A restorer that records each run it was asked for and answers when `release` is called. */
function fakeRestorer() {
  const calls: (string[] | 'all')[] = [];
  const runs: RestoreRun[] = [];
  let release: () => void = () => undefined;
  return {
    calls,
    /** The `defer` of the run in progress: what the real restorer asks when a guild's restore fails. */
    defer: (guildId: string, error: unknown) => runs.at(-1)?.defer?.(guildId, error),
    /** The `postpone` of the run in progress: what the real restorer asks before it tries a guild. */
    postpone: (guildId: string) => runs.at(-1)?.postpone?.(guildId),
    release: () => release(),
    restoreAll: (run: RestoreRun = {}): Promise<RestoreSummary> => {
      calls.push(run.guilds ? [...run.guilds] : 'all');
      runs.push(run);
      return new Promise((resolve) => {
        release = () => resolve({ ...NoRestore, restored: run.guilds?.size ?? 1 });
      });
    },
  };
}

const outage = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
const isOutage = (error: unknown) => error === outage;
/** Whether a Lavalink node is usable, as the tests set it: none during an outage. */
const lavalink = { usable: false };
const usable = () => lavalink.usable;

async function playingGuild() {
  lavalink.usable = false;
  const h = createHarness();
  const deletes: string[] = [];
  const restorer = fakeRestorer();
  const recovery = new NodeOutageRecovery({ music: h.service, restorer, isOutage, usable, logger });
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
    /** The gateway loses the guild's player: the recovery hears of it first, then the music service, as in the app. */
    async lose(reason: LostPlayer['reason']) {
      recovery.playerLost({ guildId: GuildId, reason });
      await h.service.nodeLost(GuildId);
    },
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
    await t.lose('no_node');
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
    await t.lose('failed');
    assert.deepEqual(t.deletes, [GuildId]);
    t.recovery.nodeUsable();
    assert.deepEqual(t.restorer.calls, []);
  });

  it('GIVEN a held guild WHEN a member starts a new session there THEN it is not restored over it', async () => {
    await using t = await playingGuild();
    await t.lose('no_node');
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
    await t.lose('no_node');
    await t.recovery[Symbol.asyncDispose]();
    t.recovery.nodeUsable();
    assert.deepEqual(t.restorer.calls, []);
    assert.deepEqual(t.deletes, []);
  });
  it('GIVEN the node dies again while a held guild is restored THEN the guild is held again, not lost, and restored when the node is back', async () => {
    await using t = await playingGuild();
    await t.lose('no_node');
    t.recovery.nodeUsable();
    assert.equal(t.restorer.defer(GuildId, outage), true, 'the snapshot is kept');
    assert.equal(t.recovery.holds(GuildId), true);
    t.restorer.release();
    await t.recovery.settled();
    assert.deepEqual(t.restorer.calls, [[GuildId]], 'no run without a node');
    assert.equal(t.recovery.pending, 1);

    t.recovery.nodeUsable();
    t.restorer.release();
    await t.recovery.settled();
    assert.deepEqual(t.restorer.calls, [[GuildId], [GuildId]]);
    assert.equal(t.recovery.pending, 0);
    assert.deepEqual(t.deletes, []);
  });

  it('GIVEN the node dies and comes back while the restore runs THEN one more run brings back what it gave back', async () => {
    await using t = await playingGuild();
    await t.lose('no_node');
    t.recovery.nodeUsable();
    t.restorer.defer(GuildId, outage);
    t.recovery.nodeUsable();
    t.restorer.release();
    await eventually('the second run', () => t.restorer.calls.length === 2);
    t.restorer.release();
    await t.recovery.settled();
    assert.deepEqual(t.restorer.calls, [[GuildId], [GuildId]]);
  });

  it('GIVEN a restore the node refused (not an outage) THEN it is not held: the failure stands', async () => {
    await using t = await playingGuild();
    await t.lose('no_node');
    t.recovery.nodeUsable();
    assert.equal(t.restorer.defer(GuildId, new Error('400: Failed to decode track')), false);
    assert.equal(t.recovery.holds(GuildId), false);
  });

  it('GIVEN start-up with a node THEN every stored player is restored, and one failing for an outage waits for the next node', async () => {
    lavalink.usable = false;
    const restorer = fakeRestorer();
    const h = createHarness();
    await using recovery = new NodeOutageRecovery({ music: h.service, restorer, isOutage, usable, logger });
    const done = recovery.restoreStored();
    assert.equal(restorer.defer('7', outage), true);
    restorer.release();
    assert.deepEqual(await done, { ...NoRestore, restored: 1 });
    assert.deepEqual(restorer.calls, ['all']);
    assert.equal(recovery.holds('7'), true);
    recovery.nodeUsable();
    restorer.release();
    await recovery.settled();
    assert.deepEqual(restorer.calls, ['all', ['7']]);
  });

  it('GIVEN start-up without a node THEN every stored player is restored when the first node is usable', async () => {
    lavalink.usable = false;
    const restorer = fakeRestorer();
    const h = createHarness();
    await using recovery = new NodeOutageRecovery({ music: h.service, restorer, isOutage, usable, logger });
    recovery.waitForNode();
    assert.deepEqual(restorer.calls, []);
    assert.equal(recovery.pending, -1);
    recovery.nodeUsable();
    restorer.release();
    await recovery.settled();
    assert.deepEqual(restorer.calls, ['all']);
    assert.equal(recovery.pending, 0);
  });

  it('GIVEN shutdown began THEN a restore failing for an outage keeps its snapshot for the next start, held by nobody', async () => {
    await using t = await playingGuild();
    await t.lose('no_node');
    t.recovery.nodeUsable();
    const disposed = t.recovery[Symbol.asyncDispose]();
    assert.equal(t.restorer.defer(GuildId, outage), true);
    assert.equal(t.restorer.defer(GuildId, new Error('refused')), false);
    t.restorer.release();
    await disposed;
    t.recovery.nodeUsable();
    assert.equal(t.restorer.calls.length, 1);
  });
  it('GIVEN no node is usable during a run THEN the guilds not yet tried are held without an attempt', async () => {
    await using t = await playingGuild();
    await t.lose('no_node');
    lavalink.usable = true;
    t.recovery.nodeUsable();
    assert.equal(t.restorer.postpone(GuildId), false, 'tried while a node is usable');
    lavalink.usable = false;
    assert.equal(t.restorer.postpone(GuildId), true, 'held while none is');
    assert.equal(t.recovery.holds(GuildId), true);
  });

  it('GIVEN a restore that met an outage while a node stayed usable THEN it is retried after each delay, and then the failure stands', async () => {
    lavalink.usable = true;
    const restorer = fakeRestorer();
    const h = createHarness();
    await using recovery = new NodeOutageRecovery({
      music: h.service,
      restorer,
      isOutage,
      usable,
      logger,
      retryDelaysMs: [10, 30],
    });
    void recovery.restoreStored();
    assert.equal(restorer.defer('7', outage), true, 'first failure: retried');
    restorer.release();
    await eventually('the first retry', () => restorer.calls.length === 2);
    assert.deepEqual(restorer.calls.at(-1), ['7']);
    assert.equal(restorer.defer('7', outage), true, 'second failure: retried');
    restorer.release();
    await eventually('the second retry', () => restorer.calls.length === 3);
    assert.equal(restorer.defer('7', outage), false, 'third failure: it stands');
    assert.equal(recovery.holds('7'), false);
    restorer.release();
    await recovery.settled();
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(restorer.calls.length, 3, 'no more runs');
  });
});
