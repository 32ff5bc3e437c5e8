import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CatalogueIdentifiers,
  decodeTrack,
  defaultCatalogue,
  encodeTrack,
  STREAM_LENGTH,
  TrackCatalogue,
  TrackDecodeError,
} from '../../../src/sandbox/lavalink/index.js';

const catalogue = new TrackCatalogue(defaultCatalogue());

describe('sandbox Lavalink catalogue', () => {
  it('holds about twenty tracks from youtube, soundcloud and http', () => {
    const sources = new Set(catalogue.tracks.map((t) => t.info.sourceName));
    assert.deepEqual([...sources].sort(), ['http', 'soundcloud', 'youtube']);
    assert.ok(catalogue.tracks.length >= 20, `${catalogue.tracks.length} tracks`);
  });

  it('encodes tracks so that they decode back to the same info', () => {
    for (const track of catalogue.tracks) {
      const { position: _position, ...info } = track.info;
      assert.deepEqual(decodeTrack(track.encoded), info);
      assert.equal(encodeTrack(info), track.encoded);
    }
  });

  it('refuses to decode what it did not encode', () => {
    assert.throws(() => decodeTrack('QAAAjQIAJVJpY2sgQXN0bGV5'), TrackDecodeError);
    assert.throws(() => decodeTrack(Buffer.from('{"format":"other"}').toString('base64')), TrackDecodeError);
  });

  it('GIVEN a YouTube URL, a short link or a bare video id THEN loads the same track', () => {
    const byUrl = catalogue.load(CatalogueIdentifiers.nightDrive);
    assert.equal(byUrl.loadType, 'track');
    for (const identifier of [
      'https://youtu.be/Nd7kQ2xLm0A',
      'Nd7kQ2xLm0A',
      'https://music.youtube.com/watch?v=Nd7kQ2xLm0A',
    ]) {
      assert.deepEqual(catalogue.load(identifier), byUrl, identifier);
    }
    assert.equal(byUrl.loadType === 'track' && byUrl.data.info.title, 'Night Drive');
  });

  it('searches titles case-insensitively per source, ten results at most', () => {
    const yt = catalogue.load('ytsearch:NIGHT');
    assert.equal(yt.loadType, 'search');
    assert.deepEqual(yt.loadType === 'search' && yt.data.map((t) => t.info.title), [
      'Night Drive',
      'Midnight City Lights',
      'Night Train',
    ]);
    const sc = catalogue.load('scsearch:night');
    assert.deepEqual(sc.loadType === 'search' && sc.data.map((t) => [t.info.title, t.info.sourceName]), [
      ['Night Drive (Remix)', 'soundcloud'],
    ]);
    const many = catalogue.load('ytsearch:o');
    assert.equal(many.loadType === 'search' && many.data.length, 10);
    assert.deepEqual(catalogue.load('ytsearch:zzz nothing'), { loadType: 'empty', data: {} });
  });

  it('loads the road-trip playlist with eight tracks and no selected track', () => {
    const result = catalogue.load(CatalogueIdentifiers.playlist);
    assert.equal(result.loadType, 'playlist');
    if (result.loadType !== 'playlist') return;
    assert.deepEqual(result.data.info, { name: 'Road Trip', selectedTrack: -1 });
    assert.equal(result.data.tracks.length, 8);
  });

  it('answers empty for unknown identifiers and error for failing ones', () => {
    assert.deepEqual(catalogue.load(CatalogueIdentifiers.missingTrack), { loadType: 'empty', data: {} });
    assert.deepEqual(catalogue.load('just some words'), { loadType: 'empty', data: {} });
    const privateTrack = catalogue.load(CatalogueIdentifiers.privateTrack);
    assert.equal(privateTrack.loadType, 'error');
    assert.equal(privateTrack.loadType === 'error' && privateTrack.data.severity, 'common');
    assert.equal(privateTrack.loadType === 'error' && privateTrack.data.message, 'This video is private.');
    const broken = catalogue.load(CatalogueIdentifiers.brokenTrack);
    assert.equal(broken.loadType === 'error' && broken.data.severity, 'fault');
    assert.match(broken.loadType === 'error' ? broken.data.cause : '', /IOException/);
  });

  it('has a five-second track and streams that never end', () => {
    const short = catalogue.load(CatalogueIdentifiers.shortTrack);
    assert.equal(short.loadType === 'track' && short.data.info.length, 5000);
    for (const identifier of [CatalogueIdentifiers.liveStream, CatalogueIdentifiers.httpStream]) {
      const stream = catalogue.load(identifier);
      assert.equal(stream.loadType, 'track');
      if (stream.loadType !== 'track') continue;
      assert.equal(stream.data.info.isStream, true);
      assert.equal(stream.data.info.isSeekable, false);
      assert.equal(stream.data.info.length, STREAM_LENGTH);
    }
  });

  it('resolves a player identifier only to a single track', () => {
    assert.equal(catalogue.loadSingle(CatalogueIdentifiers.shortTrack).kind, 'track');
    assert.equal(catalogue.loadSingle(CatalogueIdentifiers.playlist).kind, 'notSingle');
    assert.equal(catalogue.loadSingle('ytsearch:night').kind, 'notSingle');
    assert.equal(catalogue.loadSingle(CatalogueIdentifiers.missingTrack).kind, 'empty');
    assert.equal(catalogue.loadSingle(CatalogueIdentifiers.brokenTrack).kind, 'error');
  });
});
