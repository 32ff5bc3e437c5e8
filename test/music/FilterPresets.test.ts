import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FilterPresetLabels,
  FilterPresetNames,
  FilterPresets,
  filtersFor,
  isFilterPresetName,
} from '../../src/music/FilterPresets.js';

describe('FilterPresets', () => {
  it('has a preset and a label for every name, and off clears all filters', () => {
    for (const name of FilterPresetNames) {
      assert.ok(FilterPresets[name], name);
      assert.ok(FilterPresetLabels[name], name);
    }
    assert.deepEqual(FilterPresets.off, {});
  });

  it('uses the Lavalink v4 filter that fits each effect', () => {
    assert.ok(FilterPresets.bassboost.equalizer?.length);
    assert.ok(FilterPresets.nightcore.timescale);
    assert.ok(FilterPresets.vaporwave.timescale);
    assert.ok(FilterPresets['8d'].rotation);
    assert.ok(FilterPresets.karaoke.karaoke);
  });

  it('stays inside the ranges Lavalink accepts', () => {
    for (const name of FilterPresetNames) {
      const filters = FilterPresets[name];
      for (const { band, gain } of filters.equalizer ?? []) {
        assert.ok(Number.isInteger(band) && band >= 0 && band <= 14, `${name} band ${band}`);
        assert.ok(gain >= -0.25 && gain <= 1, `${name} gain ${gain}`);
      }
      for (const value of Object.values(filters.timescale ?? {})) assert.ok(value > 0, `${name} timescale`);
    }
  });

  it('is frozen, and filtersFor hands out a copy that may be changed freely', () => {
    assert.ok(Object.isFrozen(FilterPresets.bassboost.equalizer));
    const copy = filtersFor('bassboost') as { equalizer: { band: number; gain: number }[] };
    copy.equalizer[0]!.gain = 1;
    assert.notEqual(FilterPresets.bassboost.equalizer?.[0]?.gain, 1);
  });

  it('is a JSON body Lavalink can take as is', () => {
    for (const name of FilterPresetNames)
      assert.deepEqual(JSON.parse(JSON.stringify(filtersFor(name))), FilterPresets[name]);
  });

  it('recognises preset names and nothing else', () => {
    assert.equal(isFilterPresetName('8d'), true);
    assert.equal(isFilterPresetName('8D'), false);
    assert.equal(isFilterPresetName('toString'), false);
  });
});
