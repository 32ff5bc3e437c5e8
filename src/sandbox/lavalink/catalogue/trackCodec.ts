import type { LavalinkTrack, LavalinkTrackInfo } from '../protocol/LavalinkTrack.js';

/** What an encoded sandbox track carries: the track info without the position. */
export type EncodableTrackInfo = Omit<LavalinkTrackInfo, 'position'>;

/** An encoded track string that is not one of the sandbox's. */
export class TrackDecodeError extends Error {
  public override readonly name = 'TrackDecodeError';

  public constructor(public readonly encoded: string) {
    super('Failed to decode track: not a sandbox-encoded track');
  }
}

const FORMAT = 'sandbox-lavalink-track';
const VERSION = 1;

/**
 * Encodes a track the sandbox way: base64 of a small JSON document. Real Lavalink uses lavaplayer's binary format;
 * clients must treat `encoded` as opaque anyway, and this one decodes on any sandbox node, which failover needs.
 */
export function encodeTrack(info: EncodableTrackInfo): string {
  const { identifier, isSeekable, author, length, isStream, title, uri, artworkUrl, isrc, sourceName } = info;
  const document = {
    format: FORMAT,
    version: VERSION,
    info: { identifier, isSeekable, author, length, isStream, title, uri, artworkUrl, isrc, sourceName },
  };
  return Buffer.from(JSON.stringify(document), 'utf8').toString('base64');
}

/** Decodes what {@link encodeTrack} produced; throws {@link TrackDecodeError} for anything else. */
export function decodeTrack(encoded: string): EncodableTrackInfo {
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    throw new TrackDecodeError(encoded);
  }
  if (!isRecord(document) || document.format !== FORMAT || document.version !== VERSION) {
    throw new TrackDecodeError(encoded);
  }
  const info = document.info;
  if (
    !isRecord(info) ||
    typeof info.identifier !== 'string' ||
    typeof info.title !== 'string' ||
    typeof info.author !== 'string' ||
    typeof info.length !== 'number' ||
    typeof info.isStream !== 'boolean' ||
    typeof info.isSeekable !== 'boolean' ||
    typeof info.sourceName !== 'string'
  ) {
    throw new TrackDecodeError(encoded);
  }
  return {
    identifier: info.identifier,
    isSeekable: info.isSeekable,
    author: info.author,
    length: info.length,
    isStream: info.isStream,
    title: info.title,
    uri: nullableString(info.uri),
    artworkUrl: nullableString(info.artworkUrl),
    isrc: nullableString(info.isrc),
    sourceName: info.sourceName,
  };
}

/** The Track object for an encoded track at a position, with the client's user data. */
export function trackJson(
  encoded: string,
  info: EncodableTrackInfo,
  position = 0,
  userData: Record<string, unknown> = {},
): LavalinkTrack {
  return { encoded, info: { ...info, position }, pluginInfo: {}, userData };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nullableString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
