import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, OverwriteType, PermissionFlagsBits } from 'discord.js';
import type { Logger } from 'pino';
import { StageSpeaker } from '../../src/discord/StageSpeaker.js';
import type { MusicServiceEvents } from '../../src/music/MusicServiceApi.js';
import type { GuildSpec, SandboxDiscord } from '../../src/sandbox/discord/index.js';
import type { SandboxGuild } from '../../src/sandbox/discord/state/SandboxGuild.js';
import { until } from '../sandbox/lavalink/until.js';
import { BotVoiceFixture } from './BotVoiceFixture.js';

const stages: GuildSpec = {
  name: 'Stages',
  channels: [
    { name: 'general', kind: 'text' },
    {
      name: 'Moderated',
      kind: 'stage',
      permissionOverwrites: [{ id: 'Metronome', type: OverwriteType.Role, allow: PermissionFlagsBits.MuteMembers }],
    },
    { name: 'Audience', kind: 'stage' },
    {
      name: 'Closed',
      kind: 'stage',
      permissionOverwrites: [{ id: '@everyone', type: OverwriteType.Role, deny: PermissionFlagsBits.RequestToSpeak }],
    },
    { name: 'Lounge', kind: 'voice' },
  ],
  members: [{ username: 'alice', owner: true }],
};

/**
 * The stage speaker on the real discord.js client against the sandbox Discord; the music service is a bare emitter,
 * since only its track starts (naming the text channel) matter here. The tests move the bot as a join would.
 */
describe('StageSpeaker: the bot entering stage channels', () => {
  let fixture: BotVoiceFixture;
  let discord: SandboxDiscord;
  let client: Client<true>;
  let guild: SandboxGuild;
  let logger: Logger;
  const botState = () => guild.voiceStates.get(discord.botUser.id);
  const notices = () => discord.channelMessages(guild.textChannelId).filter((m) => m.content.startsWith('🎙️'));

  before(async () => {
    fixture = await BotVoiceFixture.start({ guilds: [stages] });
    ({ discord, client, guild, logger } = fixture);
  });
  after(async () => {
    await fixture[Symbol.asyncDispose]();
  });
  afterEach(async () => {
    await moveBot(null);
    assert.deepEqual(fixture.warnings.splice(0), [], 'the speaker logged no failure');
  });

  const moveBot = (channel: string | null) => fixture.moveBot(channel);

  const trackStart = (music: EventEmitter<MusicServiceEvents>, textChannelId = guild.textChannelId) =>
    music.emit('trackStart', { guildId: guild.id, textChannelId, track: undefined as never });

  it('GIVEN Mute Members WHEN the bot enters a stage THEN it becomes a speaker and says nothing', async () => {
    const music = new EventEmitter<MusicServiceEvents>();
    using _speaker = new StageSpeaker(client, music, logger);
    trackStart(music);
    await moveBot('Moderated');
    await until(() => botState()?.suppress === false, 'the bot a speaker');
    assert.deepEqual(notices(), []);
  });

  it('GIVEN it is a speaker WHEN a moderator moves it to the audience THEN it stays there', async () => {
    const music = new EventEmitter<MusicServiceEvents>();
    using _speaker = new StageSpeaker(client, music, logger);
    await moveBot('Moderated');
    await until(() => botState()?.suppress === false, 'the bot a speaker');
    discord.setSpeaker(guild.id, discord.botUser.id, false);
    await until(
      () => client.guilds.cache.get(guild.id)?.members.me?.voice.suppress === true,
      'the bot in the audience',
    );
    await sleep(100);
    assert.equal(botState()?.suppress, true);
  });

  it('GIVEN no Mute Members WHEN the refusal comes before any track starts THEN the first track start tells the channel', async () => {
    const music = new EventEmitter<MusicServiceEvents>();
    using _speaker = new StageSpeaker(client, music, logger);
    const before = notices().length;
    await moveBot('Audience');
    await until(() => botState()?.requestToSpeakTimestamp != null, 'the bot asking to speak');
    await sleep(50);
    assert.equal(notices().length, before, 'nowhere to tell yet');
    trackStart(music, '');
    await sleep(50);
    assert.equal(notices().length, before, 'the text channel is gone');
    trackStart(music);
    await until(() => notices().length === before + 1, 'the notice');
    trackStart(music);
    await sleep(50);
    assert.equal(notices().length, before + 1, 'told once');
  });

  it('GIVEN neither Mute Members nor Request to Speak WHEN the bot enters the stage THEN the channel is told it may not even ask', async () => {
    const music = new EventEmitter<MusicServiceEvents>();
    using _speaker = new StageSpeaker(client, music, logger);
    trackStart(music);
    const before = notices().length;
    await moveBot('Closed');
    await until(() => notices().length > before, 'the notice');
    const notice = notices()[before];
    assert.match(
      notice?.content ?? '',
      /^🎙️ I joined <#\d+> as a listener, so nobody can hear me yet\. I may not even ask/,
    );
    assert.equal(botState()?.requestToSpeakTimestamp ?? null, null, 'no request was accepted');
  });

  it('WHEN the bot enters a voice channel THEN it asks nothing', async () => {
    const music = new EventEmitter<MusicServiceEvents>();
    using _speaker = new StageSpeaker(client, music, logger);
    const requests = discord.requests.length;
    await moveBot('Lounge');
    await sleep(50);
    assert.deepEqual(
      discord.requests.slice(requests).filter((r) => r.path.includes('voice-states')),
      [],
    );
  });
});
