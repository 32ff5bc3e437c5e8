import {
  type APIInteraction,
  type APIMessage,
  ApplicationCommandType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  type Locale,
} from 'discord-api-types/v10';
import { channelPayload, memberPayload, userPayload } from '../state/guildPayloads.js';
import type { SandboxGuild } from '../state/SandboxGuild.js';
import type { SandboxState } from '../state/SandboxState.js';
import { randomToken } from '../util/randomToken.js';
import type { InteractionInit } from './InteractionRecord.js';
import { resolveOptions } from './interactionOptions.js';
import type { ComponentRunInput, RunCommandInput } from './RunCommandInput.js';
import { validateCommandInput } from './validateCommandInput.js';

/** Discord's upload limit for guilds without boosts. */
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

/** A ready-to-dispatch INTERACTION_CREATE payload and the facts the server keeps about it. */
export interface BuiltInteraction {
  readonly payload: APIInteraction;
  readonly init: InteractionInit;
}

/** Builds the INTERACTION_CREATE payload Discord would send for a simulated user action. */
export function buildInteraction(state: SandboxState, input: RunCommandInput): BuiltInteraction {
  const guild = input.guildId === undefined ? state.guilds.values().next().value : state.guild(input.guildId);
  if (!guild) throw new Error(`The sandbox has no guild ${input.guildId ?? '(none configured)'}`);
  const channel = input.channelId === undefined ? guild.textChannels[0] : guild.channel(input.channelId);
  if (!channel) throw new Error(`Guild ${guild.name} has no channel ${input.channelId ?? '(no text channel)'}`);
  const member =
    input.userId === undefined ? [...guild.members.values()].find((m) => !m.user.bot) : guild.member(input.userId);
  if (!member) throw new Error(`Guild ${guild.name} has no member ${input.userId ?? '(no human member)'}`);

  const id = state.snowflakes.next();
  // Real interaction tokens are base64 of "interaction:<id>:<secret>".
  const token = Buffer.from(`interaction:${id}:${randomToken(64)}`).toString('base64url');
  const userId = member.user.id;
  // Like Discord, the member's and the app's permissions are those in the channel, overwrites applied.
  const permissions = guild.permissionsIn(userId, channel.id).toString();
  const base = {
    id,
    application_id: state.applicationId,
    token,
    version: 1 as const,
    guild: { id: guild.id, locale: guild.preferredLocale as Locale, features: [] },
    guild_id: guild.id,
    channel: { ...channelPayload(channel), permissions },
    channel_id: channel.id,
    member: { ...memberPayload(member), permissions, user: userPayload(member.user) },
    app_permissions: guild.permissionsIn(state.bot.id, channel.id).toString(),
    locale: (input.locale ?? 'en-US') as Locale,
    guild_locale: guild.preferredLocale as Locale,
    entitlements: [],
    authorizing_integration_owners: { 0: guild.id },
    context: InteractionContextType.Guild,
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
  const init = (type: InteractionType, commandName: string | null, sourceMessage: APIMessage | null) => ({
    id,
    token,
    type,
    commandName,
    guildId: guild.id,
    channelId: channel.id,
    user: userPayload(member.user),
    sourceMessage,
  });

  if (isComponentInput(input)) {
    const message = findComponentMessage(state, guild, channel.id, input.customId, input.messageId);
    const data =
      input.type === 'button'
        ? { custom_id: input.customId, component_type: ComponentType.Button as const }
        : {
            custom_id: input.customId,
            component_type: ComponentType.StringSelect as const,
            values: [...(input.values ?? [])],
          };
    return {
      payload: { ...base, type: InteractionType.MessageComponent, data, message } as APIInteraction,
      init: init(InteractionType.MessageComponent, null, message),
    };
  }

  const command = state.commands.findByName(input.command, guild.id);
  if (!input.stale) validateCommandInput(input, command, guild);
  const data = {
    // A stale client still sends the id of a command since deleted.
    id: command?.id ?? state.snowflakes.next(),
    name: input.command,
    type: ApplicationCommandType.ChatInput as const,
    ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
    ...resolveOptions(input, command, guild, userId),
  };
  const type =
    input.type === 'autocomplete' ? InteractionType.ApplicationCommandAutocomplete : InteractionType.ApplicationCommand;
  return {
    payload: { ...base, type, data } as APIInteraction,
    init: init(type, input.command, null),
  };
}

/** The message a component lives on: by id, else the newest one in the channel with that custom id. */
function findComponentMessage(
  state: SandboxState,
  guild: SandboxGuild,
  channelId: string,
  customId: string,
  messageId: string | undefined,
): APIMessage {
  const ephemeral = [...state.interactions.values()]
    .filter((r) => r.init.channelId === channelId)
    .flatMap((r) => r.messages());
  const candidates = [...state.messages.list(channelId), ...ephemeral].sort((a, b) =>
    BigInt(a.id) < BigInt(b.id) ? 1 : -1,
  );
  const found =
    messageId === undefined
      ? candidates.find((m) => hasCustomId(m.components, customId))
      : candidates.find((m) => m.id === messageId);
  if (!found) {
    throw new Error(
      `No message ${messageId ?? `with a component '${customId}'`} in channel ${channelId} of guild ${guild.name}`,
    );
  }
  return found;
}

function hasCustomId(node: unknown, customId: string): boolean {
  if (Array.isArray(node)) return node.some((child) => hasCustomId(child, customId));
  if (typeof node !== 'object' || node === null) return false;
  const record = node as Record<string, unknown>;
  if (record.custom_id === customId) return true;
  return hasCustomId(record.components, customId) || hasCustomId(record.accessory, customId);
}

function isComponentInput(input: RunCommandInput): input is ComponentRunInput {
  return input.type === 'button' || input.type === 'select';
}
