import {
  ApplicationFlags,
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
} from 'discord-api-types/v10';
import { guildCreatePayload } from '../state/guildPayloads.js';
import { randomSessionId } from '../util/randomToken.js';
import type { GatewayConnection } from './GatewayConnection.js';
import type { GatewayServer } from './GatewayServer.js';
import { GatewaySession } from './GatewaySession.js';

const KNOWN_INTENTS = Object.values(GatewayIntentBits)
  .filter((v): v is number => typeof v === 'number')
  .reduce((all, bit) => all | bit, 0);

interface IdentifyData {
  token?: unknown;
  intents?: unknown;
  shard?: unknown;
  compress?: unknown;
  presence?: unknown;
}

interface ResumeData {
  token?: unknown;
  session_id?: unknown;
  seq?: unknown;
}

/** IDENTIFY: checks token, shard and intents, then sends READY and a GUILD_CREATE per guild of the shard. */
export function handleIdentify(server: GatewayServer, connection: GatewayConnection, raw: unknown): void {
  const { state } = server.init;
  const d = (raw ?? {}) as IdentifyData;
  if (connection.session) {
    connection.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
    return;
  }
  if (d.token !== state.token) {
    connection.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    return;
  }
  const shard = Array.isArray(d.shard) ? d.shard : [0, 1];
  const [shardId, shardCount] = shard as [unknown, unknown];
  if (
    !Number.isInteger(shardId) ||
    !Number.isInteger(shardCount) ||
    (shardCount as number) < 1 ||
    (shardId as number) < 0 ||
    (shardId as number) >= (shardCount as number)
  ) {
    connection.close(GatewayCloseCodes.InvalidShard, 'Invalid shard.');
    return;
  }
  if (typeof d.intents !== 'number' || !Number.isInteger(d.intents) || (d.intents & ~KNOWN_INTENTS) !== 0) {
    connection.close(GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
    return;
  }
  if ((d.intents & ~server.init.allowedIntents) !== 0) {
    connection.close(GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
    return;
  }
  connection.identifyCompress = d.compress === true;
  // A shard that identifies again abandons its previous, detached sessions.
  for (const stale of server.sessionsOfShard(shardId as number)) {
    if (!stale.connection?.open) server.forgetSession(stale);
  }
  const session = new GatewaySession(randomSessionId(), shardId as number, shardCount as number, d.intents);
  session.presence = d.presence ?? null;
  session.connection = connection;
  connection.session = session;
  server.sessions.set(session.id, session);
  server.init.onIdentify();
  server.noteSession(session, 'identified');

  const guilds = [...state.guilds.values()].filter((g) => session.handles(g.id));
  const ready: GatewayReadyDispatchData = {
    v: 10,
    user: { ...state.botUser, verified: true, mfa_enabled: false, email: null },
    guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
    session_id: session.id,
    resume_gateway_url: server.init.resumeUrl(),
    shard: [session.shardId, session.shardCount],
    application: {
      id: state.applicationId,
      flags: ApplicationFlags.GatewayGuildMembersLimited,
      flags_new: String(ApplicationFlags.GatewayGuildMembersLimited),
    },
  };
  // Fields real READY payloads carry that discord-api-types does not model.
  const extras = {
    session_type: 'normal',
    private_channels: [],
    presences: [],
    relationships: [],
    guild_join_requests: [],
    user_settings: {},
    auth: {},
    geo_ordered_rtc_regions: ['sandbox'],
    _trace: ['["sandbox-gateway",{"micros":0}]'],
  };
  server.dispatch(session, GatewayDispatchEvents.Ready, { ...ready, ...extras });
  if (!session.hasIntent(GatewayIntentBits.Guilds)) return;
  const joinedAt = new Date().toISOString();
  for (const guild of guilds) {
    server.dispatch(
      session,
      GatewayDispatchEvents.GuildCreate,
      guildCreatePayload(guild, session.intents, state.bot.id, joinedAt),
    );
  }
}

/**
 * RESUME: reattaches the session, replays what the client missed, then sends RESUMED. A session that is
 * unknown, attached elsewhere or too far behind gets INVALID_SESSION (not resumable).
 */
export function handleResume(server: GatewayServer, connection: GatewayConnection, raw: unknown): void {
  const d = (raw ?? {}) as ResumeData;
  if (connection.session) {
    connection.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
    return;
  }
  if (d.token !== server.init.state.token) {
    connection.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    return;
  }
  const session = typeof d.session_id === 'string' ? server.sessions.get(d.session_id) : undefined;
  const missed = session && !session.connection?.open ? session.missedSince(Number(d.seq ?? 0)) : null;
  if (!session || !missed) {
    if (session && !session.connection?.open) server.forgetSession(session);
    server.send(connection, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
    return;
  }
  session.connection = connection;
  connection.session = session;
  for (const payload of missed) server.send(connection, payload, true);
  server.dispatch(session, GatewayDispatchEvents.Resumed, { _trace: ['["sandbox-gateway",{"micros":0}]'] });
  server.noteSession(session, 'resumed');
}
