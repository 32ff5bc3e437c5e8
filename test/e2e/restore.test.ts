import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { commands } from '../../src/discord/commands/index.js';
import { registerCommands } from '../../src/discord/registerCommands.js';
import type { RunCommandInput } from '../../src/sandbox/discord/interactions/RunCommandInput.js';
import { SandboxDiscord } from '../../src/sandbox/discord/SandboxDiscord.js';
import { defaultGuildSpec } from '../../src/sandbox/discord/state/defaultGuildSpec.js';
import type { SandboxGuild } from '../../src/sandbox/discord/state/SandboxGuild.js';
import { SandboxLavalink, type SandboxPlayerSnapshot } from '../../src/sandbox/lavalink/index.js';
import { SandboxLavalinkPassword, SandboxToken } from '../support/BotHarness.js';
import { BotProcess } from '../support/BotProcess.js';
import { DatabaseTarget } from '../support/DatabaseTarget.js';
import { description, footer } from '../support/embedText.js';
import { eventually } from '../support/eventually.js';
import { OtlpReceiver } from '../support/otlp/OtlpReceiver.js';

/** The snapshot of a player in the second guild whose voice channel was deleted while the bot was down. */
function orphanSnapshot(guild: SandboxGuild) {
  const track = {
    encoded: 'QAAAjQIAJE5pZ2h0IERyaXZl',
    identifier: 'Nd7kQ2xLm0A',
    title: 'Night Drive',
    author: 'Neon Avenue',
    lengthMs: 214_000,
    isStream: false,
    isSeekable: true,
    uri: 'https://www.youtube.com/watch?v=Nd7kQ2xLm0A',
    artworkUrl: null,
    sourceName: 'youtube',
    requester: { id: guild.memberIds[0] ?? '1', name: 'Alice' },
  };
  return {
    version: 1,
    guildId: guild.id,
    current: track,
    positionMs: 42_000,
    upcoming: [],
    history: [],
    loop: 'off',
    volume: 100,
    filter: 'off',
    paused: false,
    alwaysOn: false,
    // A channel id the guild does not have (any more).
    voiceChannelId: '999999999999999999',
    textChannelId: guild.textChannelId,
  };
}

/**
 * A crash in the middle of a song: the bot as a process, with its database (a fresh database on `DATABASE_URL`'s
 * server, or its embedded PGlite in a temp directory), the sandbox Discord and a sandbox Lavalink node in this
 * process. The first bot plays and queues, then dies by SIGKILL (no shutdown, no last snapshot); a second bot on the
 * same database and servers must bring the music back where it was.
 */
describe('GIVEN a bot process playing music with its database, WHEN it is killed and a new one starts', () => {
  let database: DatabaseTarget;
  let discord: SandboxDiscord;
  let node: SandboxLavalink;
  let receiver: OtlpReceiver;
  let bot: BotProcess | undefined;
  /** The player of the first bot as it was when the bot died, and the node session it belonged to. */
  let killed: { player: SandboxPlayerSnapshot; session: string };

  const main = () => discord.guild('Metronome Sandbox');
  const second = () => discord.guild('Second Server');
  const userId = (user: string) => main().member(user)?.user.id ?? assert.fail(`no member ${user}`);
  const channelId = (name: string) => main().channel(name)?.id ?? assert.fail(`no channel ${name}`);
  const start = (user: string, input: RunCommandInput) =>
    discord.runCommand({ ...input, guildId: main().id, channelId: main().textChannelId, userId: userId(user) });
  const run = (user: string, input: RunCommandInput) => start(user, input).reply({ timeoutMs: 15_000 });

  /** Opens the database from this process, for set-up and checks while no bot runs (PGlite is one process). */
  async function withDatabase<T>(work: (query: (sql: string, values?: unknown[]) => Promise<unknown[]>) => Promise<T>) {
    const { Database } = await import('../../src/db/Database.js');
    const db = new Database(database.databaseOptions());
    await db.start();
    try {
      await db.migrate();
      return await work(async (sql, values) => (await db.pool.query(sql, values)).rows);
    } finally {
      await db.close();
    }
  }

  async function spawnBot(): Promise<BotProcess> {
    const process = BotProcess.spawn({
      DISCORD_TOKEN: SandboxToken,
      METRONOME_DISCORD_API_URL: discord.restUrl,
      METRONOME_HEALTH_HOST: '127.0.0.1',
      METRONOME_HEALTH_PORT: '0',
      METRONOME_LAVALINK_NODES: `[{name: node-1, url: "${node.address}"}]`,
      LAVALINK_PASSWORD: SandboxLavalinkPassword,
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.grpcEndpoint,
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: receiver.grpcEndpoint,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.tracesUrl,
      METRONOME_TELEMETRY_METRIC_EXPORT_INTERVAL_MS: '500',
      METRONOME_TELEMETRY_METRIC_EXPORT_TIMEOUT_MS: '400',
      METRONOME_TELEMETRY_SPAN_BATCH_SCHEDULE_DELAY_MS: '100',
      ...database.env(),
    });
    bot = process;
    await process.waitForLog((line) => line.msg === 'discord ready', 30_000);
    return process;
  }

  async function stopBot(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const current = bot;
    bot = undefined;
    if (!current) return { code: null, signal: null };
    current.kill(signal);
    return current.exited;
  }

  before(async () => {
    database = await DatabaseTarget.create();
    receiver = await OtlpReceiver.start();
    discord = await SandboxDiscord.start({
      token: SandboxToken,
      heartbeatIntervalMs: 1_000,
      guilds: [defaultGuildSpec(), defaultGuildSpec('Second Server')],
    });
    node = await SandboxLavalink.start({
      name: 'node-1',
      password: SandboxLavalinkPassword,
      statsIntervalMs: 500,
      playerUpdateIntervalMs: 500,
    });
    await registerCommands(commands, {
      token: SandboxToken,
      applicationId: discord.applicationId,
      apiUrl: discord.restUrl,
    });
    // The second guild's player was saved by an earlier run; its voice channel has been deleted since.
    await withDatabase((query) =>
      query('INSERT INTO queue_snapshots (guild_id, snapshot) VALUES ($1, $2)', [
        second().id,
        JSON.stringify(orphanSnapshot(second())),
      ]),
    );
    // In voice before the bot logs in: its first GUILD_CREATE already has her there.
    discord.moveMember(main().id, userId('alice'), channelId('Music'));
  });
  after(async () => {
    await stopBot('SIGKILL');
    await node?.close();
    await discord?.close();
    await receiver?.close();
    await database?.close();
  });

  it('WHEN the first bot starts THEN the snapshot whose voice channel is gone is reported in its text channel', async () => {
    const first = await spawnBot();
    await first.waitForLog((line) => line.msg === 'players restored' && line.failed === 1, 20_000);
    const notices = await eventually('the restore notice', () => {
      const found = discord.channelMessages(second().textChannelId).filter((m) => m.content.includes('restarted'));
      return found.length > 0 ? found : undefined;
    });
    assert.equal(
      notices[0]?.content,
      '⚠️ I restarted but could not bring back **Night Drive**: the voice channel I was playing in is gone. Use /play to start again.',
    );
  });

  it('WHEN alice plays a track, queues two more, seeks, sets the volume and loop THEN the node plays it', async () => {
    assert.match(
      description(await run('alice', { command: 'play', options: { query: 'night drive' } })),
      /Now playing/,
    );
    assert.match(description(await run('alice', { command: 'play', options: { query: 'golden hour' } })), /Queued/);
    assert.match(description(await run('alice', { command: 'play', options: { query: 'northern lights' } })), /Queued/);
    assert.equal(
      (await run('alice', { command: 'seek', options: { position: '1:30' } })).content,
      '⏩ Jumped to **01:30**.',
    );
    assert.match((await run('alice', { command: 'volume', options: { level: 70 } })).content, /70%/);
    assert.match((await run('alice', { command: 'loop', options: { mode: 'queue' } })).content, /queue/);
    const playing = await eventually('the track at 1:30 on the node', () => {
      const player = node.players().find((p) => p.guildId === main().id && p.track !== null);
      return player && player.position >= 90_000 ? player : undefined;
    });
    assert.equal(playing.track?.info.title, 'Night Drive');
  });

  it('WHEN the bot is killed (SIGKILL) two seconds later and a new one starts THEN the same track plays on from about the same position, with the queue, volume and loop', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const before = node.players().find((p) => p.guildId === main().id && p.track !== null);
    assert.ok(before?.track, 'the first bot plays');
    killed = { player: before, session: before.sessionId };
    assert.equal((await stopBot('SIGKILL')).signal, 'SIGKILL');

    const second = await spawnBot();
    const summary = await second.waitForLog((line) => line.msg === 'players restored', 30_000);
    assert.equal(summary.restored, 1, JSON.stringify(summary));
    assert.equal(summary.failed, 0, 'the discarded snapshot is not tried again');

    const restored = await eventually('the restored player on the node', () =>
      node.players().find((p) => p.guildId === main().id && p.sessionId !== killed.session && p.track !== null),
    );
    assert.equal(restored.track?.encoded, killed.player.track?.encoded, 'the same track');
    assert.ok(
      Math.abs(restored.position - killed.player.position) < 5_000,
      `resumed at ${restored.position} ms, was at ${killed.player.position} ms`,
    );
    assert.ok(restored.position >= 88_000, `not from the start: ${restored.position} ms`);
    assert.equal(restored.paused, false);
    assert.equal(restored.volume, 70);
    assert.equal(restored.voice?.channelId, channelId('Music'), 'back in the Music channel');

    const health = Number((await second.waitForLog((line) => line.msg === 'health server listening')).port);
    const ready = await fetch(`http://127.0.0.1:${health}/readyz?verbose`);
    assert.match(await ready.text(), /\[\+\]database ok/);
    const details = (await (await fetch(`http://127.0.0.1:${health}/healthz`)).json()) as {
      database: { engine: string; snapshots: { written: number; pending: number } };
    };
    assert.equal(details.database.engine, database.engine);
    const { snapshots } = details.database;
    assert.ok(snapshots.written + snapshots.pending >= 1, 'the restored state is being saved');

    const queue = await run('alice', { command: 'queue' });
    assert.match(description(queue), /^\*\*Now playing:\*\* \[Night Drive\]/);
    assert.match(description(queue), /`1\.` \[Golden Hour\]/);
    assert.match(description(queue), /`2\.` \[Northern Lights\]/);
    assert.match(footer(queue), /^Page 1\/1 · 2 tracks · .* · Loop: queue$/);
  });

  it('THEN the restore is traced and counted as a player_restore automation action', async () => {
    const spans = await receiver.waitFor(
      () => {
        const found = receiver.spans().filter((s) => s.name === 'player restore');
        return found.length >= 2 ? found : undefined;
      },
      { description: 'two player restore spans' },
    );
    const failed = spans.find((s) => s.attributes['discord.guild.id'] === second().id);
    assert.equal(failed?.attributes['metronome.outcome'], 'failed');
    assert.equal(failed?.attributes['metronome.restore.failure'], 'channel_gone');
    const succeeded = spans.find((s) => s.attributes['discord.guild.id'] === main().id);
    assert.equal(succeeded?.attributes['metronome.outcome'], 'success');
    assert.equal(succeeded?.parentSpanId, '', 'a restore is the root of its own trace');
    const lavalinkCalls = receiver
      .spans()
      .filter((s) => s.parentSpanId === succeeded?.spanId && String(s.attributes['url.full']).includes('/players/'));
    assert.ok(lavalinkCalls.length > 0, 'the player update is a child of the restore span');
    for (const outcome of ['success', 'failed']) {
      await receiver.waitFor(
        () =>
          receiver
            .metrics()
            .find(
              (m) =>
                m.name === 'metronome.automation.actions' &&
                m.attributes.action === 'player_restore' &&
                m.attributes.outcome === outcome,
            ),
        { description: `player_restore ${outcome}` },
      );
    }
  });

  it('WHEN alice sets a DJ role THEN carol may not skip, and bob, a DJ, may', async () => {
    const set = await run('alice', { command: 'settings', subcommand: 'dj_role', options: { role: 'DJ' } });
    const djRole = main().role('DJ')?.id;
    assert.equal(
      set.content,
      `🎧 DJ role set to <@&${djRole}>: only members with it (or Manage Server) can control the music.`,
    );
    assert.equal(set.ephemeral, true);
    const view = await run('alice', { command: 'settings', subcommand: 'view' });
    assert.match(view.embeds[0]?.fields?.[0]?.value ?? '', new RegExp(`<@&${djRole}>`));
    const refused = await run('carol', { command: 'settings', subcommand: 'view' });
    assert.equal(refused.content, 'Only members with the Manage Server permission can view or change my settings.');

    for (const member of ['carol', 'bob']) discord.moveMember(main().id, userId(member), channelId('Music'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const carol = await run('carol', { command: 'skip' });
    assert.match(carol.content, /^On this server only members with the DJ role can control the music/);
    assert.equal(carol.ephemeral, true);
    assert.equal((await run('bob', { command: 'skip' })).content, '⏭️ Skipped **Night Drive**.');
  });

  it('WHEN alice changes the default volume, the 24/7 channel and the command limit THEN /settings view shows them', async () => {
    const volume = await run('alice', { command: 'settings', subcommand: 'default_volume', options: { level: 40 } });
    assert.equal(volume.content, '🔊 Default volume set to **40%** (from the next time I join).');
    const always = await run('alice', { command: 'settings', subcommand: 'always_on', options: { channel: 'Music' } });
    assert.equal(always.content, `🕒 24/7 is on whenever I join <#${channelId('Music')}> (from the next time I join).`);
    const limit = await run('alice', { command: 'settings', subcommand: 'throttle', options: { per_minute: 30 } });
    assert.equal(limit.content, '⏱️ Each member may send **30** commands per minute here.');
    const view = await run('alice', { command: 'settings', subcommand: 'view' });
    assert.deepEqual(
      view.embeds[0]?.fields?.slice(1).map((f) => f.value),
      ['40%', `<#${channelId('Music')}>`, '30 per member per minute'],
    );
    const reset = await run('alice', { command: 'settings', subcommand: 'throttle' });
    assert.equal(reset.content, '⏱️ Command limit reset to the default.');
  });

  it('WHEN a member runs /history THEN the skipped track is listed with who queued it', async () => {
    // Plays are written about a second after they end.
    let reply = await run('carol', { command: 'history' });
    for (let tries = 0; !description(reply).includes('Night Drive') && tries < 40; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      reply = await run('carol', { command: 'history' });
    }
    assert.match(
      description(reply),
      /^`1\.` \[Night Drive\]\(https:\/\/www\.youtube\.com\/watch\?v=Nd7kQ2xLm0A\) · Neon Avenue · <@\d+> · <t:\d+:R>/,
    );
    assert.match(footer(reply), /^Page 1\/1 · 1 play$/);
  });

  it('WHEN the second bot stops gracefully THEN the database keeps its snapshot, the play and the setting, and not the discarded snapshot', async () => {
    assert.equal((await stopBot('SIGTERM')).code, 0);
    const rows = await withDatabase(async (query) => ({
      snapshots: (await query('SELECT guild_id, snapshot FROM queue_snapshots ORDER BY guild_id')) as {
        guild_id: string;
        snapshot: { current: { title: string } | null; upcoming: unknown[]; volume: number; loop: string };
      }[],
      plays: (await query('SELECT guild_id, member_id, title, played_ms FROM play_history')) as {
        guild_id: string;
        member_id: string;
        title: string;
        played_ms: number;
      }[],
      settings: await query(
        'SELECT guild_id, dj_role_id, default_volume, always_on_channel_id, throttle_per_minute FROM guild_settings',
      ),
    }));
    assert.deepEqual(
      rows.snapshots.map((r) => r.guild_id),
      [main().id],
      'only the playing guild has a snapshot',
    );
    const [saved] = rows.snapshots;
    assert.equal(saved?.snapshot.current?.title, 'Golden Hour');
    assert.equal(saved?.snapshot.volume, 70);
    assert.equal(saved?.snapshot.loop, 'queue');
    // Loop queue: the skipped track went back to the end.
    assert.equal(saved?.snapshot.upcoming.length, 2);
    const play = rows.plays.find((p) => p.title === 'Night Drive');
    assert.equal(play?.guild_id, main().id);
    assert.equal(play?.member_id, userId('alice'));
    assert.ok((play?.played_ms ?? 0) > 0);
    assert.deepEqual(rows.settings, [
      {
        guild_id: main().id,
        dj_role_id: main().role('DJ')?.id,
        default_volume: 40,
        always_on_channel_id: channelId('Music'),
        throttle_per_minute: null,
      },
    ]);
  });
  it('WHEN a third bot starts while the Lavalink node is down THEN the saved player comes back as soon as the node does', async () => {
    node.kill({ forgetSessions: true });
    const third = await spawnBot();
    // Longer than the node's first reconnect attempts: the bot must not give up on the snapshot.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.equal(
      node.players().find((p) => p.guildId === main().id),
      undefined,
      'nothing plays without the node',
    );
    node.revive();
    const summary = await third.waitForLog((line) => line.msg === 'players restored', 30_000);
    assert.equal(summary.restored, 1, JSON.stringify(summary));
    const restored = await eventually('the restored player on the node', () =>
      node.players().find((p) => p.guildId === main().id && p.track !== null),
    );
    assert.equal(restored.track?.info.title, 'Golden Hour');
    assert.equal(restored.volume, 70);
    assert.equal(restored.voice?.channelId, channelId('Music'));
  });
});
