import { STREAM_LENGTH } from '../protocol/LavalinkTrack.js';
import type { CatalogueSpec, CatalogueTrack } from './CatalogueEntry.js';

/** Identifiers of the default catalogue that tests and the demo reach for by name. */
export const CatalogueIdentifiers = Object.freeze({
  /** A 5-second YouTube track, for end-of-track tests. */
  shortTrack: 'https://www.youtube.com/watch?v=Sh0rtTone05',
  /** A regular 3.5-minute YouTube track. */
  nightDrive: 'https://www.youtube.com/watch?v=Nd7kQ2xLm0A',
  /** A live YouTube stream: `isStream`, not seekable, never ends. */
  liveStream: 'https://www.youtube.com/watch?v=Lv24x7Radio',
  /** An HTTP radio stream. */
  httpStream: 'https://sandbox.test/radio/lofi',
  /** A SoundCloud track. */
  soundcloudTrack: 'https://soundcloud.com/cloudwalker/rainy-road',
  /** An HTTP file that loads but fails as soon as it plays. */
  failsOnPlay: 'https://sandbox.test/audio/corrupt.mp3',
  /** An 8-track playlist. */
  playlist: 'https://sandbox.test/playlist/road-trip',
  /** Loads as `error` (severity common): a private video. */
  privateTrack: 'https://sandbox.test/private',
  /** Loads as `error` (severity fault): the source broke. */
  brokenTrack: 'https://sandbox.test/broken',
  /** Loads as `empty`. */
  missingTrack: 'https://sandbox.test/missing',
});

function youtube(
  id: string,
  title: string,
  author: string,
  length: number,
  isrc: string | null = null,
): CatalogueTrack {
  return {
    info: {
      identifier: id,
      isSeekable: true,
      author,
      length,
      isStream: false,
      title,
      uri: `https://www.youtube.com/watch?v=${id}`,
      artworkUrl: `https://i.ytimg.com/vi/${id}/maxresdefault.jpg`,
      isrc,
      sourceName: 'youtube',
    },
  };
}

function soundcloud(numericId: number, user: string, slug: string, title: string, length: number): CatalogueTrack {
  return {
    info: {
      identifier: `O:https://api-v2.soundcloud.com/media/soundcloud:tracks:${numericId}/stream/hls`,
      isSeekable: true,
      author: user,
      length,
      isStream: false,
      title,
      uri: `https://soundcloud.com/${user}/${slug}`,
      artworkUrl: `https://i1.sndcdn.com/artworks-${numericId}-t500x500.jpg`,
      isrc: null,
      sourceName: 'soundcloud',
    },
  };
}

function http(url: string, title: string, author: string, length: number, isStream = false): CatalogueTrack {
  return {
    info: {
      identifier: url,
      isSeekable: !isStream,
      author,
      length: isStream ? STREAM_LENGTH : length,
      isStream,
      title,
      uri: url,
      artworkUrl: null,
      isrc: null,
      sourceName: 'http',
    },
  };
}

const liveStream: CatalogueTrack = {
  info: {
    ...youtube('Lv24x7Radio', 'Lofi Radio 24/7', 'Quiet Loops', 0).info,
    length: STREAM_LENGTH,
    isStream: true,
    isSeekable: false,
  },
};
const corrupt: CatalogueTrack = {
  ...http(CatalogueIdentifiers.failsOnPlay, 'Corrupt Recording', 'Unknown artist', 120_000),
  failsOnPlay: {
    message: 'Something broke when playing the track.',
    severity: 'fault',
    cause: 'java.lang.IllegalStateException: Invalid MP3 frame header',
  },
};

/**
 * The catalogue every sandbox node serves unless given another: about twenty invented tracks from `youtube`,
 * `soundcloud` and `http`, one playlist, two failing identifiers. Deterministic, so tests can name results.
 */
export function defaultCatalogue(): CatalogueSpec {
  return {
    tracks: [
      youtube('Nd7kQ2xLm0A', 'Night Drive', 'Neon Avenue', 214_000, 'QZSBX2600001'),
      youtube('Rt5pW8vBc3E', 'Road to Nowhere (Live)', 'The Sandbox Band', 251_000),
      youtube('Mk2LsQ9dFh4', 'Midnight City Lights', 'Neon Avenue', 189_000, 'QZSBX2600002'),
      youtube('Pq8ZtY1uJw6', 'Open Road Anthem', 'Highway Nine', 236_000),
      youtube('Ls4HnB7cVx2', 'Lofi Beats to Test To', 'Quiet Loops', 3_600_000),
      youtube('Gh6TrE3wQa9', 'Golden Hour', 'Amber Fields', 198_000),
      youtube('Zx1CvB5nMl8', 'Coffee Shop Rain', 'Quiet Loops', 167_000),
      youtube('Wa9SdF2gHj5', 'Summer Road Trip', 'Highway Nine', 205_000),
      youtube('Ty3UiO6pLk1', 'Northern Lights', 'Aurora Static', 243_000),
      youtube('Bv7NmQ4wEr0', 'Electric Dreams', 'Neon Avenue', 221_000),
      youtube('Cx5ZaS8dFg2', 'Dreams of the Open Road', 'Amber Fields', 276_000),
      youtube('Hy8UjK2mNb7', 'Night Train', 'Aurora Static', 229_000),
      youtube('Sh0rtTone05', 'Short Test Tone', 'Sandbox Audio', 5_000),
      liveStream,
      soundcloud(100_001, 'dj-sandbox', 'night-drive-remix', 'Night Drive (Remix)', 232_000),
      soundcloud(100_002, 'cloudwalker', 'rainy-road', 'Rainy Road', 187_000),
      soundcloud(100_003, 'cloudwalker', 'lighthouse', 'Lighthouse', 201_000),
      soundcloud(100_004, 'transit-tapes', 'morning-commute', 'Morning Commute', 174_000),
      soundcloud(100_005, 'amber-fields', 'golden-hour-acoustic', 'Golden Hour (Acoustic)', 190_000),
      http('https://sandbox.test/audio/ocean-waves.mp3', 'Ocean Waves', 'Field Recordings', 300_000),
      http(CatalogueIdentifiers.httpStream, 'Sandbox Radio', 'Unknown artist', 0, true),
      corrupt,
    ],
    playlists: [
      {
        url: CatalogueIdentifiers.playlist,
        name: 'Road Trip',
        trackIdentifiers: [
          'Rt5pW8vBc3E',
          'Pq8ZtY1uJw6',
          'Wa9SdF2gHj5',
          'Cx5ZaS8dFg2',
          'Nd7kQ2xLm0A',
          'Gh6TrE3wQa9',
          'Ty3UiO6pLk1',
          'Hy8UjK2mNb7',
        ],
      },
    ],
    failures: [
      {
        identifier: CatalogueIdentifiers.privateTrack,
        message: 'This video is private.',
        severity: 'common',
        cause: 'com.sedmelluq.discord.lavaplayer.tools.FriendlyException: This video is private.',
      },
      {
        identifier: CatalogueIdentifiers.brokenTrack,
        message: 'Something went wrong when looking up the track.',
        severity: 'fault',
        cause: 'java.io.IOException: Invalid status code for video page response: 500',
      },
    ],
  };
}
