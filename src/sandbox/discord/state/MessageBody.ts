import type { APIEmbed, APIMessageReference, APIMessageTopLevelComponent } from 'discord-api-types/v10';
import { DiscordApiError } from '../rest/DiscordApiError.js';

/** The message fields the sandbox reads from channel, callback and webhook bodies. */
export interface MessageBody {
  content?: string | null;
  embeds?: APIEmbed[] | null;
  components?: APIMessageTopLevelComponent[] | null;
  flags?: number | null;
  tts?: boolean;
  attachments?: { id: string | number; filename?: string; description?: string }[] | null;
  message_reference?: APIMessageReference;
  poll?: unknown;
}

/** A file part of a multipart request (`files[n]`). */
export interface UploadedFile {
  readonly field: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
}

const MAX_CONTENT = 2000;
const MAX_EMBEDS = 10;
const MAX_EMBED_TOTAL = 6000;
const MAX_ACTION_ROWS = 5;

/** Reads an untrusted JSON body as a message body; rejects what is not an object. */
export function asMessageBody(body: unknown): MessageBody {
  if (body === null || body === undefined) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw DiscordApiError.invalidFormBody('_root', 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
  }
  return body as MessageBody;
}

/**
 * Applies the limits Discord enforces on messages, so a bot that would fail in production fails here too:
 * 2000 characters of content, 10 embeds of 6000 characters in total, 5 action rows, and no empty messages.
 */
export function validateMessageBody(body: MessageBody, files: readonly UploadedFile[], creating: boolean): void {
  const content = body.content ?? '';
  if (typeof content !== 'string') {
    throw DiscordApiError.invalidFormBody('content', 'BASE_TYPE_STRING', 'Must be a string.');
  }
  if (content.length > MAX_CONTENT) {
    throw DiscordApiError.invalidFormBody(
      'content',
      'BASE_TYPE_MAX_LENGTH',
      `Must be ${MAX_CONTENT} or fewer in length.`,
    );
  }
  const embeds = body.embeds ?? [];
  if (embeds.length > MAX_EMBEDS) {
    throw DiscordApiError.invalidFormBody(
      'embeds',
      'BASE_TYPE_MAX_LENGTH',
      `Must be ${MAX_EMBEDS} or fewer in length.`,
    );
  }
  let embedTotal = 0;
  for (const [index, embed] of embeds.entries()) {
    if ((embed.title?.length ?? 0) > 256) {
      throw DiscordApiError.invalidFormBody(
        `embeds.${index}.title`,
        'BASE_TYPE_MAX_LENGTH',
        'Must be 256 or fewer in length.',
      );
    }
    if ((embed.description?.length ?? 0) > 4096) {
      throw DiscordApiError.invalidFormBody(
        `embeds.${index}.description`,
        'BASE_TYPE_MAX_LENGTH',
        'Must be 4096 or fewer in length.',
      );
    }
    if ((embed.fields?.length ?? 0) > 25) {
      throw DiscordApiError.invalidFormBody(
        `embeds.${index}.fields`,
        'BASE_TYPE_MAX_LENGTH',
        'Must be 25 or fewer in length.',
      );
    }
    embedTotal +=
      (embed.title?.length ?? 0) +
      (embed.description?.length ?? 0) +
      (embed.footer?.text.length ?? 0) +
      (embed.author?.name.length ?? 0) +
      (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0);
  }
  if (embedTotal > MAX_EMBED_TOTAL) {
    throw DiscordApiError.invalidFormBody(
      'embeds',
      'MAX_EMBED_SIZE_EXCEEDED',
      'Embed size exceeds maximum size of 6000',
    );
  }
  const componentsV2 = ((body.flags ?? 0) & (1 << 15)) !== 0;
  if (!componentsV2 && (body.components?.length ?? 0) > MAX_ACTION_ROWS) {
    throw DiscordApiError.invalidFormBody(
      'components',
      'BASE_TYPE_MAX_LENGTH',
      `Must be ${MAX_ACTION_ROWS} or fewer in length.`,
    );
  }
  const empty =
    content.length === 0 &&
    embeds.length === 0 &&
    (body.components?.length ?? 0) === 0 &&
    files.length === 0 &&
    body.poll === undefined;
  if (creating && empty) throw new DiscordApiError(400, 50006, 'Cannot send an empty message');
}
