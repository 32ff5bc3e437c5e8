import type { Node } from 'shoukaku';
import type { CheckResult } from '../health/HealthCheck.js';
import type { NodeEventName, NodeStatus } from './NodeMonitor.js';

/** One configured node as the health endpoints see it. */
export interface NodeHealth {
  readonly name: string;
  readonly region: string | null;
  readonly status: NodeStatus;
  /** The shoukaku node object in use, if any. */
  readonly node: Node | undefined;
  readonly events: Readonly<Record<NodeEventName, number>>;
}

/** Readiness `lavalink`: at least one node connected; `null` nodes means music is not configured (always ready). */
export function lavalinkReadiness(nodes: readonly NodeHealth[] | null): CheckResult {
  if (nodes === null) return { ok: true, detail: 'no nodes configured' };
  const connected = nodes.filter((n) => n.status === 'connected').length;
  if (connected > 0) return { ok: true, detail: `${connected}/${nodes.length} node(s) connected` };
  return { ok: false, reason: `no node connected (${nodes.map((n) => `${n.name} ${n.status}`).join(', ')})` };
}

/**
 * The `lavalink` section of `/healthz`: per node its status, the load it last reported (only while connected),
 * how many of the bot's players it serves, and its lifecycle event counts.
 */
export function lavalinkDetails(
  enabled: boolean,
  nodes: readonly NodeHealth[],
  players: readonly { readonly nodeObject: Node }[],
): Record<string, unknown> {
  return {
    lavalink: {
      enabled,
      players: players.length,
      nodes: nodes.map(({ name, region, status, node, events }) => {
        const stats = status === 'connected' ? node?.stats : null;
        return {
          name,
          region,
          status,
          bot_players: players.filter((p) => p.nodeObject === node).length,
          players: stats?.players ?? null,
          playing_players: stats?.playingPlayers ?? null,
          cpu_system: stats?.cpu.systemLoad ?? null,
          cpu_lavalink: stats?.cpu.lavalinkLoad ?? null,
          memory_used_bytes: stats?.memory.used ?? null,
          uptime_s: stats ? Math.floor(stats.uptime / 1000) : null,
          events,
        };
      }),
    },
  };
}
