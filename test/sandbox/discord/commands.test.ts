import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationCommandOptionType, type Client, DiscordAPIError, Events, SlashCommandBuilder } from 'discord.js';
import { SandboxDiscord } from '../../../src/sandbox/discord/index.js';
import { loginClient } from './loginClient.js';

const play = new SlashCommandBuilder()
  .setName('play')
  .setDescription('Play a track')
  .addStringOption((o) => o.setName('query').setDescription('What to play').setRequired(true))
  .addIntegerOption((o) => o.setName('count').setDescription('How many times'))
  .addUserOption((o) => o.setName('for').setDescription('Dedicated to'));
const queue = new SlashCommandBuilder()
  .setName('queue')
  .setDescription('Queue management')
  .addSubcommand((s) =>
    s
      .setName('remove')
      .setDescription('Remove a track')
      .addIntegerOption((o) => o.setName('position').setDescription('Position').setRequired(true)),
  );

describe('sandbox Discord application commands', () => {
  let sandbox: SandboxDiscord;
  let client: Client<true>;

  before(async () => {
    sandbox = await SandboxDiscord.start();
    client = await loginClient(sandbox);
  });
  after(async () => {
    await client.destroy();
    await sandbox.close();
  });

  it('stores commands set with client.application.commands.set() and returns them with ids', async () => {
    const created = await client.application.commands.set([play.toJSON(), queue.toJSON()]);
    assert.equal(created.size, 2);
    const stored = sandbox.commands();
    assert.deepEqual(
      stored.map((c) => c.name),
      ['play', 'queue'],
    );
    assert.ok(stored.every((c) => /^\d{17,20}$/.test(c.id) && c.application_id === sandbox.applicationId));
    const fetched = await client.application.commands.fetch({ force: true });
    assert.deepEqual([...fetched.keys()].sort(), stored.map((c) => c.id).sort());
    assert.equal(
      sandbox.requests
        .filter((r) => r.route === '/applications/:applicationId/commands')
        .map((r) => r.method)
        .join(),
      'PUT,GET',
    );
  });

  it('keeps command ids across a bulk overwrite and drops missing commands', async () => {
    const before = sandbox.commands().find((c) => c.name === 'play')?.id;
    await client.application.commands.set([play.toJSON()]);
    const after = sandbox.commands();
    assert.equal(after.length, 1);
    assert.equal(after[0]?.id, before);
  });

  it('stores guild commands separately from global ones', async () => {
    const guild = client.guilds.cache.get(sandbox.guilds[0]!.id)!;
    await guild.commands.set([queue.toJSON()]);
    assert.deepEqual(
      sandbox.commands(guild.id).map((c) => [c.name, c.guild_id]),
      [['queue', guild.id]],
    );
    const fetched = await guild.commands.fetch();
    assert.equal(fetched.first()?.name, 'queue');
  });

  it('rejects an invalid command name with Invalid Form Body', async () => {
    await assert.rejects(
      client.application.commands.create({ name: 'Bad Name', description: 'nope' }),
      (error: unknown) => error instanceof DiscordAPIError && error.code === 50035 && error.status === 400,
    );
  });

  it('sends registered ids and option types in interactions', async () => {
    const seen = new Promise<string>((resolve) => {
      client.once(Events.InteractionCreate, (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        const count = interaction.options.getInteger('count');
        const dedicated = interaction.options.getUser('for');
        resolve(
          `${interaction.commandId} ${interaction.options.getString('query')} ${count} ${typeof count} ${dedicated?.username}`,
        );
        void interaction.reply('ok');
      });
    });
    const run = sandbox.runCommand({ command: 'play', options: { query: 'lofi', count: 3, for: 'bob' } });
    const id = sandbox.commands().find((c) => c.name === 'play')?.id;
    assert.equal(await seen, `${id} lofi 3 number bob`);
    await run.reply();
  });

  it('nests subcommand options the way Discord does', async () => {
    const seen = new Promise<string>((resolve) => {
      client.once(Events.InteractionCreate, (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        resolve(`${interaction.options.getSubcommand()} ${interaction.options.getInteger('position')}`);
        void interaction.reply('removed');
      });
    });
    const guild = sandbox.guilds[0]!;
    const run = sandbox.runCommand({ command: 'queue', subcommand: 'remove', options: { position: 2 } });
    assert.equal(await seen, 'remove 2');
    const data = run.payload.data as { guild_id?: string; options?: { type: number }[] };
    assert.equal(data.guild_id, guild.id);
    assert.equal(data.options?.[0]?.type, ApplicationCommandOptionType.Subcommand);
    await run.reply();
  });
});
