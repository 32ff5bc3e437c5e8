import type { LavalinkSession } from '../../state/LavalinkSession.js';
import { LavalinkErrors } from '../LavalinkApiError.js';
import type { LavalinkRoute } from '../Router.js';
import type { RouteContext } from './RouteContext.js';
import { updatePlayer } from './updatePlayer.js';

const SNOWFLAKE = /^\d{1,20}$/;

/** `/v4/sessions/{sessionId}/players` and `/v4/sessions/{sessionId}/players/{guildId}`. */
export function playerRoutes(context: RouteContext): LavalinkRoute[] {
  const session = (sessionId: string | undefined): LavalinkSession => {
    const found = context.state.openSession(sessionId ?? '');
    if (!found) throw LavalinkErrors.sessionNotFound();
    return found;
  };
  // Lavalink binds the guild id to a Long, so anything else is a 400.
  const guildId = (raw: string | undefined): string => {
    if (raw === undefined || !SNOWFLAKE.test(raw)) throw LavalinkErrors.badRequest(`Invalid guild id: ${raw}`);
    return raw;
  };
  const now = () => context.state.now();
  return [
    {
      method: 'GET',
      pattern: '/v4/sessions/:sessionId/players',
      handle({ params }) {
        const players = [...session(params.sessionId).players.values()];
        return { status: 200, body: players.map((p) => p.toJson(now())) };
      },
    },
    {
      method: 'GET',
      pattern: '/v4/sessions/:sessionId/players/:guildId',
      handle({ params }) {
        const player = session(params.sessionId).players.get(guildId(params.guildId));
        if (!player) throw LavalinkErrors.playerNotFound();
        return { status: 200, body: player.toJson(now()) };
      },
    },
    {
      method: 'PATCH',
      pattern: '/v4/sessions/:sessionId/players/:guildId',
      handle({ params, query, body }) {
        const target = session(params.sessionId);
        const id = guildId(params.guildId);
        updatePlayer(target, id, body, query.get('noReplace') === 'true', context.catalogue);
        return { status: 200, body: target.player(id).toJson(now()) };
      },
    },
    {
      method: 'DELETE',
      pattern: '/v4/sessions/:sessionId/players/:guildId',
      handle({ params }) {
        session(params.sessionId).destroyPlayer(guildId(params.guildId));
        return { status: 204 };
      },
    },
  ];
}
