import type {
  APIApplicationCommandOptionChoice,
  APIEmbed,
  APIMessage,
  APIMessageTopLevelComponent,
  APIModalInteractionResponseCallbackData,
  InteractionResponseType,
} from 'discord-api-types/v10';

/**
 * What the bot did in answer to an interaction:
 * - `reply` (callback 4), `deferred` (5), `deferredUpdate` (6), `update` (7), `autocomplete` (8), `modal` (9);
 * - `edit`, `followUp` and `delete` through the interaction webhook.
 */
export type InteractionResponseKind =
  | 'reply'
  | 'deferred'
  | 'deferredUpdate'
  | 'update'
  | 'autocomplete'
  | 'modal'
  | 'edit'
  | 'followUp'
  | 'delete';

/** One response, edit or follow-up of an interaction, as a test sees it. */
export interface SandboxInteractionResponse {
  readonly kind: InteractionResponseKind;
  /**
   * The interaction callback type that created the message this entry shows: the callback's own type for
   * callbacks, the initial callback's type for edits of `@original` (5 for a deferred reply), null for
   * follow-ups and edits of follow-ups.
   */
  readonly type: InteractionResponseType | null;
  /** The message shown, null for autocomplete and modal responses. */
  readonly messageId: string | null;
  readonly content: string;
  readonly embeds: readonly APIEmbed[];
  readonly components: readonly APIMessageTopLevelComponent[];
  readonly flags: number;
  readonly ephemeral: boolean;
  /** Autocomplete choices (kind `autocomplete`). */
  readonly choices?: readonly APIApplicationCommandOptionChoice[];
  /** The modal shown (kind `modal`). */
  readonly modal?: APIModalInteractionResponseCallbackData;
  /** The full message after this step, as the API returned it. */
  readonly message?: APIMessage;
  /** When the sandbox received it (ms since the epoch). */
  readonly at: number;
}
