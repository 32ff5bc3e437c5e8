import { EventEmitter } from 'node:events';
import { Constants, Node, type NodeOption, type Shoukaku } from 'shoukaku';
import type { LavalinkNodeReading } from '../telemetry/LavalinkInstruments.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import type { NodeHealth } from './LavalinkHealth.js';

/** Where a configured node stands, as the gateway sees it. */
export type NodeStatus = 'connecting' | 'connected' | 'reconnecting' | 'down';

/** Why the players of a node must move (the `metronome.failover.trigger` span attribute). */
export type FailoverTrigger =
  /** The first reconnect attempt failed: shoukaku 4.3 drops such a node even if a later attempt succeeds. */
  | 'reconnect_failed'
  /** shoukaku gave up on the node and removed it. */
  | 'disconnected'
  /** The node came back with a new session: its players are gone from Lavalink. */
  | 'session_lost'
  /** The node neither resumed nor failed within `failoverAfterMs` (a host that swallows packets). */
  | 'stalled';

/** Node lifecycle events counted per node for `/healthz`. */
export type NodeEventName = 'ready' | 'resumed' | 'close' | 'reconnecting' | 'disconnect' | 'error';

export interface NodeMonitorEvents {
  /** Every player on `node` must move; `lostAt` is the last moment (on the gateway clock) the node was known good. */
  lost: [node: Node, trigger: FailoverTrigger, lostAt: number];
  status: [name: string, status: NodeStatus, previous: NodeStatus];
}

export interface NodeMonitorOptions {
  readonly shoukaku: Shoukaku;
  readonly nodes: readonly NodeOption[];
  readonly logger: Logger;
  readonly now: () => number;
  /** Pause between the end of one round of shoukaku reconnects and the next `addNode`. */
  readonly readdIntervalMs: number;
  readonly failoverAfterMs: number;
}

interface NodeSlot {
  readonly option: NodeOption;
  /** The shoukaku node object in use; undefined while none is (between a drop and the next `addNode`). */
  node: Node | undefined;
  status: NodeStatus;
  /** Gateway clock time of the last websocket close. */
  closedAt: number | undefined;
  /** Set once the node was reported down, so retries are logged quietly until it is back. */
  down: boolean;
  stallTimer: NodeJS.Timeout | undefined;
  readdTimer: NodeJS.Timeout | undefined;
  /** The last session the node gave us; a re-added node asks to resume it. */
  sessionId: string | null;
  readonly events: Record<NodeEventName, number>;
}

/**
 * Follows every configured Lavalink node through shoukaku 4.3's lifecycle and says when its players must move.
 * It works around three shoukaku facts: a node whose first reconnect attempt failed is dropped whatever happens next
 * (so its players move at once rather than after every retry); a dropped node is never re-added (so it is, on a
 * timer, until it connects); `removeNode` leaves a reconnect loop running (so it is never used).
 *
 * Events of node objects other than a slot's current one (a dropped node's last gasps) only get logged.
 */
export class NodeMonitor extends EventEmitter<NodeMonitorEvents> {
  readonly #options: NodeMonitorOptions;
  readonly #log: Logger;
  readonly #slots = new Map<string, NodeSlot>();
  /** Nodes that shoukaku will drop (their first reconnect failed); never used again. */
  readonly #doomed = new WeakSet<Node>();
  /** Nodes that were ready once: a later non-resumed `ready` means their players' session is gone. */
  readonly #readied = new WeakSet<Node>();
  /** Which node each websocket message came from, for the stale-message guard of the player. */
  readonly #sources = new WeakMap<object, Node>();
  #closed = false;

  constructor(options: NodeMonitorOptions) {
    super();
    this.#options = options;
    this.#log = options.logger;
    for (const option of options.nodes) {
      this.#slots.set(option.name, {
        option,
        node: undefined,
        status: 'connecting',
        closedAt: undefined,
        down: false,
        stallTimer: undefined,
        readdTimer: undefined,
        sessionId: null,
        events: { ready: 0, resumed: 0, close: 0, reconnecting: 0, disconnect: 0, error: 0 },
      });
    }
    options.shoukaku.on('error', (name, error) => this.#onError(name, error));
    options.shoukaku.on('debug', (name, info) => this.#log.trace({ node: name }, info));
  }

  /** Adds every configured node to shoukaku (once the Discord client is ready: shoukaku needs the bot's user id). */
  start(): void {
    for (const slot of this.#slots.values()) this.#add(slot);
  }

  /** A node shoukaku may use for a new or moved player: connected, current, and not about to be dropped. */
  usable(node: Node): boolean {
    return (
      node.state === Constants.State.CONNECTED && !this.#doomed.has(node) && this.#slots.get(node.name)?.node === node
    );
  }

  /** Every usable node. */
  usableNodes(): Node[] {
    return [...this.#slots.values()].flatMap((slot) => (slot.node && this.usable(slot.node) ? [slot.node] : []));
  }

  /** The node a websocket message came from, when it was seen. */
  sourceOf(message: object): Node | undefined {
    return this.#sources.get(message);
  }

  /** Per node: status, the node object in use, and event counts. */
  nodes(): NodeHealth[] {
    return [...this.#slots.values()].map((slot) => ({
      name: slot.option.name,
      region: slot.option.group ?? null,
      status: slot.status,
      node: slot.node,
      events: { ...slot.events },
    }));
  }

  /** What the node gauges report: every configured node, with stats only while it is connected. */
  readings(): LavalinkNodeReading[] {
    return [...this.#slots.values()].map((slot) => {
      const up = slot.status === 'connected';
      const stats = up ? slot.node?.stats : null;
      return {
        name: slot.option.name,
        up,
        stats: stats
          ? {
              players: stats.players,
              playingPlayers: stats.playingPlayers,
              systemLoad: stats.cpu.systemLoad,
              lavalinkLoad: stats.cpu.lavalinkLoad,
              memoryUsed: stats.memory.used,
              frames: {
                sent: stats.frameStats?.sent ?? 0,
                nulled: stats.frameStats?.nulled ?? 0,
                deficit: stats.frameStats?.deficit ?? 0,
              },
            }
          : null,
      };
    });
  }

  /**
   * Stops watching and reconnecting. shoukaku has no shutdown: its reconnect loop re-reads `reconnectTries`, so
   * setting it to 0 ends every loop, and sockets are torn down with their listeners removed first so that their
   * close handler does not reconnect.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#options.shoukaku.options.reconnectTries = 0;
    for (const slot of this.#slots.values()) {
      clearTimeout(slot.stallTimer);
      clearTimeout(slot.readdTimer);
      if (slot.node) terminate(slot.node);
    }
  }

  #add(slot: NodeSlot): void {
    const { shoukaku } = this.#options;
    if (this.#closed || shoukaku.nodes.has(slot.option.name)) return;
    let node: Node | undefined;
    if (slot.sessionId) node = addResumingNode(shoukaku, slot.option, slot.sessionId);
    else {
      shoukaku.addNode({ ...slot.option });
      node = shoukaku.nodes.get(slot.option.name);
    }
    if (!node) return;
    slot.node = node;
    this.#setStatus(slot, 'connecting');
    node.on('raw', (json) => {
      if (typeof json === 'object' && json !== null) this.#sources.set(json, node);
    });
    node.on('ready', (resumed) => this.#onReady(slot, node, resumed));
    node.on('close', (code, reason) => this.#onClose(slot, node, code, reason));
    node.on('reconnecting', (left) => this.#onReconnecting(slot, node, left));
    node.on('disconnect', () => this.#onDisconnect(slot, node));
  }

  #onReady(slot: NodeSlot, node: Node, resumed: boolean): void {
    if (this.#closed) {
      terminate(node);
      return;
    }
    if (slot.node !== node || this.#doomed.has(node)) {
      this.#log.debug({ node: node.name, resumed }, 'ignoring ready of a node shoukaku is dropping');
      return;
    }
    slot.events[resumed ? 'resumed' : 'ready'] += 1;
    slot.sessionId = node.sessionId ?? null;
    clearTimeout(slot.stallTimer);
    const wasDown = slot.down;
    slot.down = false;
    this.#setStatus(slot, 'connected');
    if (wasDown) this.#log.info({ node: node.name, resumed }, 'lavalink node is back');
    else if (resumed) this.#log.info({ node: node.name }, 'lavalink node resumed its session');
    else if (this.#readied.has(node)) this.#log.warn({ node: node.name }, 'lavalink node lost its session');
    else this.#log.info({ node: node.name }, 'lavalink node connected');
    if (!resumed && this.#readied.has(node)) {
      this.emit('lost', node, 'session_lost', slot.closedAt ?? this.#options.now());
    }
    this.#readied.add(node);
  }

  #onClose(slot: NodeSlot, node: Node, code: number, reason: string): void {
    if (slot.node !== node || this.#closed) return;
    slot.events.close += 1;
    slot.closedAt = this.#options.now();
    this.#setStatus(slot, 'reconnecting');
    this.#log.warn({ node: node.name, code, reason }, 'lavalink node connection closed; reconnecting');
    clearTimeout(slot.stallTimer);
    slot.stallTimer = setTimeout(() => {
      if (slot.node !== node || node.state === Constants.State.CONNECTED || this.#doomed.has(node)) return;
      this.#log.warn(
        { node: node.name, after_ms: this.#options.failoverAfterMs },
        'lavalink node neither resumed nor failed in time; moving its players',
      );
      this.emit('lost', node, 'stalled', slot.closedAt ?? this.#options.now());
    }, this.#options.failoverAfterMs);
    slot.stallTimer.unref?.();
  }

  #onReconnecting(slot: NodeSlot, node: Node, left: number): void {
    if (slot.node !== node || this.#closed) return;
    slot.events.reconnecting += 1;
    if (this.#doomed.has(node)) {
      this.#log.debug({ node: node.name, tries_left: left }, 'lavalink reconnect attempt failed');
      return;
    }
    this.#doomed.add(node);
    clearTimeout(slot.stallTimer);
    const wasConnected = slot.status === 'reconnecting';
    this.#setStatus(slot, 'down');
    if (wasConnected) {
      slot.down = true;
      this.#log.warn({ node: node.name, tries_left: left }, 'lavalink node did not come back; moving its players');
      this.emit('lost', node, 'reconnect_failed', slot.closedAt ?? this.#options.now());
    } else {
      this.#log[slot.down ? 'debug' : 'warn']({ node: node.name }, 'lavalink node unreachable');
      slot.down = true;
    }
  }

  #onDisconnect(slot: NodeSlot, node: Node): void {
    if (slot.node !== node) return;
    slot.events.disconnect += 1;
    clearTimeout(slot.stallTimer);
    slot.node = undefined;
    this.#setStatus(slot, 'down');
    // Players still on it (the drop came before any failed reconnect) move now.
    this.emit('lost', node, 'disconnected', slot.closedAt ?? this.#options.now());
    if (this.#closed) return;
    this.#log[slot.down ? 'debug' : 'warn'](
      { node: node.name, retry_in_ms: this.#options.readdIntervalMs },
      'shoukaku dropped the lavalink node; adding it again',
    );
    slot.down = true;
    clearTimeout(slot.readdTimer);
    slot.readdTimer = setTimeout(() => this.#add(slot), this.#options.readdIntervalMs);
    slot.readdTimer.unref?.();
  }

  #onError(name: string, error: Error): void {
    const slot = this.#slots.get(name);
    if (slot) slot.events.error += 1;
    // While a node is down every retry fails the same way: one warning when it went down is enough.
    const quiet = this.#closed || slot?.down === true;
    this.#log[quiet ? 'debug' : 'warn']({ node: name, err: error }, 'lavalink node error');
  }

  #setStatus(slot: NodeSlot, status: NodeStatus): void {
    const previous = slot.status;
    if (previous === status) return;
    slot.status = status;
    this.emit('status', slot.option.name, status, previous);
  }
}

/** Closes a node's socket so that shoukaku does not reconnect it. */
function terminate(node: Node): void {
  const socket = node.ws;
  if (!socket) return;
  socket.removeAllListeners();
  socket.on('error', () => undefined);
  socket.terminate();
}

/**
 * `shoukaku.addNode`, except that the new node asks Lavalink to resume `sessionId`. shoukaku drops a node after a
 * failed reconnect and `addNode` starts a fresh session, which would leave the old session (and the players moved
 * away from it) running on the node until its resume timeout: resuming it instead lets the stale-copy cleanup delete
 * them. The event wiring mirrors shoukaku 4.3's `addNode`.
 */
function addResumingNode(shoukaku: Shoukaku, option: NodeOption, sessionId: string | null): Node {
  const node = new Node(shoukaku, option);
  if (sessionId) node.sessionId = sessionId;
  node.on('debug', (...args) => shoukaku.emit('debug', node.name, ...args));
  node.on('reconnecting', (...args) => shoukaku.emit('reconnecting', node.name, ...args));
  node.on('error', (...args) => shoukaku.emit('error', node.name, ...args));
  node.on('close', (...args) => shoukaku.emit('close', node.name, ...args));
  node.on('ready', (...args) => shoukaku.emit('ready', node.name, ...args));
  node.on('raw', (...args) => shoukaku.emit('raw', node.name, ...args));
  node.once('disconnect', () => shoukaku.nodes.delete(node.name));
  node.connect().catch((error: unknown) => shoukaku.emit('error', node.name, error as Error));
  shoukaku.nodes.set(node.name, node);
  return node;
}
