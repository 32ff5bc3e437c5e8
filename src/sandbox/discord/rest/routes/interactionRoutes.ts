import {
  InteractionResponseType,
  MessageFlags,
  type RESTPostAPIInteractionCallbackWithResponseResult,
} from 'discord-api-types/v10';
import type { InteractionRecord } from '../../interactions/InteractionRecord.js';
import { ApiErrors } from '../DiscordApiError.js';
import type { RouteDefinition, RouteRequest } from '../Router.js';
import type { RestContext } from './RestContext.js';

/** Discord limits an interaction webhook per application and token, so one interaction cannot slow another. */
const WEBHOOK_MAJOR = ['applicationId', 'token'] as const;

/**
 * Interaction callbacks and the interaction webhook (follow-ups, `@original` and follow-up edits).
 * Like Discord, these need no bot token: the interaction token in the path is the credential.
 */
export function interactionRoutes(context: RestContext): RouteDefinition[] {
  const { state } = context;
  const byWebhook = ({ params }: RouteRequest): InteractionRecord => {
    const record = state.interactionsByToken.get(params.token ?? '');
    if (params.applicationId !== state.applicationId || !record) throw ApiErrors.unknownWebhook();
    return record;
  };
  const message = '/webhooks/:applicationId/:token/messages/:messageId';
  return [
    {
      method: 'POST',
      pattern: '/interactions/:interactionId/:token/callback',
      auth: false,
      majorParameter: 'interactionId',
      handle: ({ params, query, body, files }) => {
        const record = state.interactions.get(params.interactionId ?? '');
        if (!record || record.init.token !== params.token) throw ApiErrors.unknownInteraction();
        const created = record.callback(body, files);
        if (query.get('with_response') !== 'true') return { status: 204 };
        const type = record.callbackType ?? InteractionResponseType.Pong;
        const result: RESTPostAPIInteractionCallbackWithResponseResult = {
          interaction: {
            id: record.init.id,
            type: record.init.type,
            ...(created
              ? {
                  response_message_id: created.id,
                  response_message_loading: ((created.flags ?? 0) & MessageFlags.Loading) !== 0,
                  response_message_ephemeral: ((created.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
                }
              : {}),
          },
          resource: { type, ...(created ? { message: created } : {}) },
        };
        return { status: 200, body: result };
      },
    },
    {
      method: 'POST',
      pattern: '/webhooks/:applicationId/:token',
      auth: false,
      majorParameter: WEBHOOK_MAJOR,
      handle: (request) => {
        const created = byWebhook(request).followUp(request.body, request.files);
        // Without ?wait=true Discord acknowledges with 204 and no message.
        return request.query.get('wait') === 'true' ? { status: 200, body: created } : { status: 204 };
      },
    },
    {
      method: 'GET',
      pattern: message,
      auth: false,
      majorParameter: WEBHOOK_MAJOR,
      handle: (request) => ({ status: 200, body: byWebhook(request).message(request.params.messageId ?? '') }),
    },
    {
      method: 'PATCH',
      pattern: message,
      auth: false,
      majorParameter: WEBHOOK_MAJOR,
      handle: (request) => ({
        status: 200,
        body: byWebhook(request).edit(request.params.messageId ?? '', request.body, request.files),
      }),
    },
    {
      method: 'DELETE',
      pattern: message,
      auth: false,
      majorParameter: WEBHOOK_MAJOR,
      handle: (request) => {
        byWebhook(request).delete(request.params.messageId ?? '');
        return { status: 204 };
      },
    },
  ];
}
