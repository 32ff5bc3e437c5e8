import type { App } from '../app.js';
import type { FailoverEvent } from '../lavalink/index.js';
import type { SandboxDiscord } from './discord/SandboxDiscord.js';
import type { SandboxLavalink } from './lavalink/SandboxLavalink.js';

/** What the music part of the demo saw. */
export interface MusicDemoResult {
  readonly runs: { label: string; command: string; ms: number; reply: string }[];
  readonly failover:
    | {
        readonly from: string;
        readonly to: string;
        readonly outcome: string;
        readonly track: string;
        readonly positionBeforeMs: number;
        readonly positionAfterMs: number;
        readonly sameTrack: boolean;
        readonly tookMs: number;
      }
    | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Three members in the Music channel play a track and a playlist across two sandbox Lavalink nodes; midway the node
 * serving the guild is killed, and the player must carry on on the other node with the same track and position.
 */
export async function runMusicScript(
  discord: SandboxDiscord,
  app: App,
  nodes: readonly SandboxLavalink[],
): Promise<MusicDemoResult> {
  const guild = discord.guilds[0];
  if (!guild) throw new Error('the sandbox has no guild');
  const [alice, bob, carol] = guild.memberIds;
  const music = guild.voiceChannelIds.at(-1);
  if (!alice || !bob || !carol || !music) throw new Error('the sandbox guild lacks members or a voice channel');
  for (const member of [alice, bob, carol]) discord.moveMember(guild.id, member, music);

  const runs: MusicDemoResult['runs'] = [];
  const run = async (label: string, userId: string, command: string, options?: Record<string, string | number>) => {
    const started = performance.now();
    const interaction = discord.runCommand({
      guildId: guild.id,
      channelId: guild.textChannelId,
      userId,
      command,
      ...(options ? { options } : {}),
    });
    const reply = await interaction.reply({ timeoutMs: 20_000 });
    const text = reply.content || reply.embeds?.[0]?.description || reply.embeds?.[0]?.title || '[embed]';
    runs.push({ label, command, ms: performance.now() - started, reply: text.split('\n')[0] ?? '' });
  };

  await run('play search', alice, 'play', { query: 'night drive' });
  await run('play playlist', alice, 'play', { query: 'https://sandbox.test/playlist/road-trip' });
  await run('queue', bob, 'queue');
  await sleep(1_500);
  await run('nowplaying', bob, 'nowplaying');

  // Kill the node serving the guild while the track plays.
  const player = app.lavalink.player(guild.id);
  const serving = nodes.find((n) => n.name === player?.node);
  let failover: MusicDemoResult['failover'];
  if (player && serving) {
    const before = serving.player(guild.id);
    const moved = new Promise<FailoverEvent>((resolve) => app.lavalink.once('failover', (event) => resolve(event)));
    const killedAt = performance.now();
    serving.kill();
    const event = await Promise.race([moved, sleep(15_000).then(() => undefined)]);
    const tookMs = performance.now() - killedAt;
    const other = nodes.find((n) => n.name === event?.to);
    const after = other?.player(guild.id);
    failover = {
      from: event?.from ?? serving.name,
      to: event?.to ?? 'none',
      outcome: event?.outcome ?? 'timed out',
      track: before?.track?.info.title ?? 'unknown',
      positionBeforeMs: before?.position ?? 0,
      positionAfterMs: after?.position ?? 0,
      sameTrack: before?.track?.encoded !== undefined && before.track.encoded === after?.track?.encoded,
      tookMs,
    };
  }
  await run('nowplaying after failover', bob, 'nowplaying');
  await run('skip', carol, 'skip');
  await run('stop', carol, 'stop');
  return { runs, failover };
}
