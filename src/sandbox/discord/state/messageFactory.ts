import {
  type APIAttachment,
  type APIMessage,
  type APIMessageInteraction,
  type APIMessageInteractionMetadata,
  type APIUser,
  MessageFlags,
  MessageType,
} from 'discord-api-types/v10';
import type { SnowflakeGenerator } from '../util/SnowflakeGenerator.js';
import type { MessageBody, UploadedFile } from './MessageBody.js';

/** Everything needed to create a message besides its body. */
export interface NewMessage {
  readonly id: string;
  readonly channelId: string;
  readonly author: APIUser;
  readonly body: MessageBody;
  readonly files: readonly UploadedFile[];
  readonly type?: MessageType;
  /** Flags the API sets itself (Ephemeral, Loading) on top of those the body may set. */
  readonly systemFlags?: number;
  /** Set on interaction responses: the application id, which Discord also reports as the webhook id. */
  readonly applicationId?: string;
  readonly interactionMetadata?: APIMessageInteractionMetadata;
  readonly interaction?: APIMessageInteraction;
  readonly attachmentBaseUrl: string;
  readonly snowflakes: SnowflakeGenerator;
}

// Flags a client may set when sending; the rest are set by Discord.
const USER_SETTABLE_FLAGS =
  MessageFlags.SuppressEmbeds |
  MessageFlags.SuppressNotifications |
  MessageFlags.IsComponentsV2 |
  MessageFlags.Ephemeral;

/** Builds the message object Discord returns for a newly created message. */
export function buildMessage(message: NewMessage): APIMessage {
  const flags = ((message.body.flags ?? 0) & USER_SETTABLE_FLAGS) | (message.systemFlags ?? 0);
  return {
    id: message.id,
    channel_id: message.channelId,
    type: message.type ?? MessageType.Default,
    content: message.body.content ?? '',
    author: message.author,
    attachments: attachmentsFor(message.body, message.files, [], message),
    embeds: normaliseEmbeds(message.body),
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: message.body.tts ?? false,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags,
    components: message.body.components ?? [],
    ...(message.applicationId ? { webhook_id: message.applicationId, application_id: message.applicationId } : {}),
    ...(message.interactionMetadata ? { interaction_metadata: message.interactionMetadata } : {}),
    ...(message.interaction ? { interaction: message.interaction } : {}),
    ...(message.body.message_reference ? { message_reference: message.body.message_reference } : {}),
  };
}

/**
 * Applies an edit the way Discord does: only the fields present change, `attachments` lists the ones to
 * keep, and the Loading flag of a deferred response is cleared by its first edit (which Discord does not
 * count as an edit, so `edited_timestamp` stays null then).
 */
export function applyMessageEdit(
  message: APIMessage,
  body: MessageBody,
  files: readonly UploadedFile[],
  context: Pick<NewMessage, 'attachmentBaseUrl' | 'snowflakes'>,
): APIMessage {
  const wasLoading = ((message.flags ?? 0) & MessageFlags.Loading) !== 0;
  const keptFlags = (message.flags ?? 0) & (MessageFlags.Ephemeral | MessageFlags.Crossposted);
  const bodyFlags = (body.flags ?? message.flags ?? 0) & (MessageFlags.SuppressEmbeds | MessageFlags.IsComponentsV2);
  return {
    ...message,
    ...(body.content !== undefined ? { content: body.content ?? '' } : {}),
    ...(body.embeds !== undefined ? { embeds: normaliseEmbeds(body) } : {}),
    ...(body.components !== undefined ? { components: body.components ?? [] } : {}),
    attachments:
      body.attachments !== undefined || files.length > 0
        ? attachmentsFor(body, files, message.attachments, { ...context, channelId: message.channel_id })
        : message.attachments,
    flags: keptFlags | bodyFlags,
    edited_timestamp: wasLoading ? null : new Date().toISOString(),
  };
}

function normaliseEmbeds(body: MessageBody): APIMessage['embeds'] {
  // Discord marks every embed a bot sends as a rich embed.
  return (body.embeds ?? []).map((embed) => ({ type: 'rich' as const, ...embed })) as APIMessage['embeds'];
}

function attachmentsFor(
  body: MessageBody,
  files: readonly UploadedFile[],
  existing: readonly APIAttachment[],
  context: Pick<NewMessage, 'attachmentBaseUrl' | 'snowflakes' | 'channelId'>,
): APIAttachment[] {
  const kept =
    body.attachments === undefined || body.attachments === null
      ? [...existing]
      : existing.filter((a) => body.attachments?.some((k) => String(k.id) === a.id));
  const uploaded = files.map((file, index) => {
    const id = context.snowflakes.next();
    // `files[n]` pairs with the `attachments` entry whose id is n.
    const slot = /\[(\d+)\]$/.exec(file.field)?.[1] ?? String(index);
    const meta = body.attachments?.find((a) => String(a.id) === slot);
    const filename = meta?.filename ?? file.filename;
    const url = `${context.attachmentBaseUrl}/attachments/${context.channelId}/${id}/${encodeURIComponent(filename)}`;
    return {
      id,
      filename,
      size: file.size,
      url,
      proxy_url: url,
      content_type: file.contentType,
      ...(meta?.description ? { description: meta.description } : {}),
    };
  });
  return [...kept, ...uploaded];
}
