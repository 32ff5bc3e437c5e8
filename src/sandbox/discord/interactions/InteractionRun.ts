import type { APIInteraction } from 'discord-api-types/v10';
import type { InteractionRecord } from './InteractionRecord.js';
import type { InteractionResponseKind, SandboxInteractionResponse } from './SandboxInteractionResponse.js';

/** Options for waiting on responses. */
export interface WaitOptions {
  /** Default 5000 ms. */
  timeoutMs?: number;
}

// Deferrals and deletions are not something a user reads.
const VISIBLE_KINDS = new Set<InteractionResponseKind>([
  'reply',
  'update',
  'autocomplete',
  'modal',
  'edit',
  'followUp',
]);

/** A simulated interaction, as returned by `SandboxDiscord.runCommand()`: what was sent and how the bot answered. */
export class InteractionRun {
  readonly #record: InteractionRecord;

  public constructor(
    record: InteractionRecord,
    /** The INTERACTION_CREATE payload that was dispatched. */
    public readonly payload: APIInteraction,
  ) {
    this.#record = record;
  }

  /** The interaction id. */
  public get interactionId(): string {
    return this.#record.init.id;
  }

  /** The interaction token (what the bot uses for callbacks and webhooks). */
  public get token(): string {
    return this.#record.init.token;
  }

  /** Every response, edit, follow-up and deletion so far, in order. */
  public get messages(): readonly SandboxInteractionResponse[] {
    return [...this.#record.responses];
  }

  /** Whether the bot sent its initial callback. */
  public get acknowledged(): boolean {
    return this.#record.callbackType !== null;
  }

  /**
   * The first response a user would see: a reply, an update, autocomplete choices, a modal, or, after a
   * deferral, the first edit or follow-up that fills it in.
   */
  public reply(options: WaitOptions = {}): Promise<SandboxInteractionResponse> {
    return this.waitFor((response) => VISIBLE_KINDS.has(response.kind), options);
  }

  /** The first response (past or future) matching `predicate`; rejects after the timeout. */
  public waitFor(
    predicate: (response: SandboxInteractionResponse) => boolean,
    { timeoutMs = 5000 }: WaitOptions = {},
  ): Promise<SandboxInteractionResponse> {
    const existing = this.#record.responses.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const onResponse = (response: SandboxInteractionResponse): void => {
        if (!predicate(response)) return;
        clearTimeout(timer);
        this.#record.off('response', onResponse);
        resolve(response);
      };
      const timer = setTimeout(() => {
        this.#record.off('response', onResponse);
        const seen = this.#record.responses.map((r) => r.kind).join(', ') || 'nothing';
        reject(
          new Error(`Interaction ${this.interactionId}: no matching response within ${timeoutMs} ms (saw: ${seen})`),
        );
      }, timeoutMs);
      this.#record.on('response', onResponse);
    });
  }
}
