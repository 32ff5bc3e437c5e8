import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayCloseCodes, GatewayOpcodes } from 'discord-api-types/v10';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { SandboxState } from '../state/SandboxState.js';
import { GatewayConnection, type GatewayPayload } from './GatewayConnection.js';
import type { GatewayLogEntry, ShardSessionInfo } from './GatewayLog.js';
import type { GatewaySession } from './GatewaySession.js';
import { handleIdentify, handleResume } from './sessionHandlers.js';
import { subscribeToState } from './stateDispatches.js';
import { handleRequestGuildMembers, handleVoiceStateUpdate, type VoiceEventOrder } from './voiceAndMembers.js';

/** What the gateway is built from. */
export interface GatewayServerInit {
  readonly state: SandboxState;
  readonly heartbeatIntervalMs: number;
  /** `host:port` sent in VOICE_SERVER_UPDATE. */
  readonly voiceEndpoint: string;
  /** The current order of VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE when the bot opens a voice connection. */
  voiceEventOrder(): VoiceEventOrder;
  /** Intents a bot may identify with; others close the connection with 4014 (disallowed intents). */
  readonly allowedIntents: number;
  /** The URL sessions resume on (`resume_gateway_url`). */
  resumeUrl(): string;
  /** Spends one identify from the session start limit. */
  onIdentify(): void;
  onLog(entry: GatewayLogEntry): void;
}

// Close codes after which Discord forgets the session, so a RESUME gets INVALID_SESSION.
const SESSION_ENDING_CLOSE_CODES = new Set<number>([
  1000,
  1001,
  GatewayCloseCodes.AuthenticationFailed,
  GatewayCloseCodes.InvalidSeq,
  GatewayCloseCodes.SessionTimedOut,
  GatewayCloseCodes.InvalidShard,
  GatewayCloseCodes.ShardingRequired,
  GatewayCloseCodes.InvalidAPIVersion,
  GatewayCloseCodes.InvalidIntents,
  GatewayCloseCodes.DisallowedIntents,
]);

type MutableShardInfo = { -readonly [K in keyof ShardSessionInfo]: ShardSessionInfo[K] } & { closeCodes: number[] };

/** The gateway WebSocket server: HELLO, IDENTIFY/RESUME, heartbeats, sessions and dispatch routing. */
export class GatewayServer {
  public readonly sessions = new Map<string, GatewaySession>();
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #connections = new Set<GatewayConnection>();
  readonly #shards = new Map<number, MutableShardInfo>();
  readonly #unsubscribe: () => void;

  public constructor(public readonly init: GatewayServerInit) {
    this.#wss.on('connection', (socket: WebSocket, request: IncomingMessage) => this.#accept(socket, request));
    this.#unsubscribe = subscribeToState(this);
  }

  /** Takes over an HTTP upgrade request for the gateway path. */
  public handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#wss.emit('connection', ws, request));
  }

  /** Per-shard session details, keyed by shard id. */
  public shardInfo(): ReadonlyMap<number, ShardSessionInfo> {
    return new Map(
      [...this.#shards].map(([id, info]) => {
        const sequence = info.sessionId === null ? info.sequence : (this.sessions.get(info.sessionId)?.sequence ?? 0);
        return [id, { ...info, sequence, closeCodes: [...info.closeCodes] }];
      }),
    );
  }

  /** The live sessions of a shard (identified and not invalidated). */
  public sessionsOfShard(shardId: number): GatewaySession[] {
    return [...this.sessions.values()].filter((s) => s.shardId === shardId);
  }

  /** Sends a payload on a connection and logs it. */
  public send(connection: GatewayConnection, payload: GatewayPayload, replayed = false): void {
    connection.send(payload);
    this.#log('sent', connection.session, payload, connection.open, replayed);
  }

  /** Numbers a dispatch on a session and delivers it when a connection is attached. */
  public dispatch(session: GatewaySession, t: string, d: unknown): void {
    const payload = session.sequenceDispatch(t, d);
    const connection = session.connection;
    if (connection?.open) {
      connection.send(payload);
      this.#log('sent', session, payload, true, false);
    } else {
      this.#log('sent', session, payload, false, false);
    }
  }

  /**
   * Dispatches to every session whose shard owns the guild and that has `intent`; `d` may be built per
   * session because payloads such as GUILD_CREATE depend on the session's intents. Returns the count.
   */
  public dispatchToGuild(guildId: string, t: string, d: unknown, intent = 0): number {
    let reached = 0;
    for (const session of this.sessions.values()) {
      if (!session.handles(guildId) || !session.hasIntent(intent)) continue;
      this.dispatch(session, t, typeof d === 'function' ? (d as (s: GatewaySession) => unknown)(session) : d);
      reached += 1;
    }
    return reached;
  }

  /** Closes the shard's connections with a close code; returns how many were closed. */
  public disconnectShard(shardId: number, code: number = GatewayCloseCodes.UnknownError, reason = ''): number {
    let closed = 0;
    for (const session of this.sessionsOfShard(shardId)) {
      const connection = session.connection;
      if (!connection?.open) continue;
      session.connection = null;
      this.#recordClose(session, code);
      if (SESSION_ENDING_CLOSE_CODES.has(code)) this.forgetSession(session);
      connection.close(code, reason);
      closed += 1;
    }
    return closed;
  }

  /** Sends a raw opcode (RECONNECT, INVALID_SESSION, HEARTBEAT) to the shard's connections. */
  public sendOpToShard(shardId: number, op: GatewayOpcodes, d: unknown): number {
    let sent = 0;
    for (const session of this.sessionsOfShard(shardId)) {
      if (!session.connection?.open) continue;
      this.send(session.connection, { op, d, s: null, t: null });
      sent += 1;
    }
    return sent;
  }

  /** Drops a session so it can no longer be resumed. */
  public forgetSession(session: GatewaySession): void {
    this.sessions.delete(session.id);
    const info = this.#shards.get(session.shardId);
    if (info?.sessionId === session.id) {
      info.sessionId = null;
      info.connected = false;
    }
  }

  /** Records a new session (IDENTIFY) or an attached connection (RESUME) in the shard's details. */
  public noteSession(session: GatewaySession, event: 'identified' | 'resumed'): void {
    const info = this.#shards.get(session.shardId) ?? {
      shardId: session.shardId,
      shardCount: session.shardCount,
      sessionId: null,
      connected: false,
      identified: 0,
      resumed: 0,
      heartbeats: 0,
      lastHeartbeatAt: null,
      lastHeartbeatSequence: null,
      sequence: 0,
      intents: session.intents,
      presence: null,
      closeCodes: [],
    };
    info.shardCount = session.shardCount;
    info.sessionId = session.id;
    info.connected = true;
    info.intents = session.intents;
    info.presence = session.presence;
    info[event] += 1;
    this.#shards.set(session.shardId, info);
  }

  /** Closes every connection and the WebSocket server. */
  public async close(): Promise<void> {
    this.#unsubscribe();
    for (const connection of this.#connections) connection.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #accept(socket: WebSocket, request: IncomingMessage): void {
    const connection = new GatewayConnection(socket, new URL(request.url ?? '/', 'http://sandbox.invalid'));
    this.#connections.add(connection);
    socket.on('message', (data: RawData, isBinary: boolean) => this.#receive(connection, data, isBinary));
    socket.on('close', (code: number) => this.#closed(connection, code));
    socket.on('error', () => connection.terminate());
    const version = connection.url.searchParams.get('v');
    if (version !== null && version !== '10' && version !== '9') {
      connection.close(GatewayCloseCodes.InvalidAPIVersion, 'Invalid API version');
      return;
    }
    if ((connection.url.searchParams.get('encoding') ?? 'json') !== 'json') {
      connection.close(GatewayCloseCodes.DecodeError, 'The sandbox gateway only speaks JSON');
      return;
    }
    this.send(connection, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.init.heartbeatIntervalMs, _trace: ['["sandbox-gateway",{"micros":0}]'] },
      s: null,
      t: null,
    });
  }

  #receive(connection: GatewayConnection, data: RawData, isBinary: boolean): void {
    let payload: GatewayPayload;
    try {
      if (isBinary) throw new Error('binary frames are not JSON');
      payload = JSON.parse(data.toString()) as GatewayPayload;
      if (typeof payload !== 'object' || payload === null || typeof payload.op !== 'number') throw new Error('no op');
    } catch {
      connection.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      return;
    }
    this.#log('received', connection.session, payload, true, false);
    const session = connection.session;
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.#heartbeat(connection, payload.d);
        return;
      case GatewayOpcodes.Identify:
        handleIdentify(this, connection, payload.d);
        return;
      case GatewayOpcodes.Resume:
        handleResume(this, connection, payload.d);
        return;
    }
    if (!session) {
      connection.close(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
      return;
    }
    switch (payload.op) {
      case GatewayOpcodes.PresenceUpdate: {
        session.presence = payload.d;
        const info = this.#shards.get(session.shardId);
        if (info) info.presence = payload.d;
        return;
      }
      case GatewayOpcodes.VoiceStateUpdate:
        handleVoiceStateUpdate(this, session, payload.d);
        return;
      case GatewayOpcodes.RequestGuildMembers:
        handleRequestGuildMembers(this, session, payload.d);
        return;
      default:
        connection.close(GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
    }
  }

  #heartbeat(connection: GatewayConnection, sequence: unknown): void {
    const session = connection.session;
    const info = session ? this.#shards.get(session.shardId) : undefined;
    if (info && session?.id === info.sessionId) {
      info.heartbeats += 1;
      info.lastHeartbeatAt = Date.now();
      info.lastHeartbeatSequence = typeof sequence === 'number' ? sequence : null;
      info.sequence = session.sequence;
    }
    this.send(connection, { op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
  }

  #closed(connection: GatewayConnection, code: number): void {
    this.#connections.delete(connection);
    const session = connection.session;
    // Server-initiated closes were already accounted for in disconnectShard.
    if (!session || connection.closing || session.connection !== connection) return;
    session.connection = null;
    this.#recordClose(session, code);
    if (SESSION_ENDING_CLOSE_CODES.has(code)) this.forgetSession(session);
  }

  #recordClose(session: GatewaySession, code: number): void {
    const info = this.#shards.get(session.shardId);
    if (!info) return;
    info.closeCodes.push(code);
    if (info.sessionId === session.id) info.connected = false;
  }

  #log(
    direction: GatewayLogEntry['direction'],
    session: GatewaySession | null,
    payload: GatewayPayload,
    delivered: boolean,
    replayed: boolean,
  ): void {
    this.init.onLog({
      direction,
      shardId: session?.shardId ?? null,
      sessionId: session?.id ?? null,
      op: payload.op,
      t: payload.t ?? null,
      s: payload.s ?? null,
      d: payload.d,
      at: Date.now(),
      delivered,
      ...(replayed ? { replayed } : {}),
    });
  }
}
