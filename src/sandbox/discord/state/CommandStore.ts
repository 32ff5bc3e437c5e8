import {
  type APIApplicationCommand,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
} from 'discord-api-types/v10';
import { DiscordApiError } from '../rest/DiscordApiError.js';
import type { SnowflakeGenerator } from '../util/SnowflakeGenerator.js';

/** The command fields a client sends when creating or overwriting commands. */
export type CommandBody = Partial<APIApplicationCommand> & { name: string };

const GLOBAL = 'global';

/** Application commands, global and per guild, with ids and versions assigned the way Discord does. */
export class CommandStore {
  readonly #scopes = new Map<string, Map<string, APIApplicationCommand>>();

  public constructor(
    private readonly applicationId: string,
    private readonly snowflakes: SnowflakeGenerator,
  ) {}

  /** The commands of a scope (`guildId` or global), in creation order. */
  public list(guildId?: string): APIApplicationCommand[] {
    return [...this.#scope(guildId).values()];
  }

  /** A command by id. */
  public get(id: string, guildId?: string): APIApplicationCommand | undefined {
    return this.#scope(guildId).get(id);
  }

  /** The command an interaction named `name` targets: a guild command wins over a global one. */
  public findByName(name: string, guildId?: string): APIApplicationCommand | undefined {
    const matches = (c: APIApplicationCommand): boolean =>
      c.name === name && (c.type ?? ApplicationCommandType.ChatInput) === ApplicationCommandType.ChatInput;
    return (guildId ? this.list(guildId).find(matches) : undefined) ?? this.list().find(matches);
  }

  /**
   * Bulk overwrite (PUT): commands matched by name and type keep their id, the rest are created, and
   * commands missing from the body are deleted.
   */
  public overwrite(bodies: readonly CommandBody[], guildId?: string): APIApplicationCommand[] {
    if (!Array.isArray(bodies)) {
      throw DiscordApiError.invalidFormBody('_root', 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    }
    const scope = this.#scope(guildId);
    const next = new Map<string, APIApplicationCommand>();
    for (const [index, body] of bodies.entries()) {
      validateCommand(body, `${index}`);
      const type = body.type ?? ApplicationCommandType.ChatInput;
      const existing = [...scope.values()].find((c) => c.name === body.name && c.type === type);
      const command = this.#build(body, guildId, existing?.id);
      next.set(command.id, command);
    }
    scope.clear();
    for (const [id, command] of next) scope.set(id, command);
    return this.list(guildId);
  }

  /** Create (POST): an existing command with the same name and type is overwritten, as on Discord. */
  public create(body: CommandBody, guildId?: string): { command: APIApplicationCommand; created: boolean } {
    validateCommand(body);
    const scope = this.#scope(guildId);
    const type = body.type ?? ApplicationCommandType.ChatInput;
    const existing = [...scope.values()].find((c) => c.name === body.name && c.type === type);
    const command = this.#build(body, guildId, existing?.id);
    scope.set(command.id, command);
    return { command, created: existing === undefined };
  }

  /** Edit (PATCH) one command. */
  public edit(id: string, body: Partial<CommandBody>, guildId?: string): APIApplicationCommand | undefined {
    const scope = this.#scope(guildId);
    const existing = scope.get(id);
    if (!existing) return undefined;
    const command = this.#build({ ...existing, ...body }, guildId, id);
    scope.set(id, command);
    return command;
  }

  /** Delete one command; false when it did not exist. */
  public delete(id: string, guildId?: string): boolean {
    return this.#scope(guildId).delete(id);
  }

  #scope(guildId?: string): Map<string, APIApplicationCommand> {
    const key = guildId ?? GLOBAL;
    let scope = this.#scopes.get(key);
    if (!scope) {
      scope = new Map();
      this.#scopes.set(key, scope);
    }
    return scope;
  }

  #build(body: CommandBody, guildId: string | undefined, id: string | undefined): APIApplicationCommand {
    const type = body.type ?? ApplicationCommandType.ChatInput;
    return {
      id: id ?? this.snowflakes.next(),
      application_id: this.applicationId,
      version: this.snowflakes.next(),
      type,
      name: body.name,
      name_localizations: body.name_localizations ?? null,
      description: type === ApplicationCommandType.ChatInput ? (body.description ?? '') : '',
      description_localizations: body.description_localizations ?? null,
      ...(body.options?.length ? { options: body.options } : {}),
      default_member_permissions: body.default_member_permissions ?? null,
      nsfw: body.nsfw ?? false,
      ...(guildId
        ? { guild_id: guildId }
        : {
            dm_permission: body.dm_permission ?? true,
            integration_types: body.integration_types ?? [ApplicationIntegrationType.GuildInstall],
            contexts: body.contexts ?? [
              InteractionContextType.Guild,
              InteractionContextType.BotDM,
              InteractionContextType.PrivateChannel,
            ],
          }),
    };
  }
}

// Discord's naming rule for chat input commands: 1-32 lowercase word characters or dashes.
const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function validateCommand(body: CommandBody, prefix?: string): void {
  const field = (name: string): string => (prefix === undefined ? name : `${prefix}.${name}`);
  const type = body.type ?? ApplicationCommandType.ChatInput;
  if (typeof body.name !== 'string' || body.name.length === 0 || body.name.length > 32) {
    throw DiscordApiError.invalidFormBody(field('name'), 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.');
  }
  if (type === ApplicationCommandType.ChatInput) {
    if (!CHAT_INPUT_NAME.test(body.name) || body.name !== body.name.toLowerCase()) {
      throw DiscordApiError.invalidFormBody(
        field('name'),
        'APPLICATION_COMMAND_INVALID_NAME',
        'Command name is invalid',
      );
    }
    const description = body.description ?? '';
    if (description.length < 1 || description.length > 100) {
      throw DiscordApiError.invalidFormBody(
        field('description'),
        'BASE_TYPE_BAD_LENGTH',
        'Must be between 1 and 100 in length.',
      );
    }
  }
}
