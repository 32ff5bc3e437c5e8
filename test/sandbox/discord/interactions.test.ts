import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type Client,
  EmbedBuilder,
  Events,
  type Interaction,
  MessageFlags,
  ModalBuilder,
  SlashCommandBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { SandboxDiscord } from '../../../src/sandbox/discord/index.js';
import { loginClient } from './loginClient.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The commands the tiny bot below registers, so the sandbox sends what a Discord client could. */
const commands = [
  ...['ping', 'slow', 'multi', 'secret', 'think', 'buttons', 'form', 'fetched'].map((name) =>
    new SlashCommandBuilder().setName(name).setDescription(`The ${name} command`),
  ),
  new SlashCommandBuilder()
    .setName('where')
    .setDescription('Where the member is')
    .addStringOption((o) => o.setName('q').setDescription('Anything')),
  new SlashCommandBuilder()
    .setName('play')
    .setDescription('Play a track')
    .addStringOption((o) => o.setName('query').setDescription('What to play').setRequired(true).setAutocomplete(true)),
].map((command) => command.toJSON());

/** A tiny bot: each command exercises one way of answering an interaction. */
async function answer(interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) {
    const typed = interaction.options.getFocused();
    await interaction.respond([{ name: `${typed} (live)`, value: `${typed}-live` }]);
    return;
  }
  if (interaction.isButton() && interaction.customId === 'slowly') {
    await interaction.deferUpdate();
    await interaction.editReply({ content: 'updated slowly', components: [] });
    return;
  }
  if (interaction.isButton()) {
    await interaction.update({ content: `clicked ${interaction.customId}`, components: [] });
    return;
  }
  if (!interaction.isChatInputCommand()) return;
  switch (interaction.commandName) {
    case 'ping':
      await interaction.reply('Pong!');
      return;
    case 'slow':
      await interaction.deferReply();
      await sleep(30);
      await interaction.editReply({ embeds: [new EmbedBuilder().setTitle('Now playing').setDescription('A song')] });
      return;
    case 'multi':
      await interaction.reply('first');
      await interaction.followUp('second');
      return;
    case 'secret':
      await interaction.reply({ content: 'only you', flags: MessageFlags.Ephemeral });
      return;
    case 'think':
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.followUp({ content: 'thought about it' });
      return;
    case 'where': {
      const member = interaction.guild?.members.cache.get(interaction.user.id);
      await interaction.reply(
        `in ${member?.voice.channel?.name ?? 'nowhere'}; opt ${interaction.options.getString('q')}`,
      );
      return;
    }
    case 'buttons':
      await interaction.reply({
        content: 'pick',
        components: [
          new ActionRowBuilder<ButtonBuilder>().addComponents(
            new ButtonBuilder().setCustomId('again').setLabel('Again').setStyle(ButtonStyle.Primary),
            new ButtonBuilder().setCustomId('slowly').setLabel('Slowly').setStyle(ButtonStyle.Secondary),
          ),
        ],
      });
      return;
    case 'form':
      await interaction.showModal(
        new ModalBuilder()
          .setCustomId('playlist')
          .setTitle('New playlist')
          .addComponents(
            new ActionRowBuilder<TextInputBuilder>().addComponents(
              new TextInputBuilder().setCustomId('name').setLabel('Name').setStyle(TextInputStyle.Short),
            ),
          ),
      );
      return;
    case 'fetched': {
      const response = await interaction.reply({ content: 'with response', withResponse: true });
      await interaction.followUp(`resource says: ${response.resource?.message?.content}`);
      return;
    }
  }
}

describe('sandbox Discord interactions', () => {
  let sandbox: SandboxDiscord;
  let client: Client<true>;
  const errors: unknown[] = [];

  before(async () => {
    sandbox = await SandboxDiscord.start({ heartbeatIntervalMs: 1000 });
    client = await loginClient(sandbox);
    await client.application.commands.set(commands);
    client.on(Events.InteractionCreate, (interaction) => {
      answer(interaction).catch((error: unknown) => errors.push(error));
    });
  });
  after(async () => {
    await client.destroy();
    await sandbox.close();
    assert.deepEqual(errors, []);
  });

  it('shows interaction.reply() as the first visible response', async () => {
    const run = sandbox.runCommand({ command: 'ping' });
    const reply = await run.reply();
    assert.equal(reply.content, 'Pong!');
    assert.equal(reply.kind, 'reply');
    assert.equal(reply.type, 4);
    assert.equal(reply.ephemeral, false);
    const guild = sandbox.guilds[0]!;
    assert.ok(sandbox.channelMessages(guild.textChannelId).some((m) => m.id === reply.messageId));
    assert.equal(reply.message?.interaction_metadata?.id, run.interactionId);
  });

  it('waits through deferReply for the editReply that fills it in', async () => {
    const run = sandbox.runCommand({ command: 'slow' });
    const reply = await run.reply();
    assert.equal(reply.kind, 'edit');
    assert.equal(reply.type, 5);
    assert.equal(reply.embeds[0]?.title, 'Now playing');
    assert.deepEqual(
      run.messages.map((m) => m.kind),
      ['deferred', 'edit'],
    );
    assert.equal(run.messages[0]?.messageId, reply.messageId);
  });

  it('records follow-ups after the reply, in order', async () => {
    const run = sandbox.runCommand({ command: 'multi' });
    const followUp = await run.waitFor((m) => m.kind === 'followUp');
    assert.equal(followUp.content, 'second');
    assert.equal(followUp.type, null);
    assert.deepEqual(
      run.messages.map((m) => m.content),
      ['first', 'second'],
    );
  });

  it('keeps ephemeral replies out of the channel', async () => {
    const run = sandbox.runCommand({ command: 'secret' });
    const reply = await run.reply();
    assert.equal(reply.ephemeral, true);
    assert.equal(reply.flags & MessageFlags.Ephemeral, MessageFlags.Ephemeral);
    const guild = sandbox.guilds[0]!;
    assert.ok(!sandbox.channelMessages(guild.textChannelId).some((m) => m.id === reply.messageId));
  });

  it('lets the first follow-up after an ephemeral deferral replace the thinking message', async () => {
    const run = sandbox.runCommand({ command: 'think' });
    const reply = await run.reply();
    assert.equal(reply.kind, 'followUp');
    assert.equal(reply.content, 'thought about it');
    assert.equal(reply.ephemeral, true);
    assert.equal(reply.messageId, run.messages[0]?.messageId);
  });

  it('sends the member with roles, options and the guild voice state the bot can read', async () => {
    const guild = sandbox.guilds[0]!;
    const voiceUpdate = once(client, Events.VoiceStateUpdate);
    sandbox.moveMember(guild.id, 'alice', 'Lounge');
    await voiceUpdate;
    const run = sandbox.runCommand({ command: 'where', userId: 'alice', options: { q: 'lofi' } });
    const reply = await run.reply();
    assert.equal(reply.content, 'in Lounge; opt lofi');
    const payload = run.payload;
    assert.equal(payload.guild_id, guild.id);
    assert.ok(payload.member?.roles.includes(guild.role('Admin')!.id));
    assert.equal(payload.member?.user.username, 'alice');
    assert.equal(payload.version, 1);
    sandbox.moveMember(guild.id, 'alice', null);
  });

  it('routes button clicks to the message that carries the button and records the update', async () => {
    const first = await sandbox.runCommand({ command: 'buttons' }).reply();
    const click = sandbox.runCommand({ type: 'button', customId: 'again', userId: 'bob' });
    const update = await click.reply();
    assert.equal(update.kind, 'update');
    assert.equal(update.content, 'clicked again');
    assert.equal(update.messageId, first.messageId);
    const guild = sandbox.guilds[0]!;
    const stored = sandbox.channelMessages(guild.textChannelId).find((m) => m.id === first.messageId);
    assert.equal(stored?.content, 'clicked again');
  });

  it('lets a deferred component update be completed by editReply on the clicked message', async () => {
    const first = await sandbox.runCommand({ command: 'buttons' }).reply();
    const click = sandbox.runCommand({ type: 'button', customId: 'slowly', messageId: first.messageId! });
    const update = await click.reply();
    assert.equal(update.kind, 'edit');
    assert.equal(update.type, 6);
    assert.equal(update.messageId, first.messageId);
    assert.equal(update.content, 'updated slowly');
  });

  it('records a modal shown in answer to a command', async () => {
    const reply = await sandbox.runCommand({ command: 'form' }).reply();
    assert.equal(reply.kind, 'modal');
    assert.equal(reply.modal?.custom_id, 'playlist');
    assert.equal(reply.modal?.title, 'New playlist');
  });

  it('answers autocomplete with the choices the bot responded', async () => {
    const run = sandbox.runCommand({
      type: 'autocomplete',
      command: 'play',
      options: { query: 'never' },
      focused: 'query',
    });
    const reply = await run.reply();
    assert.equal(reply.kind, 'autocomplete');
    assert.deepEqual(reply.choices, [{ name: 'never (live)', value: 'never-live' }]);
  });

  it('returns the interaction callback response when asked with_response', async () => {
    const run = sandbox.runCommand({ command: 'fetched' });
    const followUp = await run.waitFor((m) => m.kind === 'followUp');
    assert.equal(followUp.content, 'resource says: with response');
    const callback = sandbox.requests.find(
      (r) => r.path.endsWith('/callback') && r.query.includes('with_response=true'),
    );
    assert.equal(callback?.status, 200);
  });

  it('refuses a second callback as already acknowledged', async () => {
    const run = sandbox.runCommand({ command: 'ping' });
    await run.reply();
    const url = `${sandbox.restUrl}/v10/interactions/${run.interactionId}/${run.token}/callback`;
    const again = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'again' } }),
    });
    assert.equal(again.status, 400);
    assert.deepEqual(await again.json(), { message: 'Interaction has already been acknowledged.', code: 40060 });
  });
});

describe('sandbox Discord interaction deadline', () => {
  it('answers a late first callback with Unknown interaction', async () => {
    await using sandbox = await SandboxDiscord.start({ interactionResponseDeadlineMs: 50 });
    const client = await loginClient(sandbox);
    await client.application.commands.set(commands);
    const failures: unknown[] = [];
    client.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await sleep(120);
      await interaction.reply('too late').catch((error: unknown) => failures.push(error));
    });
    const run = sandbox.runCommand({ command: 'ping' });
    const deadline = Date.now() + 2000;
    while (failures.length === 0 && Date.now() < deadline) await sleep(20);
    await client.destroy();
    assert.equal((failures[0] as { code?: number }).code, 10062);
    assert.equal(run.acknowledged, false);
  });
});
