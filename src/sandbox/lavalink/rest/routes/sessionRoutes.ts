import { LavalinkErrors } from '../LavalinkApiError.js';
import type { LavalinkRoute } from '../Router.js';
import type { RouteContext } from './RouteContext.js';

/** `PATCH /v4/sessions/{sessionId}`: resuming and its timeout. */
export function sessionRoutes(context: RouteContext): LavalinkRoute[] {
  return [
    {
      method: 'PATCH',
      pattern: '/v4/sessions/:sessionId',
      handle({ params, body }) {
        const session = context.state.openSession(params.sessionId!);
        if (!session) throw LavalinkErrors.sessionNotFound();
        const update = (body ?? {}) as { resuming?: unknown; timeout?: unknown };
        if (typeof update !== 'object' || Array.isArray(update)) throw LavalinkErrors.badRequest('Expected an object');
        if (update.resuming !== undefined) {
          if (typeof update.resuming !== 'boolean') throw LavalinkErrors.badRequest('resuming must be a boolean');
          session.resuming = update.resuming;
        }
        if (update.timeout !== undefined) {
          if (typeof update.timeout !== 'number' || !Number.isInteger(update.timeout) || update.timeout < 0) {
            throw LavalinkErrors.badRequest('timeout must be a non-negative integer (seconds)');
          }
          session.timeoutSeconds = update.timeout;
        }
        return { status: 200, body: { resuming: session.resuming, timeout: session.timeoutSeconds } };
      },
    },
  ];
}
