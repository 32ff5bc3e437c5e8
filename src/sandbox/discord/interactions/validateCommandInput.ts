import {
  type APIApplicationCommand,
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
  type ChannelType,
} from 'discord-api-types/v10';
import type { SandboxGuild } from '../state/SandboxGuild.js';
import { CommandInputError } from './CommandInputError.js';
import type { AutocompleteRunInput, ChatInputRunInput, OptionValue } from './RunCommandInput.js';

/** The limits a leaf option may carry, whatever its type. */
interface OptionLimits {
  readonly required?: boolean;
  readonly autocomplete?: boolean;
  readonly choices?: readonly { readonly value: string | number }[];
  readonly min_value?: number;
  readonly max_value?: number;
  readonly min_length?: number;
  readonly max_length?: number;
  readonly channel_types?: readonly ChannelType[];
}

type LeafOption = APIApplicationCommandOption & OptionLimits;

// Discord's bounds when an option sets none.
const MAX_STRING_LENGTH = 6000;
const MAX_NUMBER = 2 ** 53;

const isParent = (o: APIApplicationCommandOption): boolean =>
  o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup;

/**
 * Checks a chat input or autocomplete input against the registered command it targets, the way a Discord client
 * only offers what is registered: the command, its subcommand path, option names and types, required options
 * (except while autocompleting), choices, min/max values and lengths, and channel types. Throws a
 * {@link CommandInputError} naming the first mismatch.
 */
export function validateCommandInput(
  input: ChatInputRunInput | AutocompleteRunInput,
  command: APIApplicationCommand | undefined,
  guild: SandboxGuild,
): asserts command is APIApplicationCommand {
  const fail = (problem: string): never => {
    throw new CommandInputError(input.command, problem);
  };
  if (!command) return fail(`no such command is registered, globally or in guild ${guild.name}`);
  const leaves = leafDefinitions(input, command.options ?? [], fail);
  const names = (): string => leaves.map((o) => o.name).join(', ') || 'none';
  const focused = input.type === 'autocomplete' ? input.focused : undefined;
  for (const [name, value] of Object.entries(input.options ?? {})) {
    const definition = leaves.find((o) => o.name === name);
    if (!definition) return fail(`it has no option "${name}" (options: ${names()})`);
    if (name === focused) continue;
    const problem = valueProblem(definition, value, guild);
    if (problem) return fail(`option "${name}" ${problem}`);
  }
  if (focused !== undefined) {
    const definition = leaves.find((o) => o.name === focused);
    if (!definition) return fail(`it has no option "${focused}" to autocomplete (options: ${names()})`);
    if (!definition.autocomplete) return fail(`option "${focused}" does not autocomplete`);
    return;
  }
  const missing = leaves.filter((o) => o.required && input.options?.[o.name] === undefined).map((o) => o.name);
  if (missing.length > 0) fail(`required option${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing`);
}

/** The leaf options of the subcommand (group) the input names, which must be the path the command defines. */
function leafDefinitions(
  input: ChatInputRunInput | AutocompleteRunInput,
  top: readonly APIApplicationCommandOption[],
  fail: (problem: string) => never,
): LeafOption[] {
  let level = top;
  if (input.subcommandGroup !== undefined) {
    const group = top.find((o) => o.name === input.subcommandGroup);
    if (group?.type !== ApplicationCommandOptionType.SubcommandGroup) {
      return fail(`it has no subcommand group "${input.subcommandGroup}"`);
    }
    level = group.options ?? [];
  }
  const subcommands = level.filter(isParent);
  if (input.subcommand === undefined) {
    if (subcommands.length > 0) return fail(`a subcommand is needed (${subcommands.map((o) => o.name).join(', ')})`);
    return level as LeafOption[];
  }
  const subcommand = subcommands.find((o) => o.name === input.subcommand);
  if (subcommand?.type !== ApplicationCommandOptionType.Subcommand) {
    return fail(`it has no subcommand "${input.subcommand}"`);
  }
  return (subcommand.options ?? []) as LeafOption[];
}

/** Why a value cannot be sent for an option, or undefined when a client could send it. */
function valueProblem(definition: LeafOption, value: OptionValue, guild: SandboxGuild): string | undefined {
  const { choices } = definition;
  switch (definition.type) {
    case ApplicationCommandOptionType.String: {
      const text = String(value);
      const min = definition.min_length ?? 0;
      const max = definition.max_length ?? MAX_STRING_LENGTH;
      if (text.length < min || text.length > max) return `must be ${min}-${max} characters long, not ${text.length}`;
      return choices && !choices.some((c) => c.value === text) ? notAChoice(text, choices) : undefined;
    }
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      const integer = definition.type === ApplicationCommandOptionType.Integer;
      const number = toNumber(value);
      if (number === undefined || (integer && !Number.isInteger(number))) {
        return `takes ${integer ? 'an integer' : 'a number'}, not ${JSON.stringify(value)}`;
      }
      const min = definition.min_value ?? -MAX_NUMBER;
      const max = definition.max_value ?? MAX_NUMBER;
      if (number < min || number > max) return `must be between ${min} and ${max}, not ${number}`;
      return choices && !choices.some((c) => c.value === number) ? notAChoice(number, choices) : undefined;
    }
    case ApplicationCommandOptionType.Boolean:
      return typeof value === 'boolean' || value === 'true' || value === 'false'
        ? undefined
        : `takes true or false, not ${JSON.stringify(value)}`;
    case ApplicationCommandOptionType.User:
      return guild.member(String(value)) ? undefined : `takes a member of ${guild.name}, not ${JSON.stringify(value)}`;
    case ApplicationCommandOptionType.Role:
      return guild.role(String(value)) ? undefined : `takes a role of ${guild.name}, not ${JSON.stringify(value)}`;
    case ApplicationCommandOptionType.Mentionable:
      return guild.member(String(value)) || guild.role(String(value))
        ? undefined
        : `takes a member or role of ${guild.name}, not ${JSON.stringify(value)}`;
    case ApplicationCommandOptionType.Channel: {
      const channel = guild.channel(String(value));
      if (!channel) return `takes a channel of ${guild.name}, not ${JSON.stringify(value)}`;
      const allowed = definition.channel_types;
      return allowed && !allowed.includes(channel.type)
        ? `does not take channel ${channel.name} (type ${channel.type})`
        : undefined;
    }
    default:
      return `has type ${definition.type}, which runCommand cannot send`;
  }
}

/** A number as a user types it: a JS number or a numeric string. */
function toNumber(value: OptionValue): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function notAChoice(value: string | number, choices: readonly { readonly value: string | number }[]): string {
  return `must be one of its choices (${choices.map((c) => JSON.stringify(c.value)).join(', ')}), not ${JSON.stringify(value)}`;
}
