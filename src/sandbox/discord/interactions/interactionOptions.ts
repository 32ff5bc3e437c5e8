import {
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  type APIInteractionDataResolved,
  ApplicationCommandOptionType,
} from 'discord-api-types/v10';
import { channelPayload, memberPayload, rolePayload, userPayload } from '../state/guildPayloads.js';
import type { SandboxGuild } from '../state/SandboxGuild.js';
import type { AutocompleteRunInput, ChatInputRunInput, OptionValue } from './RunCommandInput.js';

/** `data.options` and `data.resolved` of a chat input or autocomplete interaction. */
export interface ResolvedOptions {
  readonly options?: APIApplicationCommandInteractionDataOption[];
  readonly resolved?: APIInteractionDataResolved;
}

interface DataOption {
  name: string;
  type: ApplicationCommandOptionType;
  value?: OptionValue;
  focused?: boolean;
  options?: DataOption[];
}

/**
 * Builds the option tree Discord sends: leaf options (typed from the registered command, else, for stale input,
 * inferred from the JS value) nested under the subcommand and subcommand group, plus `resolved` entries for
 * user, channel, role and mentionable options.
 */
export function resolveOptions(
  input: ChatInputRunInput | AutocompleteRunInput,
  command: APIApplicationCommand | undefined,
  guild: SandboxGuild,
  userId: string,
): ResolvedOptions {
  let definitions: readonly APIApplicationCommandOption[] = command?.options ?? [];
  const pick = (name: string): APIApplicationCommandOption | undefined => definitions.find((o) => o.name === name);
  const groupDefinition = input.subcommandGroup === undefined ? undefined : pick(input.subcommandGroup);
  if (groupDefinition && 'options' in groupDefinition) definitions = groupDefinition.options ?? [];
  const subDefinition = input.subcommand === undefined ? undefined : pick(input.subcommand);
  if (subDefinition && 'options' in subDefinition) definitions = subDefinition.options ?? [];

  const resolved: Required<APIInteractionDataResolved> = {
    users: {},
    members: {},
    roles: {},
    channels: {},
    attachments: {},
  };
  const focused = input.type === 'autocomplete' ? input.focused : undefined;
  const leaves: DataOption[] = Object.entries(input.options ?? {}).map(([name, value]) => {
    const type = pick(name)?.type ?? inferType(value);
    if (name === focused) return { name, type, value: String(value), focused: true };
    return { name, type, value: coerce(type, value, guild, userId, resolved) };
  });
  if (focused !== undefined && !leaves.some((o) => o.focused)) {
    leaves.push({
      name: focused,
      type: pick(focused)?.type ?? ApplicationCommandOptionType.String,
      value: '',
      focused: true,
    });
  }

  let options: DataOption[] = leaves;
  if (input.subcommand !== undefined) {
    options = [{ name: input.subcommand, type: ApplicationCommandOptionType.Subcommand, options }];
  }
  if (input.subcommandGroup !== undefined) {
    options = [{ name: input.subcommandGroup, type: ApplicationCommandOptionType.SubcommandGroup, options }];
  }
  const used = Object.fromEntries(Object.entries(resolved).filter(([, entries]) => Object.keys(entries).length > 0));
  return {
    ...(options.length > 0 ? { options: options as APIApplicationCommandInteractionDataOption[] } : {}),
    ...(Object.keys(used).length > 0 ? { resolved: used } : {}),
  };
}

function inferType(value: OptionValue): ApplicationCommandOptionType {
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number') {
    return Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
  }
  return ApplicationCommandOptionType.String;
}

function coerce(
  type: ApplicationCommandOptionType,
  value: OptionValue,
  guild: SandboxGuild,
  userId: string,
  resolved: Required<APIInteractionDataResolved>,
): OptionValue {
  switch (type) {
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number:
      return Number(value);
    case ApplicationCommandOptionType.Boolean:
      return value === true || value === 'true';
    case ApplicationCommandOptionType.User:
    case ApplicationCommandOptionType.Channel:
    case ApplicationCommandOptionType.Role:
    case ApplicationCommandOptionType.Mentionable:
      return resolveEntity(type, String(value), guild, userId, resolved);
    default:
      return String(value);
  }
}

/** Accepts an id or a name of an entity the option type takes and records it in `resolved`; returns its id. */
function resolveEntity(
  type: ApplicationCommandOptionType,
  ref: string,
  guild: SandboxGuild,
  userId: string,
  resolved: Required<APIInteractionDataResolved>,
): string {
  const takes = (kind: ApplicationCommandOptionType): boolean =>
    type === kind ||
    (type === ApplicationCommandOptionType.Mentionable && kind !== ApplicationCommandOptionType.Channel);
  const member = takes(ApplicationCommandOptionType.User) ? guild.member(ref) : undefined;
  if (member) {
    const { user, ...rest } = memberPayload(member);
    resolved.users[user.id] = userPayload(member.user);
    resolved.members[user.id] = { ...rest, permissions: guild.permissionsOf(user.id).toString() };
    return user.id;
  }
  const channel = takes(ApplicationCommandOptionType.Channel) ? guild.channel(ref) : undefined;
  if (channel) {
    const payload = channelPayload(channel);
    resolved.channels[channel.id] = {
      id: channel.id,
      name: channel.name,
      type: payload.type,
      permissions: guild.permissionsIn(userId, channel.id).toString(),
    } as Required<APIInteractionDataResolved>['channels'][string];
    return channel.id;
  }
  const role = takes(ApplicationCommandOptionType.Role) ? guild.role(ref) : undefined;
  if (role) {
    resolved.roles[role.id] = rolePayload(role);
    return role.id;
  }
  return ref;
}
