import { Writable } from 'node:stream';
import type { Client } from 'discord.js';
import pino from 'pino';
import { Secret } from '../../src/config/Secret.js';
import { ShoukakuGateway } from '../../src/lavalink/ShoukakuGateway.js';
import type { ShoukakuGatewayOptions } from '../../src/lavalink/ShoukakuGatewayOptions.js';
import { type ValidatedQuery, validateQuery } from '../../src/music/QueryGuard.js';
import type { Track } from '../../src/music/Track.js';
import { createTrack } from '../../src/music/Track.js';
import { SandboxDiscord, type SandboxDiscordOptions } from '../../src/sandbox/discord/index.js';
import type { SandboxLavalink } from '../../src/sandbox/lavalink/index.js';
import { globalInstruments } from '../../src/telemetry/Instruments.js';
import { LavalinkInstruments } from '../../src/telemetry/LavalinkInstruments.js';
import { sandboxClient } from '../sandbox/discord/loginClient.js';
import { until } from '../sandbox/lavalink/until.js';

/** Fast reconnects and short timeouts, so failures show up within a test. */
export const TEST_GATEWAY_OPTIONS = {
  reconnectTries: 3,
  reconnectIntervalMs: 50,
  readdIntervalMs: 50,
  failoverAfterMs: 3_000,
  restTimeoutMs: 3_000,
  voiceConnectionTimeoutMs: 3_000,
  resumeTimeoutS: 30,
} as const satisfies Partial<ShoukakuGatewayOptions>;

/** A resolver that never touches the network: every host is a public address. */
const publicResolver = async () => [{ address: '93.184.215.14' }];

/** A checked query, as the music layer would pass it. */
export function query(text: string): Promise<ValidatedQuery> {
  return validateQuery(text, { resolve: publicResolver });
}

/**
 * The real stack against the sandboxes: a sandbox Discord, an unmodified discord.js client logged into it, and the
 * ShoukakuGateway (real shoukaku) on the given sandbox Lavalink nodes. Log lines are kept for assertions.
 */
export class GatewayHarness implements AsyncDisposable {
  private constructor(
    readonly discord: SandboxDiscord,
    readonly client: Client,
    readonly gateway: ShoukakuGateway,
    readonly nodes: readonly SandboxLavalink[],
    /** Every line the gateway logged, parsed. */
    readonly logs: readonly Record<string, unknown>[],
  ) {}

  static async start(
    nodes: readonly SandboxLavalink[],
    options: Partial<ShoukakuGatewayOptions> = {},
    discordOptions: SandboxDiscordOptions = {},
  ): Promise<GatewayHarness> {
    const discord = await SandboxDiscord.start(discordOptions);
    const client = sandboxClient(discord);
    const logs: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line));
        callback();
      },
    });
    const logger = pino({ level: 'trace', base: undefined }, sink).child({ logger: 'lavalink' });
    const gateway = new ShoukakuGateway({
      client,
      nodes: nodes.map((n) => ({ name: n.name, url: n.address, secure: false, region: null })),
      password: new Secret(nodes[0]?.password ?? 'youshallnotpass'),
      instruments: new LavalinkInstruments(globalInstruments()),
      logger,
      ...TEST_GATEWAY_OPTIONS,
      ...options,
    });
    const harness = new GatewayHarness(discord, client, gateway, nodes, logs);
    await client.login(discord.token);
    await harness.nodesConnected(...nodes.map((n) => n.name));
    return harness;
  }

  get guildId(): string {
    return this.discord.guilds[0]!.id;
  }

  get voiceChannelId(): string {
    return this.discord.guilds[0]!.voiceChannelIds[0]!;
  }

  /** Status of each node, as `/healthz` shows it. */
  statuses(): Record<string, string> {
    const nodes = (this.gateway.details().lavalink as { nodes: { name: string; status: string }[] }).nodes;
    return Object.fromEntries(nodes.map((n) => [n.name, n.status]));
  }

  /** Waits until the named nodes are connected and have sent stats. */
  async nodesConnected(...names: string[]): Promise<void> {
    await until(
      () =>
        names.every(
          (name) => this.statuses()[name] === 'connected' && this.gateway.shoukaku?.nodes.get(name)?.stats !== null,
        ),
      `nodes ${names.join(', ')} connected`,
    );
  }

  /** Loads one identifier and returns it as a queue entry. */
  async track(identifier: string): Promise<Track> {
    const result = await this.gateway.load(await query(identifier));
    const loaded = result.tracks[0];
    if (!loaded) throw new Error(`${identifier} loaded nothing (${result.kind})`);
    return createTrack(loaded, { id: '1', name: 'tester' });
  }

  /** Joins the sandbox voice channel. */
  join() {
    return this.gateway.join({ guildId: this.guildId, voiceChannelId: this.voiceChannelId, shardId: 0 });
  }

  /** Every log line's text, for "never logged" checks. */
  logText(): string {
    return this.logs.map((line) => JSON.stringify(line)).join('\n');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.gateway.close();
    await this.client.destroy();
    await this.discord.close();
  }
}
