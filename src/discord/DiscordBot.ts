import { Client, DefaultRestOptions, Events, GatewayIntentBits } from 'discord.js';
import type { HealthCheck } from '../health/HealthCheck.js';
import type { Instruments } from '../telemetry/Instruments.js';
import type { Logger } from '../telemetry/logging/createLogger.js';
import type { InteractionPipeline } from './InteractionPipeline.js';
import { GatewayTelemetry } from './telemetry/GatewayTelemetry.js';
import { instrumentMakeRequest } from './telemetry/RestTelemetry.js';

/** How to reach Discord and which shards this process runs. */
export interface DiscordBotOptions {
  readonly token: string;
  /** REST base (`http://127.0.0.1:PORT/api` for the sandbox); undefined for the real Discord. */
  readonly apiUrl?: string;
  readonly restTimeoutMs: number;
  /** `auto` (all shards here, count from Discord) or the ids this process runs out of `shardCount`. */
  readonly shards: 'auto' | readonly number[];
  readonly shardCount: 'auto' | number;
  /** Measure every REST request (templated route, method, status); false when telemetry is off. Default true. */
  readonly measureRest?: boolean;
}

/**
 * The discord.js client with Metronome's wiring: intents, shards, instrumented REST, gateway telemetry and the
 * interaction pipeline. Owns the client's lifetime.
 */
export class DiscordBot implements AsyncDisposable {
  readonly client: Client;
  readonly gateway: GatewayTelemetry;

  constructor(
    private readonly options: DiscordBotOptions,
    instruments: Instruments,
    private readonly logger: Logger,
  ) {
    this.client = new Client({
      // Guilds for commands and channels; voice states for the music layer's "who is in my channel".
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates],
      shards: options.shards === 'auto' ? 'auto' : [...options.shards],
      ...(options.shardCount === 'auto' ? {} : { shardCount: options.shardCount }),
      rest: {
        ...(options.apiUrl ? { api: options.apiUrl } : {}),
        timeout: options.restTimeoutMs,
        makeRequest:
          options.measureRest === false
            ? DefaultRestOptions.makeRequest
            : instrumentMakeRequest(DefaultRestOptions.makeRequest, () => instruments),
      },
    });
    this.gateway = new GatewayTelemetry(this.client, instruments, logger, () => this.shardIds());
    this.client.on(Events.Warn, (message) => logger.warn({ detail: message }, 'discord.js warning'));
    this.client.on(Events.Error, (error) => logger.error({ err: error }, 'discord.js client error'));
  }

  /**
   * Sends every interaction to `pipeline`. Separate from the constructor because the pipeline's services (music,
   * Lavalink) need this client first.
   */
  route(pipeline: InteractionPipeline): void {
    this.client.on(Events.InteractionCreate, (interaction) => void pipeline.handle(interaction));
  }

  /** The shard ids this process runs: from configuration, or what `auto` resolved to once connected. */
  shardIds(): readonly number[] {
    if (this.options.shards !== 'auto') return this.options.shards;
    return [...this.client.ws.shards.keys()];
  }

  /** Logs in and resolves once every shard of this process is ready. */
  async start(): Promise<void> {
    const ready = new Promise<void>((resolve) => this.client.once(Events.ClientReady, () => resolve()));
    await this.client.login(this.options.token);
    await ready;
    this.logger.info(
      { shards: this.shardIds(), guilds: this.client.guilds.cache.size, user: this.client.user?.tag },
      'discord ready',
    );
  }

  /** Readiness: every shard assigned to this process is ready. */
  readinessCheck(): HealthCheck {
    return {
      name: 'discord',
      check: () => {
        const statuses = this.gateway.statuses();
        if (!this.client.isReady() || statuses.size === 0) return { ok: false, reason: 'not logged in' };
        const notReady = [...statuses].filter(([, status]) => status !== 'ready');
        if (notReady.length > 0) {
          return { ok: false, reason: notReady.map(([id, status]) => `shard ${id} ${status}`).join(', ') };
        }
        return { ok: true, detail: `${statuses.size} shard(s) ready` };
      },
    };
  }

  /** Per-shard detail for `/healthz`. */
  details(): Record<string, unknown> {
    return {
      shards: [...this.gateway.statuses()].map(([id, status]) => ({
        id,
        status,
        latency_ms: this.client.ws.shards.get(id)?.ping ?? null,
        guilds: this.client.guilds.cache.filter((g) => g.shardId === id).size,
      })),
    };
  }

  async stop(): Promise<void> {
    await this.client.destroy();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
