import pino from 'pino';
import { HostAllowList } from '../../src/music/HostAllowList.js';
import type { JoinOptions, LoadResult, TrackEndReason } from '../../src/music/LavalinkGateway.js';
import { type MusicLimits, resolveMusicLimits } from '../../src/music/MusicLimits.js';
import {
  MusicService,
  type MusicServiceEvents,
  type MusicServiceOptions,
  type PlayRequest,
} from '../../src/music/MusicService.js';
import type { ValidatedQuery } from '../../src/music/QueryGuard.js';
import type { LoadedTrack } from '../../src/music/Track.js';
import { globalInstruments } from '../../src/telemetry/Instruments.js';
import { MusicInstruments } from '../../src/telemetry/MusicInstruments.js';
import { type FakeGuildPlayer, FakeLavalinkGateway } from './FakeLavalinkGateway.js';
import { alice, loadedTrack } from './trackFixtures.js';

export const GuildId = '300000000000000001';
export const VoiceChannelId = '400000000000000001';
export const TextChannelId = '500000000000000001';

/** A {@link FakeLavalinkGateway} that also records joins and can be told to fail joins and loads. */
export class ScriptedLavalinkGateway extends FakeLavalinkGateway {
  readonly joins: JoinOptions[] = [];
  joinError: Error | null = null;
  loadError: Error | null = null;
  /** Called before each load answers, e.g. to advance a fake clock. */
  onLoad: () => void = () => undefined;

  override async join(options: JoinOptions): Promise<FakeGuildPlayer> {
    this.joins.push(options);
    if (this.joinError) throw this.joinError;
    return super.join(options);
  }

  override async load(query: ValidatedQuery): Promise<LoadResult> {
    this.onLoad();
    if (this.loadError) throw this.loadError;
    return super.load(query);
  }

  /** Makes searching for `text` find `tracks`. */
  search(text: string, tracks: readonly LoadedTrack[]): void {
    this.results.set(`ytsearch:${text}`, { kind: 'search', tracks });
  }

  /** Makes `url` load a playlist of `tracks`. */
  playlist(url: string, name: string, tracks: readonly LoadedTrack[]): void {
    this.results.set(url, { kind: 'playlist', tracks, playlistName: name });
  }
}

/** One emitted service event, flattened for assertions. */
export type RecordedEvent = {
  [K in RecordedEventName]: { name: K } & MusicServiceEvents[K][0];
}[RecordedEventName];

/** The events the harness records: those the announcer turns into messages. */
type RecordedEventName = 'trackStart' | 'queueEnd' | 'disconnected' | 'trackError';

/** A service on a scripted gateway with a fake clock, recording every event it emits. */
export interface Harness extends AsyncDisposable {
  readonly service: MusicService;
  readonly gateway: ScriptedLavalinkGateway;
  readonly clock: { ms: number };
  readonly events: RecordedEvent[];
  /** The guild's fake player; throws if the service has not joined. */
  player(guildId?: string): FakeGuildPlayer;
}

/**
 * Builds a service with the production defaults of config, a resolver that answers a public address, and a silent
 * logger. Close it at the end of the test (`await using` or `service.close()`): its gauges stay registered until then.
 */
export function createHarness(
  overrides: Partial<Omit<MusicServiceOptions, 'limits'>> & { limits?: Partial<MusicLimits> } = {},
): Harness {
  const gateway = new ScriptedLavalinkGateway();
  const clock = { ms: 0 };
  const { limits, ...rest } = overrides;
  const service = new MusicService({
    gateway,
    limits: resolveMusicLimits(limits),
    allowList: HostAllowList.Empty,
    searchPrefix: 'ytsearch',
    maxQueryLength: 500,
    idleTimeoutMs: 300_000,
    aloneTimeoutMs: 60_000,
    defaultVolume: 100,
    instruments: new MusicInstruments(globalInstruments()),
    logger: pino({ level: 'silent' }),
    resolve: async () => [{ address: '93.184.216.34' }],
    now: () => clock.ms,
    ...rest,
  });
  const events: RecordedEvent[] = [];
  for (const name of ['trackStart', 'queueEnd', 'disconnected', 'trackError'] as const) {
    service.on(name, (event: object) => events.push({ name, ...event } as RecordedEvent));
  }
  return {
    service,
    gateway,
    clock,
    events,
    [Symbol.asyncDispose]: () => service.close(),
    player(guildId = GuildId) {
      const player = gateway.player(guildId);
      if (!player) throw new Error(`no player for guild ${guildId}`);
      return player;
    },
  };
}

/** A `/play` request from alice in the test guild. */
export function playRequest(query: string, overrides: Partial<PlayRequest> = {}): PlayRequest {
  return {
    guildId: GuildId,
    member: alice,
    query,
    voiceChannelId: VoiceChannelId,
    textChannelId: TextChannelId,
    shardId: 0,
    ...overrides,
  };
}

/** Searches for `text` find `count` tracks named `prefix1..prefixN`. */
export function searchable(gateway: ScriptedLavalinkGateway, text: string, count = 1, prefix = text): LoadedTrack[] {
  const tracks = Array.from({ length: count }, (_, i) => loadedTrack(`${prefix}${i + 1}`));
  gateway.search(text, tracks);
  return tracks;
}

/** The encoded track the player was last told to play. */
export function lastPlayed(player: FakeGuildPlayer): string | undefined {
  return player.calls.findLast((call) => call.op === 'play')?.encoded;
}

/** The encoded tracks the player was told to play, in order. */
export function played(player: FakeGuildPlayer): string[] {
  return player.calls.flatMap((call) => (call.op === 'play' ? [call.encoded] : []));
}

/** Lavalink reports that the last played track started. */
export function started(player: FakeGuildPlayer): string {
  const encoded = lastPlayed(player);
  if (!encoded) throw new Error('nothing was played');
  player.emit({ type: 'start', encoded });
  return encoded;
}

/** Lavalink reports that the last played track ended (finished unless said otherwise). */
export function ended(player: FakeGuildPlayer, reason: TrackEndReason = 'finished'): string {
  const encoded = lastPlayed(player);
  if (!encoded) throw new Error('nothing was played');
  player.emit({ type: 'end', encoded, reason });
  return encoded;
}

/** Lets pending promise callbacks run (the service reacts to some events asynchronously). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
