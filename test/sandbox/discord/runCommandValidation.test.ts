import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ChannelType, type Client, SlashCommandBuilder } from 'discord.js';
import {
  CommandInputError,
  type RunCommandInput,
  SandboxDiscord,
  type SandboxGuild,
} from '../../../src/sandbox/discord/index.js';
import { loginClient } from './loginClient.js';

const loop = new SlashCommandBuilder()
  .setName('loop')
  .setDescription('Loop mode')
  .addStringOption((o) =>
    o
      .setName('mode')
      .setDescription('Mode')
      .setRequired(true)
      .addChoices({ name: 'Off', value: 'off' }, { name: 'Track', value: 'track' }),
  );
const volume = new SlashCommandBuilder()
  .setName('volume')
  .setDescription('Volume')
  .addIntegerOption((o) => o.setName('level').setDescription('Level').setMinValue(0).setMaxValue(150))
  .addChannelOption((o) => o.setName('in').setDescription('Where').addChannelTypes(ChannelType.GuildVoice))
  .addStringOption((o) => o.setName('note').setDescription('Note').setMaxLength(5));
const queue = new SlashCommandBuilder()
  .setName('queue')
  .setDescription('Queue')
  .addSubcommand((s) => s.setName('view').setDescription('View'))
  .addSubcommand((s) =>
    s
      .setName('remove')
      .setDescription('Remove')
      .addIntegerOption((o) => o.setName('position').setDescription('Position').setRequired(true))
      .addStringOption((o) => o.setName('title').setDescription('Title').setAutocomplete(true)),
  );
const guildOnly = new SlashCommandBuilder().setName('settings').setDescription('Guild settings');

describe('GIVEN registered commands WHEN runCommand gets an input', () => {
  let sandbox: SandboxDiscord;
  let client: Client<true>;
  let guild: SandboxGuild;

  const rejects = (input: RunCommandInput, problem: RegExp) =>
    assert.throws(
      () => sandbox.runCommand(input),
      (error: unknown) => error instanceof CommandInputError && problem.test(error.message),
    );
  const sent = (input: RunCommandInput) => {
    const run = sandbox.runCommand(input);
    // Nobody answers these; the interaction just expires.
    return run.payload.data as { id: string; options?: { name: string; value?: unknown; options?: unknown[] }[] };
  };

  before(async () => {
    sandbox = await SandboxDiscord.start();
    guild = sandbox.guilds[0]!;
    client = await loginClient(sandbox);
    await client.application.commands.set([loop.toJSON(), volume.toJSON(), queue.toJSON()]);
    await client.guilds.cache.get(guild.id)?.commands.set([guildOnly.toJSON()]);
  });
  after(async () => {
    await client?.destroy();
    await sandbox?.close();
  });

  it('THEN an unregistered command is refused, naming the command', () => {
    rejects({ command: 'dance' }, /runCommand \/dance: no such command is registered.*stale: true/);
  });

  it('THEN a guild command runs in its guild', () => {
    assert.equal(sent({ command: 'settings' }).id, sandbox.commands(guild.id)[0]?.id);
  });

  it('THEN an unknown option, a missing required option and a value outside the choices are refused', () => {
    rejects({ command: 'loop', options: { mode: 'off', speed: 2 } }, /no option "speed" \(options: mode\)/);
    rejects({ command: 'loop' }, /required option mode missing/);
    rejects({ command: 'loop', options: { mode: 'forever' } }, /"mode" must be one of its choices \("off", "track"\)/);
    assert.equal(sent({ command: 'loop', options: { mode: 'track' } }).options?.[0]?.value, 'track');
  });

  it('THEN a non-numeric integer, one out of range, a too long string and a channel of the wrong type are refused', () => {
    rejects({ command: 'volume', options: { level: 'loud' } }, /"level" takes an integer, not "loud"/);
    rejects({ command: 'volume', options: { level: 2.5 } }, /takes an integer/);
    rejects({ command: 'volume', options: { level: 151 } }, /"level" must be between 0 and 150, not 151/);
    rejects({ command: 'volume', options: { note: 'too long' } }, /"note" must be 0-5 characters long/);
    rejects({ command: 'volume', options: { in: guild.textChannelId } }, /"in" does not take channel general/);
    rejects({ command: 'volume', options: { in: 'nowhere' } }, /"in" takes a channel/);
    assert.deepEqual(
      sent({ command: 'volume', options: { level: '80', in: guild.voiceChannelIds[0]! } }).options?.map((o) => o.value),
      [80, guild.voiceChannelIds[0]],
    );
  });

  it('THEN the subcommand path must be the registered one', () => {
    rejects({ command: 'queue' }, /a subcommand is needed \(view, remove\)/);
    rejects({ command: 'queue', subcommand: 'clear' }, /no subcommand "clear"/);
    rejects({ command: 'queue', subcommandGroup: 'admin', subcommand: 'view' }, /no subcommand group "admin"/);
    rejects({ command: 'loop', subcommand: 'view', options: { mode: 'off' } }, /no subcommand "view"/);
    assert.equal(sent({ command: 'queue', subcommand: 'view' }).options?.[0]?.name, 'view');
  });

  it('THEN autocomplete may leave required options out, but only focuses an option that autocompletes', () => {
    const focused = sent({ type: 'autocomplete', command: 'queue', subcommand: 'remove', focused: 'title' });
    assert.deepEqual(focused.options?.[0]?.options, [{ name: 'title', type: 3, value: '', focused: true }]);
    rejects(
      { type: 'autocomplete', command: 'queue', subcommand: 'remove', focused: 'position' },
      /"position" does not autocomplete/,
    );
  });

  it('GIVEN stale: true THEN what an outdated client sends goes through as it did', () => {
    const data = sent({ command: 'dance', stale: true, options: { speed: 'fast' } });
    assert.match(data.id, /^\d+$/);
    assert.deepEqual(data.options, [{ name: 'speed', type: 3, value: 'fast' }]);
    const malformed = sent({ command: 'volume', stale: true, options: { level: 'loud' } });
    assert.equal(JSON.parse(JSON.stringify(malformed)).options[0].value, null, 'a non-numeric integer arrives as null');
  });
});
