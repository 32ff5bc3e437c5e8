import { EventEmitter } from 'node:events';
import {
  type APIApplicationCommandOptionChoice,
  type APIMessage,
  type APIMessageInteraction,
  type APIMessageInteractionMetadata,
  type APIModalInteractionResponseCallbackData,
  type APIUser,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
} from 'discord-api-types/v10';
import { ApiErrors, DiscordApiError } from '../rest/DiscordApiError.js';
import { asMessageBody, type MessageBody, type UploadedFile, validateMessageBody } from '../state/MessageBody.js';
import { applyMessageEdit, buildMessage } from '../state/messageFactory.js';
import type { SnowflakeGenerator } from '../util/SnowflakeGenerator.js';
import type { InteractionResponseKind, SandboxInteractionResponse } from './SandboxInteractionResponse.js';

/** What an interaction needs from the sandbox to publish its messages. */
export interface InteractionHost {
  readonly snowflakes: SnowflakeGenerator;
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly attachmentBaseUrl: string;
  /** How long the bot has to send the initial callback (Discord: 3 s). */
  readonly responseDeadlineMs: number;
  /** How long the interaction token works for webhooks (Discord: 15 min). */
  readonly tokenLifetimeMs: number;
  publishMessage(message: APIMessage, guildId: string): void;
  publishEdit(message: APIMessage, guildId: string): boolean;
  publishDelete(channelId: string, messageId: string, guildId: string): void;
}

/** The immutable facts of a dispatched interaction. */
export interface InteractionInit {
  readonly id: string;
  readonly token: string;
  readonly type: InteractionType;
  readonly commandName: string | null;
  readonly guildId: string;
  readonly channelId: string;
  readonly user: APIUser;
  /** The message a component was clicked on. */
  readonly sourceMessage: APIMessage | null;
}

/** An interaction callback body (`{ type, data }`). */
export interface CallbackBody {
  type?: InteractionResponseType;
  data?: MessageBody & {
    choices?: APIApplicationCommandOptionChoice[];
  } & Partial<APIModalInteractionResponseCallbackData>;
}

const ALLOWED_CALLBACKS: Record<number, readonly InteractionResponseType[]> = {
  [InteractionType.ApplicationCommand]: [4, 5, 9],
  [InteractionType.MessageComponent]: [4, 5, 6, 7, 9],
  [InteractionType.ApplicationCommandAutocomplete]: [8],
  [InteractionType.ModalSubmit]: [4, 5, 6, 7],
};

/**
 * The server side of one interaction: enforces Discord's response rules (one callback, within the
 * deadline, of a type valid for the interaction) and records every response for tests.
 */
export class InteractionRecord extends EventEmitter<{ response: [SandboxInteractionResponse] }> {
  public readonly createdAt = Date.now();
  public callbackType: InteractionResponseType | null = null;
  public original: APIMessage | null = null;
  public readonly followUps = new Map<string, APIMessage>();
  public readonly responses: SandboxInteractionResponse[] = [];

  public constructor(
    public readonly init: InteractionInit,
    private readonly host: InteractionHost,
  ) {
    super();
  }

  /** Handles `POST /interactions/{id}/{token}/callback`; returns the message it created or changed. */
  public callback(rawBody: unknown, files: readonly UploadedFile[]): APIMessage | null {
    if (Date.now() - this.createdAt > this.host.responseDeadlineMs) throw ApiErrors.unknownInteraction();
    if (this.callbackType !== null) throw ApiErrors.alreadyAcknowledged();
    const body = (rawBody ?? {}) as CallbackBody;
    const type = body.type;
    if (type === undefined || !ALLOWED_CALLBACKS[this.init.type]?.includes(type)) {
      throw DiscordApiError.invalidFormBody('type', 'BASE_TYPE_CHOICES', 'Value must be one of a valid callback type.');
    }
    const data = asMessageBody(body.data);
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource:
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        const deferred = type === InteractionResponseType.DeferredChannelMessageWithSource;
        if (!deferred) validateMessageBody(data, files, true);
        const ephemeral = ((data.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
        const message = this.#newMessage(deferred ? { flags: data.flags ?? 0 } : data, deferred ? [] : files, {
          type:
            this.init.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
          systemFlags: (ephemeral ? MessageFlags.Ephemeral : 0) | (deferred ? MessageFlags.Loading : 0),
        });
        this.callbackType = type;
        this.original = message;
        if (!ephemeral) this.host.publishMessage(message, this.init.guildId);
        this.#record(deferred ? 'deferred' : 'reply', type, message);
        return message;
      }
      case InteractionResponseType.DeferredMessageUpdate:
      case InteractionResponseType.UpdateMessage: {
        const source = this.init.sourceMessage;
        if (!source) throw ApiErrors.unknownMessage();
        this.callbackType = type;
        if (type === InteractionResponseType.DeferredMessageUpdate) {
          this.original = source;
          this.#record('deferredUpdate', type, source);
          return source;
        }
        validateMessageBody(data, files, false);
        const updated = applyMessageEdit(source, data, files, this.host);
        this.original = updated;
        if (!this.#isEphemeral(updated)) this.host.publishEdit(updated, this.init.guildId);
        this.#record('update', type, updated);
        return updated;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult: {
        const choices = body.data?.choices ?? [];
        if (choices.length > 25) {
          throw DiscordApiError.invalidFormBody(
            'data.choices',
            'BASE_TYPE_MAX_LENGTH',
            'Must be 25 or fewer in length.',
          );
        }
        this.callbackType = type;
        this.#push({ ...this.#empty('autocomplete', type), choices });
        return null;
      }
      case InteractionResponseType.Modal: {
        this.callbackType = type;
        const modal = body.data as APIModalInteractionResponseCallbackData;
        this.#push({ ...this.#empty('modal', type), modal });
        return null;
      }
      default:
        throw DiscordApiError.invalidFormBody(
          'type',
          'BASE_TYPE_CHOICES',
          'Value must be one of a valid callback type.',
        );
    }
  }

  /** Checks the interaction webhook may be used (`/webhooks/{app}/{token}`). */
  public assertWebhookUsable(): void {
    if (Date.now() - this.createdAt > this.host.tokenLifetimeMs) throw ApiErrors.invalidWebhookToken();
  }

  /** `GET /webhooks/{app}/{token}/messages/{ref}`. */
  public message(ref: string): APIMessage {
    this.assertWebhookUsable();
    const message = ref === '@original' || ref === this.original?.id ? this.original : this.followUps.get(ref);
    if (!message) throw ApiErrors.unknownMessage();
    return message;
  }

  /** `PATCH /webhooks/{app}/{token}/messages/{ref}`. */
  public edit(ref: string, rawBody: unknown, files: readonly UploadedFile[]): APIMessage {
    const current = this.message(ref);
    const body = asMessageBody(rawBody);
    validateMessageBody(body, files, false);
    const updated = applyMessageEdit(current, body, files, this.host);
    const isOriginal = current.id === this.original?.id;
    if (isOriginal) this.original = updated;
    else this.followUps.set(updated.id, updated);
    if (!this.#isEphemeral(updated)) this.host.publishEdit(updated, this.init.guildId);
    this.#record('edit', isOriginal ? this.callbackType : null, updated);
    return updated;
  }

  /** `DELETE /webhooks/{app}/{token}/messages/{ref}`. */
  public delete(ref: string): void {
    const current = this.message(ref);
    if (current.id === this.original?.id) this.original = null;
    else this.followUps.delete(current.id);
    if (!this.#isEphemeral(current)) this.host.publishDelete(current.channel_id, current.id, this.init.guildId);
    this.#record('delete', null, current);
  }

  /**
   * `POST /webhooks/{app}/{token}`. As on Discord, the first follow-up after a deferred reply replaces the
   * "thinking" message rather than creating a new one, and keeps its ephemerality.
   */
  public followUp(rawBody: unknown, files: readonly UploadedFile[]): APIMessage {
    this.assertWebhookUsable();
    if (this.callbackType === null) throw ApiErrors.unknownWebhook();
    const body = asMessageBody(rawBody);
    validateMessageBody(body, files, true);
    const original = this.original;
    if (original && ((original.flags ?? 0) & MessageFlags.Loading) !== 0) {
      const updated = applyMessageEdit(original, body, files, this.host);
      this.original = updated;
      if (!this.#isEphemeral(updated)) this.host.publishEdit(updated, this.init.guildId);
      this.#record('followUp', this.callbackType, updated);
      return updated;
    }
    const ephemeral = ((body.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
    const message = this.#newMessage(body, files, {
      type: MessageType.Default,
      systemFlags: ephemeral ? MessageFlags.Ephemeral : 0,
    });
    this.followUps.set(message.id, message);
    if (!ephemeral) this.host.publishMessage(message, this.init.guildId);
    this.#record('followUp', null, message);
    return message;
  }

  /** Every message of this interaction that still exists, for finding component sources. */
  public messages(): APIMessage[] {
    return [...(this.original ? [this.original] : []), ...this.followUps.values()];
  }

  #newMessage(body: MessageBody, files: readonly UploadedFile[], options: { type: MessageType; systemFlags: number }) {
    const { init, host } = this;
    const metadata = {
      id: init.id,
      type: init.type,
      user: init.user,
      authorizing_integration_owners: { 0: init.guildId },
      ...(this.original ? { original_response_message_id: this.original.id } : {}),
    } as APIMessageInteractionMetadata;
    const interaction: APIMessageInteraction | undefined =
      init.commandName === null ? undefined : { id: init.id, type: init.type, name: init.commandName, user: init.user };
    return buildMessage({
      id: host.snowflakes.next(),
      channelId: init.channelId,
      author: host.botUser,
      body,
      files,
      type: options.type,
      systemFlags: options.systemFlags,
      applicationId: host.applicationId,
      interactionMetadata: metadata,
      ...(interaction ? { interaction } : {}),
      attachmentBaseUrl: host.attachmentBaseUrl,
      snowflakes: host.snowflakes,
    });
  }

  #isEphemeral(message: APIMessage): boolean {
    return ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
  }

  #empty(kind: InteractionResponseKind, type: InteractionResponseType | null): SandboxInteractionResponse {
    return {
      kind,
      type,
      messageId: null,
      content: '',
      embeds: [],
      components: [],
      flags: 0,
      ephemeral: false,
      at: Date.now(),
    };
  }

  #record(kind: InteractionResponseKind, type: InteractionResponseType | null, message: APIMessage): void {
    const flags = message.flags ?? 0;
    this.#push({
      ...this.#empty(kind, type),
      messageId: message.id,
      content: message.content,
      embeds: message.embeds,
      components: message.components ?? [],
      flags,
      ephemeral: (flags & MessageFlags.Ephemeral) !== 0,
      message,
    });
  }

  #push(response: SandboxInteractionResponse): void {
    this.responses.push(response);
    this.emit('response', response);
  }
}
