import { type EventEmitter, once } from 'node:events';
import type { Client } from 'discord.js';
import { Connectors, type NodeOption, type Player, Shoukaku, type ShoukakuOptions } from 'shoukaku';
import { SandboxDiscord } from '../../../src/sandbox/discord/index.js';
import { sandboxClient } from '../discord/loginClient.js';

/** Fast reconnects and short timeouts, so failures show up within a test. */
export const TEST_SHOUKAKU_OPTIONS: ShoukakuOptions = {
  resume: true,
  resumeTimeout: 30,
  reconnectTries: 20,
  reconnectInterval: 0.05,
  restTimeout: 5,
  voiceConnectionTimeout: 5,
};

/** How to start a harness. */
export interface ShoukakuHarnessOptions {
  readonly shoukaku?: ShoukakuOptions;
  /** Wait until every node sent `ready` (default true). */
  readonly waitForNodes?: boolean;
}

/**
 * The real client stack against the sandboxes: a sandbox Discord, an unmodified discord.js client logged into it,
 * and an unmodified shoukaku using that client as its connector and the given Lavalink nodes.
 */
export class ShoukakuHarness implements AsyncDisposable {
  /** Every error shoukaku emitted, as `[node, error]`. */
  public readonly errors: [string, Error][] = [];

  private constructor(
    public readonly discord: SandboxDiscord,
    public readonly client: Client,
    public readonly shoukaku: Shoukaku,
  ) {
    shoukaku.on('error', (name, error) => this.errors.push([name, error]));
  }

  public static async start(
    nodes: readonly NodeOption[],
    options: ShoukakuHarnessOptions = {},
  ): Promise<ShoukakuHarness> {
    const discord = await SandboxDiscord.start();
    const client = sandboxClient(discord);
    const shoukaku = new Shoukaku(new Connectors.DiscordJS(client), [...nodes], {
      ...TEST_SHOUKAKU_OPTIONS,
      ...options.shoukaku,
    });
    const harness = new ShoukakuHarness(discord, client, shoukaku);
    const pending = new Set(nodes.map((n) => n.name));
    const ready = new Promise<void>((resolve) => {
      shoukaku.on('ready', (name) => {
        pending.delete(name);
        if (pending.size === 0) resolve();
      });
    });
    await client.login(discord.token);
    if (options.waitForNodes ?? true) await ready;
    return harness;
  }

  /** The sandbox guild the bot is in. */
  public get guildId(): string {
    return this.discord.guilds[0]!.id;
  }

  /** Its first voice channel. */
  public get voiceChannelId(): string {
    return this.discord.guilds[0]!.voiceChannelIds[0]!;
  }

  /** A shoukaku node by name; throws when shoukaku dropped it. */
  public node(name: string) {
    const node = this.shoukaku.nodes.get(name);
    if (!node) throw new Error(`shoukaku has no node ${name}`);
    return node;
  }

  /** Joins the sandbox voice channel through shoukaku (Discord op 4, then the voice PATCH to Lavalink). */
  public join(): Promise<Player> {
    return this.shoukaku.joinVoiceChannel({ guildId: this.guildId, channelId: this.voiceChannelId, shardId: 0 });
  }

  /** Resolves one track through shoukaku and returns its encoded form. */
  public async encoded(identifier: string, nodeName?: string): Promise<string> {
    const node = nodeName ? this.node(nodeName) : [...this.shoukaku.nodes.values()][0]!;
    const result = await node.rest.resolve(identifier);
    if (result?.loadType !== 'track') throw new Error(`${identifier} did not load as a track`);
    return result.data.encoded;
  }

  /**
   * Stops everything. Shoukaku has no shutdown: `removeNode` closes the socket but its close handler reconnects,
   * so the sockets are torn down with their listeners removed first.
   */
  public async [Symbol.asyncDispose](): Promise<void> {
    for (const node of this.shoukaku.nodes.values()) {
      node.ws?.removeAllListeners();
      node.ws?.on('error', () => undefined);
      node.ws?.terminate();
    }
    await this.client.destroy();
    await this.discord.close();
  }
}

/** Resolves with the next emission of `event` on a shoukaku player or node. */
export async function next<T = unknown>(emitter: EventEmitter, event: string, timeoutMs = 5000): Promise<T> {
  const [value] = await once(emitter, event, { signal: AbortSignal.timeout(timeoutMs) });
  return value as T;
}
