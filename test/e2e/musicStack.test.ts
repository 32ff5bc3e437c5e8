import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunCommandInput } from '../../src/sandbox/discord/interactions/RunCommandInput.js';
import {
  CatalogueIdentifiers,
  type SandboxLavalink,
  type SandboxPlayerSnapshot,
} from '../../src/sandbox/lavalink/index.js';
import { DurationBuckets } from '../../src/telemetry/Instruments.js';
import { BotHarness, SandboxLavalinkPassword, SandboxToken } from '../support/BotHarness.js';
import { description, footer } from '../support/embedText.js';
import type { ReceivedMetric } from '../support/otlp/ReceivedTelemetry.js';

/** Polls `condition` until it returns a value; throws naming `what` after `timeoutMs`. */
async function eventually<T>(what: string, condition: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The whole bot on the music stack: the App (real discord.js and shoukaku) against the sandbox Discord and two
 * sandbox Lavalink nodes, exporting with the real OTLP exporters to the test receiver. What a member sees in Discord,
 * what the nodes play, and what an operator finds in the telemetry.
 */
describe('GIVEN the bot with two sandbox Lavalink nodes, exporting to an OTLP receiver', () => {
  let bot: BotHarness;
  /** The interaction of the first `/play`, whose span the first track links to. */
  let firstPlay: { interactionId: string; node: string };
  /** The failover: the node killed, the one the player moved to, and where the track was when it died. */
  let failover: { from: SandboxLavalink; to: SandboxLavalink; track: string; positionMs: number };

  before(async () => {
    bot = await BotHarness.start({
      lavalinkNodes: 2,
      lavalink: { statsIntervalMs: 200, playerUpdateIntervalMs: 200 },
      // The catalogue's playlist lives on a reserved test domain: the operator allows it, as they would a media host.
      overrides: { music: { query_allowlist: ['sandbox.test'] } },
    });
    await moveMember('alice', 'Music');
  });
  after(async () => {
    await bot?.stop();
  });

  const guild = () => bot.world;
  const userId = (name: string) => {
    const member = guild().member(name);
    if (!member) throw new Error(`no member ${name}`);
    return member.user.id;
  };
  const channelId = (name: string) => {
    const channel = guild().channel(name);
    if (!channel) throw new Error(`no channel ${name}`);
    return channel.id;
  };
  /** Moves a member and waits until the bot's client has seen it. */
  async function moveMember(user: string, channel: string): Promise<void> {
    const id = userId(user);
    bot.discord.moveMember(guild().id, id, channelId(channel));
    await eventually(
      `${user} in ${channel}`,
      () =>
        bot.app.bot.client.guilds.cache.get(guild().id)?.voiceStates.cache.get(id)?.channelId === channelId(channel),
    );
  }
  const start = (user: string, input: RunCommandInput) =>
    bot.discord.runCommand({ ...input, guildId: guild().id, channelId: guild().textChannelId, userId: userId(user) });
  const run = (user: string, input: RunCommandInput) => start(user, input).reply({ timeoutMs: 10_000 });

  /** The sandbox node the bot's player for the guild is on, and that node's player (of the bot's session). */
  function serving(): { node: SandboxLavalink; player: SandboxPlayerSnapshot | undefined } {
    const name = bot.app.lavalink.player(guild().id)?.node;
    const node = bot.lavalink.find((n) => n.name === name);
    if (!node) throw new Error(`the bot has no player on a sandbox node (${name})`);
    const session = bot.app.lavalink.shoukaku?.nodes.get(node.name)?.sessionId ?? undefined;
    return { node, player: node.player(guild().id, session) };
  }
  const titleOn = (player: SandboxPlayerSnapshot | undefined) => player?.track?.info.title;

  const spans = () => bot.receiver.spans();
  const commandSpan = (interactionId: string) =>
    bot.receiver.waitFor(
      () =>
        spans().find((s) => s.name.startsWith('command ') && s.attributes['discord.interaction.id'] === interactionId),
      { description: `the command span of interaction ${interactionId}` },
    );
  const metric = (name: string, match: (m: ReceivedMetric) => boolean = () => true) =>
    bot.receiver.waitFor(() => bot.receiver.metrics().find((m) => m.name === name && match(m)), {
      description: name,
    });

  it('WHEN alice, in the Music voice channel, plays search text THEN the reply names the track, a node plays it and /nowplaying shows it', async () => {
    const play = start('alice', { command: 'play', options: { query: 'night drive' } });
    const reply = await play.reply({ timeoutMs: 10_000 });
    assert.equal(reply.ephemeral, false);
    assert.match(
      description(reply),
      /^▶️ Now playing \*\*\[Night Drive\]\(https:\/\/www\.youtube\.com\/watch\?v=Nd7kQ2xLm0A\)\*\* by Neon Avenue · `03:34`/,
    );

    const { node, player } = serving();
    assert.equal(titleOn(player), 'Night Drive', `node ${node.name} plays the track`);
    assert.equal(player?.voice?.channelId, channelId('Music'), 'in the Music channel');
    assert.equal(player?.paused, false);
    firstPlay = { interactionId: play.interactionId, node: node.name };

    const np = await run('alice', { command: 'nowplaying' });
    assert.match(description(np), /Night Drive[\s\S]*by Neon Avenue[\s\S]*`\d\d:\d\d \/ 03:34`/);
    assert.equal(footer(np), `Node: ${node.name}`);
  });

  it('WHEN alice adds a playlist THEN /queue lists its tracks after the current one', async () => {
    const reply = await run('alice', { command: 'play', options: { query: CatalogueIdentifiers.playlist } });
    assert.match(
      description(reply),
      /^📃 Added \*\*8 tracks\*\* from \*\*Road Trip\*\*\.\nFirst up at position \*\*1\*\*\./,
    );

    const queue = await run('alice', { command: 'queue' });
    const text = description(queue);
    assert.match(
      text,
      /^\*\*Now playing:\*\* \[Night Drive\]\(https:\/\/www\.youtube\.com\/watch\?v=Nd7kQ2xLm0A\) · `03:34`/,
    );
    assert.match(text, /`1\.` \[Road to Nowhere \(Live\)\]/);
    assert.match(text, /`8\.` \[Night Train\]/);
    assert.match(footer(queue), /^Page 1\/1 · 8 tracks · /);
  });

  it('WHEN alice skips THEN the node moves on to the first track of the playlist', async () => {
    const reply = await run('alice', { command: 'skip' });
    assert.equal(reply.content, '⏭️ Skipped **Night Drive**.');
    await eventually('the next track on the node', () => titleOn(serving().player) === 'Road to Nowhere (Live)');
    const np = await run('alice', { command: 'nowplaying' });
    assert.match(
      description(np),
      /^\*\*\[Road to Nowhere \(Live\)\]\(https:\/\/www\.youtube\.com\/watch\?v=Rt5pW8vBc3E\)\*\*\nby The Sandbox Band/,
    );
  });

  it('THEN the `track play` span of the skipped track links to the `command play` span that queued it', async () => {
    const command = await commandSpan(firstPlay.interactionId);
    assert.equal(command.name, 'command play');
    const track = await bot.receiver.waitFor(
      () =>
        spans().find(
          (s) =>
            s.name === 'track play' &&
            s.links.some((l) => l.traceId === command.traceId && l.spanId === command.spanId),
        ),
      { description: 'the track play span linked to the command' },
    );
    assert.equal(track.parentSpanId, '', 'a track is the root of its own trace');
    assert.notEqual(track.traceId, command.traceId);
    assert.equal(track.attributes['discord.guild.id'], guild().id);
    assert.equal(track.attributes['lavalink.node'], firstPlay.node);
    assert.equal(track.attributes['metronome.track.end_reason'], 'skipped');
    assert.ok(track.endTimeUnixNano > track.startTimeUnixNano);
  });

  it('THEN the Lavalink REST calls of /play are undici client spans under the command span, without the password', async () => {
    const command = await commandSpan(firstPlay.interactionId);
    const node = bot.lavalink.find((n) => n.name === firstPlay.node);
    assert.ok(node);
    const children = await bot.receiver.waitFor(() => {
      const found = spans().filter(
        (s) => s.kind === 'client' && s.traceId === command.traceId && s.parentSpanId === command.spanId,
      );
      const urls = found.map((s) => String(s.attributes['url.full']));
      return urls.some((u) => u.includes('/v4/loadtracks')) && urls.some((u) => /\/players\/\d+/.test(u))
        ? found
        : undefined;
    });
    const lavalinkCalls = children.filter((s) => String(s.attributes['url.full']).startsWith('http://127.0.0.1:'));
    const load = lavalinkCalls.find((s) => String(s.attributes['url.full']).includes('/v4/loadtracks'));
    assert.ok(load, 'the load');
    assert.ok(String(load.attributes['url.full']).startsWith(`${node.url}/v4/loadtracks?identifier=`));
    assert.equal(load.attributes['http.request.method'], 'GET');
    assert.equal(load.attributes['http.response.status_code'], 200);
    const update = lavalinkCalls.find((s) => String(s.attributes['url.full']).includes(`/players/${guild().id}`));
    assert.ok(update, 'the player update');
    assert.equal(update.attributes['http.request.method'], 'PATCH');
    for (const span of spans()) {
      const attributes = JSON.stringify(span.attributes);
      assert.ok(!attributes.includes(SandboxLavalinkPassword), `span ${span.name} carries the Lavalink password`);
    }
  });

  it('WHEN the node serving the guild dies THEN the other node plays the same track from the same position within seconds', async () => {
    // Somewhere in the middle of the track, so that "the same position" means something.
    assert.equal(
      (await run('alice', { command: 'seek', options: { position: '1:30' } })).content,
      '⏩ Jumped to **01:30**.',
    );
    await eventually('the seek on the node', () => (serving().player?.position ?? 0) >= 90_000);
    const before = serving();
    const other = bot.lavalink.find((n) => n !== before.node);
    assert.ok(other && before.player?.track);
    const positionMs = before.player.position;
    const killedAt = Date.now();
    before.node.kill();

    const moved = await eventually('the player on the other node', () => {
      const player = other.player(guild().id);
      return player?.track ? player : undefined;
    });
    const tookMs = Date.now() - killedAt;
    assert.ok(tookMs < 5_000, `failover took ${tookMs} ms`);
    assert.equal(moved.track?.encoded, before.player.track.encoded, 'the same track');
    assert.ok(
      Math.abs(moved.position - positionMs) < 3_000,
      `resumed at ${moved.position} ms, was at ${positionMs} ms`,
    );
    assert.equal(moved.paused, false);
    assert.equal(moved.voice?.channelId, channelId('Music'));
    assert.equal(bot.app.lavalink.player(guild().id)?.node, other.name);
    failover = { from: before.node, to: other, track: 'Road to Nowhere (Live)', positionMs };

    const np = await run('alice', { command: 'nowplaying' });
    assert.match(description(np), /Road to Nowhere/);
    assert.equal(footer(np), `Node: ${other.name}`);
    const [, minutes, seconds] = /`(\d\d):(\d\d) \/ 04:11`/.exec(description(np)) ?? [];
    assert.ok(Number(minutes) * 60 + Number(seconds) >= 89, description(np));
  });

  it('THEN the failover is counted and traced for the operator', async () => {
    const counted = await metric(
      'metronome.lavalink.node.failovers',
      (m) => m.attributes.from === failover.from.name && m.attributes.to === failover.to.name,
    );
    assert.equal(counted.attributes.outcome, 'success');
    assert.equal(counted.value, 1);
    assert.equal(counted.kind, 'sum');
    const automation = await metric(
      'metronome.automation.actions',
      (m) => m.attributes.action === 'node_failover' && m.attributes.outcome === 'success',
    );
    assert.ok((automation.value ?? 0) >= 1);

    const span = await bot.receiver.waitFor(() => spans().find((s) => s.name === 'lavalink failover'));
    assert.equal(span.parentSpanId, '', 'nothing caused it but the node dying');
    assert.equal(span.attributes['metronome.failover.from'], failover.from.name);
    assert.equal(span.attributes['metronome.failover.to'], failover.to.name);
    assert.equal(span.attributes['metronome.outcome'], 'success');
    assert.equal(span.attributes['discord.guild.id'], guild().id);
    assert.ok(Math.abs(Number(span.attributes['metronome.failover.position_ms']) - failover.positionMs) < 3_000);
    const patch = await bot.receiver.waitFor(() =>
      spans().find((s) => s.parentSpanId === span.spanId && s.kind === 'client'),
    );
    assert.ok(String(patch.attributes['url.full']).startsWith(`${failover.to.url}/v4/sessions/`));

    const down = await metric(
      'metronome.lavalink.node.up',
      (m) => m.attributes['lavalink.node'] === failover.from.name && m.value === 0,
    );
    assert.equal(down.unit, '1');
  });

  it('WHEN the dead node comes back THEN it is connected again and readiness lists lavalink ok', async () => {
    failover.from.revive();
    await bot.lavalinkConnected(failover.from.name);
    const ready = await fetch(`${bot.healthUrl}/readyz?verbose`);
    const text = await ready.text();
    assert.equal(ready.status, 200, text);
    assert.match(text, /\[\+\]lavalink ok/);
    assert.match(text, /\[\+\]discord ok/);
    assert.equal(bot.app.lavalink.player(guild().id)?.node, failover.to.name, 'the player stays where it moved');
  });

  it('THEN the revived node no longer plays the copy of the moved player', async () => {
    await eventually(
      'the stale copy on the revived node to be removed',
      () => !failover.from.players().some((p) => p.guildId === guild().id && p.track !== null),
      2_000,
    );
  });

  it('WHEN alice plays a link to the Lavalink port on loopback THEN it is refused and never reaches /v4/loadtracks', async () => {
    const hostile = 'http://127.0.0.1:2333/';
    const loadsBefore = bot.lavalink.flatMap((n) => n.requests).filter((r) => r.route === '/v4/loadtracks').length;
    const play = start('alice', { command: 'play', options: { query: hostile } });
    const reply = await play.reply({ timeoutMs: 10_000 });
    assert.equal(reply.content, 'That link points to a private or reserved address, so I will not fetch it.');
    const span = await commandSpan(play.interactionId);
    assert.equal(span.attributes['metronome.outcome'], 'user_error');
    await metric(
      'metronome.command.duration',
      (m) => m.attributes.command === 'play' && m.attributes.outcome === 'user_error',
    );
    const loads = bot.lavalink.flatMap((n) => n.requests).filter((r) => r.route === '/v4/loadtracks');
    assert.equal(loads.length, loadsBefore, 'no load after the refusal');
    assert.ok(!loads.some((r) => decodeURIComponent(r.query).includes('127.0.0.1')));
    assert.equal(titleOn(serving().player), failover.track, 'the music plays on');
  });

  it('THEN every music and Lavalink instrument arrives with the attributes of the contract', async () => {
    const load = await metric(
      'metronome.track.load.duration',
      (m) => m.attributes.source === 'youtube' && m.attributes.result === 'search',
    );
    assert.equal(load.kind, 'histogram');
    assert.equal(load.unit, 's');
    assert.deepEqual(load.explicitBounds, DurationBuckets);
    await metric(
      'metronome.track.load.duration',
      (m) => m.attributes.source === 'youtube' && m.attributes.result === 'playlist',
    );
    const starts = await metric('metronome.track.events', (m) => m.attributes.event === 'start' && (m.value ?? 0) >= 2);
    assert.equal(starts.kind, 'sum');
    await metric('metronome.track.events', (m) => m.attributes.event === 'end');
    const played = await metric('metronome.playback.time', (m) => m.attributes.source === 'youtube');
    assert.equal(played.unit, 's');
    await metric(
      'metronome.player.count',
      (m) => m.attributes['lavalink.node'] === failover.to.name && m.attributes.state === 'playing' && m.value === 1,
    );
    await metric('metronome.player.count', (m) => m.attributes.state === 'idle');
    const queued = await metric('metronome.queue.tracks', (m) => m.value === 7);
    assert.deepEqual(queued.attributes, {});
    const attempts = await metric('metronome.voice.connection.attempts', (m) => m.attributes.outcome === 'success');
    assert.equal(attempts.value, 1);
    const connections = await metric('metronome.voice.connections', (m) => m.value === 1);
    assert.deepEqual(connections.attributes, {});

    for (const node of bot.lavalink) {
      const of = (m: ReceivedMetric) => m.attributes['lavalink.node'] === node.name;
      await metric('metronome.lavalink.node.up', (m) => of(m) && m.value === 1);
      await metric('metronome.lavalink.node.players', (m) => of(m) && m.attributes.state === 'total');
      await metric('metronome.lavalink.node.players', (m) => of(m) && m.attributes.state === 'playing');
      await metric('metronome.lavalink.node.cpu.load', (m) => of(m) && m.attributes.scope === 'system');
      await metric('metronome.lavalink.node.cpu.load', (m) => of(m) && m.attributes.scope === 'lavalink');
      const memory = await metric('metronome.lavalink.node.memory.used', (m) => of(m) && (m.value ?? 0) > 0);
      assert.equal(memory.unit, 'By');
      for (const kind of ['sent', 'nulled', 'deficit'])
        await metric('metronome.lavalink.node.frames', (m) => of(m) && m.attributes.kind === kind);
    }
    await metric(
      'metronome.lavalink.node.players',
      (m) => m.attributes['lavalink.node'] === failover.to.name && m.attributes.state === 'playing' && m.value === 1,
    );

    // No instrument carries a guild, channel, user or track id.
    const ids = [guild().id, guild().textChannelId, channelId('Music'), userId('alice')];
    for (const m of bot.receiver.metrics().filter((p) => p.name.startsWith('metronome.'))) {
      const attributes = JSON.stringify(m.attributes);
      for (const id of ids) assert.ok(!attributes.includes(id), `${m.name} carries id ${id}`);
    }
  });

  it('THEN neither the Lavalink password nor the Discord token appears in any exported span, metric or log', async () => {
    await bot.telemetry.forceFlush();
    const replacer = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);
    const exported = JSON.stringify([bot.receiver.spans(), bot.receiver.metrics(), bot.receiver.logs()], replacer);
    assert.ok(exported.length > 10_000, 'something was exported');
    assert.ok(bot.receiver.logs().some((l) => l.body === 'moved a player to another lavalink node'));
    for (const secret of [SandboxLavalinkPassword, SandboxToken]) {
      assert.ok(!exported.includes(secret), 'exported telemetry carries a secret');
      assert.ok(!bot.lines.join('\n').includes(secret), 'a local log line carries a secret');
    }
    const health = await (await fetch(`${bot.healthUrl}/healthz`)).text();
    assert.ok(!health.includes(SandboxLavalinkPassword));
  });
});
