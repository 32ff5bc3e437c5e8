/** The JSON error body Discord returns; `errors` holds per-field details for 50035. */
export interface DiscordErrorBody {
  message: string;
  code: number;
  errors?: Record<string, unknown>;
}

/** An error a route handler throws to answer with Discord's error shape and status. */
export class DiscordApiError extends Error {
  public override readonly name = 'DiscordApiError';

  public constructor(
    public readonly status: number,
    public readonly code: number,
    message: string,
    public readonly errors?: Record<string, unknown>,
  ) {
    super(message);
  }

  /** The response body Discord sends for this error. */
  public toBody(): DiscordErrorBody {
    return { message: this.message, code: this.code, ...(this.errors ? { errors: this.errors } : {}) };
  }

  /** 400 Invalid Form Body with one field error, in Discord's nested `_errors` shape. */
  public static invalidFormBody(field: string, code: string, message: string): DiscordApiError {
    const errors: Record<string, unknown> = {};
    let cursor = errors;
    const path = field.split('.');
    for (const [index, key] of path.entries()) {
      if (index === path.length - 1) {
        cursor[key] = { _errors: [{ code, message }] };
      } else {
        const next: Record<string, unknown> = {};
        cursor[key] = next;
        cursor = next;
      }
    }
    return new DiscordApiError(400, 50035, 'Invalid Form Body', errors);
  }
}

/** The errors the sandbox answers with, as Discord words them. */
export const ApiErrors = {
  unauthorized: () => new DiscordApiError(401, 0, '401: Unauthorized'),
  notFound: () => new DiscordApiError(404, 0, '404: Not Found'),
  methodNotAllowed: () => new DiscordApiError(405, 0, '405: Method Not Allowed'),
  unknownChannel: () => new DiscordApiError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => new DiscordApiError(404, 10004, 'Unknown Guild'),
  unknownMember: () => new DiscordApiError(404, 10007, 'Unknown Member'),
  unknownMessage: () => new DiscordApiError(404, 10008, 'Unknown Message'),
  unknownUser: () => new DiscordApiError(404, 10013, 'Unknown User'),
  unknownWebhook: () => new DiscordApiError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => new DiscordApiError(404, 10062, 'Unknown interaction'),
  unknownVoiceState: () => new DiscordApiError(404, 10065, 'Unknown Voice State'),
  unknownCommand: () => new DiscordApiError(404, 10063, 'Unknown application command'),
  unknownApplication: () => new DiscordApiError(404, 10002, 'Unknown Application'),
  emptyMessage: () => new DiscordApiError(400, 50006, 'Cannot send an empty message'),
  invalidWebhookToken: () => new DiscordApiError(401, 50027, 'Invalid Webhook Token'),
  alreadyAcknowledged: () => new DiscordApiError(400, 40060, 'Interaction has already been acknowledged.'),
  cannotSendInVoiceOnly: () => new DiscordApiError(400, 50008, 'Cannot send messages in a non-text channel'),
  cannotExecuteOnChannelType: () => new DiscordApiError(400, 50024, 'Cannot execute action on this channel type'),
  missingAccess: () => new DiscordApiError(403, 50001, 'Missing Access'),
  missingPermissions: () => new DiscordApiError(403, 50013, 'Missing Permissions'),
  cannotEditOthers: () => new DiscordApiError(403, 50005, 'Cannot edit a message authored by another user'),
} as const;
