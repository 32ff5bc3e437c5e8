/** One gateway payload as the sandbox sent or received it. */
export interface GatewayLogEntry {
  readonly direction: 'sent' | 'received';
  /** The shard of the session, null before IDENTIFY/RESUME. */
  readonly shardId: number | null;
  readonly sessionId: string | null;
  readonly op: number;
  readonly t: string | null;
  readonly s: number | null;
  readonly d: unknown;
  readonly at: number;
  /** For dispatches: false when it was only buffered because no connection was attached. */
  readonly delivered: boolean;
  /** For dispatches re-sent by a RESUME. */
  readonly replayed?: boolean;
}

/** What the gateway knows about one shard, across its sessions and connections. */
export interface ShardSessionInfo {
  readonly shardId: number;
  readonly shardCount: number;
  /** The current (latest) session, null once it was invalidated. */
  readonly sessionId: string | null;
  /** Whether a connection is attached to the current session. */
  readonly connected: boolean;
  /** How many times the shard sent IDENTIFY and got READY. */
  readonly identified: number;
  /** How many RESUMEs succeeded. */
  readonly resumed: number;
  readonly heartbeats: number;
  readonly lastHeartbeatAt: number | null;
  /** The sequence number the client last reported in a heartbeat. */
  readonly lastHeartbeatSequence: number | null;
  /** The last sequence number dispatched to the session. */
  readonly sequence: number;
  readonly intents: number;
  /** The presence from IDENTIFY or the last op 3. */
  readonly presence: unknown;
  /** Close codes of the shard's connections, oldest first. */
  readonly closeCodes: readonly number[];
}
