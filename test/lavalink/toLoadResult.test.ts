import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoadType, type Track } from 'shoukaku';
import { toLoadedTrack, toLoadResult } from '../../src/lavalink/toLoadResult.js';

const track = (overrides: Partial<Track['info']> = {}): Track => ({
  encoded: 'QAAA',
  pluginInfo: {},
  info: {
    identifier: 'id',
    isSeekable: true,
    author: 'Author',
    length: 180_000,
    isStream: false,
    position: 0,
    title: 'Title',
    sourceName: 'youtube',
    ...overrides,
  },
});

describe('toLoadResult', () => {
  it('maps a track, with null for a missing uri and artwork', () => {
    assert.deepEqual(toLoadResult({ loadType: LoadType.TRACK, data: track() }), {
      kind: 'track',
      tracks: [
        {
          encoded: 'QAAA',
          identifier: 'id',
          title: 'Title',
          author: 'Author',
          lengthMs: 180_000,
          isStream: false,
          isSeekable: true,
          uri: null,
          artworkUrl: null,
          sourceName: 'youtube',
        },
      ],
    });
  });

  it('gives a stream a length of 0 instead of the 2^63 sentinel of Lavalink', () => {
    const stream = toLoadedTrack(track({ isStream: true, isSeekable: false, length: 2 ** 63 }));
    assert.deepEqual([stream.isStream, stream.lengthMs], [true, 0]);
  });

  it('maps playlists with their name, searches, and empty answers (also an empty body)', () => {
    const playlist = toLoadResult({
      loadType: LoadType.PLAYLIST,
      data: { encoded: '', pluginInfo: {}, info: { name: 'Road Trip', selectedTrack: -1 }, tracks: [track(), track()] },
    });
    assert.deepEqual([playlist.kind, playlist.tracks.length], ['playlist', 2]);
    assert.equal(playlist.kind === 'playlist' && playlist.playlistName, 'Road Trip');
    assert.equal(toLoadResult({ loadType: LoadType.SEARCH, data: [track()] }).kind, 'search');
    assert.deepEqual(toLoadResult({ loadType: LoadType.EMPTY, data: {} }), { kind: 'empty', tracks: [] });
    assert.deepEqual(toLoadResult(undefined), { kind: 'empty', tracks: [] });
  });

  it('maps a load error to a result with its message and severity, never a throw', () => {
    assert.deepEqual(
      toLoadResult({
        loadType: LoadType.ERROR,
        data: { message: 'Video unavailable', severity: 'common', cause: 'x' },
      }),
      { kind: 'error', tracks: [], error: { message: 'Video unavailable', severity: 'common' } },
    );
    const odd = toLoadResult({ loadType: 'weird', data: {} } as never);
    assert.equal(odd.kind === 'error' && odd.error.severity, 'fault');
  });
});
