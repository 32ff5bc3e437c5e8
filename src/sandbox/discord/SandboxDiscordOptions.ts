import { GatewayIntentBits } from 'discord-api-types/v10';
import type { VoiceEventOrder } from './gateway/voiceAndMembers.js';
import type { RateLimitPolicy } from './rest/RateLimiter.js';
import { defaultGuildSpec } from './state/defaultGuildSpec.js';
import type { GuildSpec } from './state/GuildSpec.js';

/** How to start a sandbox Discord; every field is optional. */
export interface SandboxDiscordOptions {
  /** The bot token clients must present (`Bot <token>` on REST, `token` in IDENTIFY). */
  token?: string;
  /** Application id, which is also the bot's user id; generated when omitted. */
  applicationId?: string;
  /** Application name; the bot's username is its lowercase form. */
  applicationName?: string;
  /** The shard count `GET /gateway/bot` recommends; also spreads default guild ids over the shards. */
  shardCount?: number;
  /** `session_start_limit.max_concurrency`; high by default so several shards identify without waiting. */
  maxConcurrency?: number;
  /** HELLO's heartbeat interval. Discord uses 41250 ms; tests pass small values. */
  heartbeatIntervalMs?: number;
  /** The guilds the bot is in; default: one guild from `defaultGuildSpec()`. */
  guilds?: readonly GuildSpec[];
  /** Interface to bind; loopback only by default. */
  host?: string;
  /** Port to bind; 0 picks a free one. */
  port?: number;
  /** `endpoint` of VOICE_SERVER_UPDATE; an unresolvable host by default so nothing dials out. */
  voiceEndpoint?: string;
  /**
   * Which of VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE answers the bot's voice join (op 4) first. Discord sends
   * either; `state_first` by default. Can be changed later with `SandboxDiscord.voiceEventOrder()`.
   */
  voiceEventOrder?: VoiceEventOrder;
  /** Per-bucket REST rate limit reported in headers and enforced. */
  rateLimit?: RateLimitPolicy;
  /** Time the bot has to send the initial interaction callback (Discord: 3000 ms). */
  interactionResponseDeadlineMs?: number;
  /** How long interaction webhooks accept the token (Discord: 15 minutes). */
  interactionTokenLifetimeMs?: number;
  /** Intents a bot may identify with; privileged intents are allowed by default. */
  allowedIntents?: number;
  /** `session_start_limit.total`. */
  sessionStartLimit?: number;
}

/** The options after defaults were applied. */
export type ResolvedSandboxDiscordOptions = Required<Omit<SandboxDiscordOptions, 'applicationId'>> & {
  applicationId: string | undefined;
};

const ALL_INTENTS = Object.values(GatewayIntentBits)
  .filter((v): v is number => typeof v === 'number')
  .reduce((all, bit) => all | bit, 0);

/** Defaults for every option. */
export const DefaultSandboxDiscordOptions = {
  token: 'sandbox-token',
  applicationId: undefined,
  applicationName: 'Metronome',
  shardCount: 1,
  maxConcurrency: 16,
  heartbeatIntervalMs: 41_250,
  guilds: [defaultGuildSpec()],
  host: '127.0.0.1',
  port: 0,
  voiceEndpoint: 'voice.sandbox.invalid:443',
  voiceEventOrder: 'state_first',
  // Generous compared to Discord's 5 per 5 s on message routes, so demos and tests are not throttled.
  rateLimit: { limit: 50, windowMs: 1000 },
  interactionResponseDeadlineMs: 3000,
  interactionTokenLifetimeMs: 15 * 60 * 1000,
  allowedIntents: ALL_INTENTS,
  sessionStartLimit: 1000,
} as const satisfies ResolvedSandboxDiscordOptions;

/** Merges options over the defaults, dropping undefined fields. */
export function resolveSandboxDiscordOptions(options: SandboxDiscordOptions): ResolvedSandboxDiscordOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { ...DefaultSandboxDiscordOptions, ...defined } as ResolvedSandboxDiscordOptions;
}
