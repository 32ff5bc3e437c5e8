import type { TrackCatalogue } from '../../catalogue/TrackCatalogue.js';
import { decodeTrack, TrackDecodeError } from '../../catalogue/trackCodec.js';
import { LAVALINK_FILTERS } from '../../protocol/NodeInfo.js';
import type { LavalinkFiltersJson, LavalinkVoiceState } from '../../protocol/PlayerJson.js';
import type { LavalinkSession } from '../../state/LavalinkSession.js';
import type { PlayRequest } from '../../state/SandboxPlayer.js';
import { LavalinkErrors } from '../LavalinkApiError.js';

/** The body of `PATCH /v4/sessions/{id}/players/{guild}`, validated. Absent fields are undefined. */
interface PlayerUpdate {
  /** The track to play: an encoded track, null to stop, or an identifier to resolve. */
  readonly track?: { readonly encoded: string | null } | { readonly identifier: string };
  readonly userData?: Record<string, unknown>;
  readonly position?: number;
  readonly endTime?: number | null;
  readonly volume?: number;
  readonly paused?: boolean;
  readonly filters?: LavalinkFiltersJson;
  readonly voice?: LavalinkVoiceState;
}

const KNOWN_FILTERS = new Set<string>([...LAVALINK_FILTERS, 'pluginFilters']);

/**
 * Applies a player update in the order Lavalink's `PlayerRestHandler` does: validation first (400s leave the player
 * untouched), then voice, pause, user data, volume, seek, end time, filters, and finally the new track, which
 * honours `noReplace`.
 */
export function updatePlayer(
  session: LavalinkSession,
  guildId: string,
  body: unknown,
  noReplace: boolean,
  catalogue: TrackCatalogue,
): void {
  const update = parsePlayerUpdate(body);
  const skipTrack = !update.track || (noReplace && session.players.get(guildId)?.hasTrack === true);
  // Resolving first means a bad track leaves the player untouched.
  const request = skipTrack ? undefined : resolveTrack(update, catalogue);
  const player = session.player(guildId);
  const newTrack = update.track !== undefined;
  if (update.voice) player.setVoice(update.voice);
  if (update.paused !== undefined && !newTrack) player.setPaused(update.paused);
  if (update.userData !== undefined && !newTrack) player.setUserData(update.userData);
  if (update.volume !== undefined) player.setVolume(update.volume);
  if (update.position !== undefined && !newTrack) player.seek(update.position);
  if (update.endTime !== undefined && !newTrack) player.setEndTime(update.endTime);
  if (update.filters) player.setFilters(update.filters);
  if (skipTrack) return;
  if (request) player.play(request);
  else player.stop();
}

function resolveTrack(update: PlayerUpdate, catalogue: TrackCatalogue): PlayRequest | undefined {
  const spec = update.track!;
  const common = {
    paused: update.paused ?? false,
    ...(update.position !== undefined ? { position: update.position } : {}),
    ...(update.endTime !== undefined ? { endTime: update.endTime } : {}),
    ...(update.userData !== undefined ? { userData: update.userData } : {}),
  };
  if ('identifier' in spec) {
    const resolved = catalogue.loadSingle(spec.identifier);
    switch (resolved.kind) {
      case 'track':
        return { ...common, encoded: resolved.track.encoded, info: resolved.track.info };
      case 'notSingle':
        throw LavalinkErrors.badRequest('Cannot play a playlist or search result');
      case 'empty':
        throw LavalinkErrors.badRequest('No matches found for identifier');
      default:
        throw LavalinkErrors.internal(resolved.message);
    }
  }
  if (spec.encoded === null) return undefined;
  try {
    return { ...common, encoded: spec.encoded, info: decodeTrack(spec.encoded) };
  } catch (error) {
    if (error instanceof TrackDecodeError) throw LavalinkErrors.badRequest(error.message);
    throw error;
  }
}

function parsePlayerUpdate(body: unknown): PlayerUpdate {
  if (!isRecord(body)) throw LavalinkErrors.badRequest('Failed to read request: expected a JSON object');
  const hasTrack = body.track !== undefined;
  if (hasTrack && (body.encodedTrack !== undefined || body.identifier !== undefined)) {
    throw LavalinkErrors.badRequest('Cannot specify both track and encodedTrack/identifier');
  }
  // `encodedTrack` and `identifier` at the top level are the deprecated forms of `track`.
  const trackSpec = hasTrack ? body.track : legacyTrack(body);
  let track: PlayerUpdate['track'];
  let userData: PlayerUpdate['userData'];
  if (trackSpec !== undefined) {
    if (!isRecord(trackSpec)) throw LavalinkErrors.badRequest('track must be an object');
    const { encoded, identifier } = trackSpec;
    if (encoded !== undefined && identifier !== undefined) {
      throw LavalinkErrors.badRequest('Cannot specify both encodedTrack and identifier');
    }
    if (identifier !== undefined) {
      if (typeof identifier !== 'string') throw LavalinkErrors.badRequest('track.identifier must be a string');
      track = { identifier };
    } else if (encoded !== undefined) {
      if (encoded !== null && typeof encoded !== 'string') {
        throw LavalinkErrors.badRequest('track.encoded must be a string or null');
      }
      track = { encoded };
    }
    if (trackSpec.userData !== undefined) {
      if (!isRecord(trackSpec.userData)) throw LavalinkErrors.badRequest('track.userData must be an object');
      userData = trackSpec.userData;
    }
  }
  const endTime = optional<number | null>(
    body.endTime,
    'endTime',
    (v) => v === null || isInteger(v),
    'an integer or null',
  );
  if (typeof endTime === 'number' && endTime <= 0) throw LavalinkErrors.badRequest('End time must be greater than 0');
  return {
    ...(track !== undefined ? { track } : {}),
    ...(userData !== undefined ? { userData } : {}),
    position: optional<number>(body.position, 'position', (v) => isInteger(v) && v >= 0, 'a non-negative integer'),
    endTime,
    volume: optional<number>(
      body.volume,
      'volume',
      (v) => isInteger(v) && v >= 0 && v <= 1000,
      'an integer from 0 to 1000',
    ),
    paused: optional<boolean>(body.paused, 'paused', (v) => typeof v === 'boolean', 'a boolean'),
    filters: body.filters === undefined ? undefined : parseFilters(body.filters),
    voice: body.voice === undefined ? undefined : parseVoice(body.voice),
  };
}

function legacyTrack(body: Record<string, unknown>): unknown {
  if (body.encodedTrack !== undefined) return { encoded: body.encodedTrack };
  if (body.identifier !== undefined) return { identifier: body.identifier };
  return undefined;
}

/**
 * A voice state must be complete. Since Lavalink 4.2 (DAVE, end-to-end-encrypted voice) that includes `channelId`;
 * without it Lavalink answers 400 and never reaches Discord's voice servers (shoukaku issue #230).
 */
function parseVoice(value: unknown): LavalinkVoiceState {
  if (!isRecord(value)) throw LavalinkErrors.badRequest('voice must be an object');
  const { token, endpoint, sessionId, channelId } = value;
  if (!nonEmpty(token) || !nonEmpty(endpoint) || !nonEmpty(sessionId)) {
    throw LavalinkErrors.badRequest(`Partial Lavalink voice state: ${JSON.stringify(value)}`);
  }
  if (!nonEmpty(channelId)) {
    throw LavalinkErrors.badRequest(
      `Partial Lavalink voice state: channelId is required since Lavalink 4.2 (DAVE): ${JSON.stringify(value)}`,
    );
  }
  return { token, endpoint, sessionId, channelId };
}

function parseFilters(value: unknown): LavalinkFiltersJson {
  if (!isRecord(value)) throw LavalinkErrors.badRequest('filters must be an object');
  const unknown = Object.keys(value).filter((key) => !KNOWN_FILTERS.has(key));
  if (unknown.length > 0) throw LavalinkErrors.badRequest(`Unknown filters: ${unknown.join(', ')}`);
  const volume = value.volume;
  if (volume !== undefined && (typeof volume !== 'number' || volume < 0 || volume > 5)) {
    throw LavalinkErrors.badRequest('filters.volume must be a number from 0.0 to 5.0');
  }
  // `null` clears a filter in the request; the player's filters only list the ones that are set.
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

function optional<T>(value: unknown, field: string, valid: (v: unknown) => boolean, expected: string): T | undefined {
  if (value === undefined) return undefined;
  if (!valid(value)) throw LavalinkErrors.badRequest(`${field} must be ${expected}`);
  return value as T;
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
