import type { LavalinkFilters } from './LavalinkGateway.js';

/** The filter presets `/filter` offers, `off` first. */
export const FilterPresetNames = ['off', 'bassboost', 'nightcore', 'vaporwave', '8d', 'karaoke'] as const;

/** One of {@link FilterPresetNames}. */
export type FilterPresetName = (typeof FilterPresetNames)[number];

/** Labels for choice lists and replies. */
export const FilterPresetLabels: Readonly<Record<FilterPresetName, string>> = Object.freeze({
  off: 'Off',
  bassboost: 'Bass boost',
  nightcore: 'Nightcore',
  vaporwave: 'Vaporwave',
  '8d': '8D',
  karaoke: 'Karaoke',
});

/**
 * Each preset as Lavalink v4 filter JSON. Because setting filters replaces all of them, `off` is `{}`, and a preset
 * never has to undo another. Gains stay well under Lavalink's 1.0 maximum: a stronger bass boost clips.
 */
export const FilterPresets: Readonly<Record<FilterPresetName, LavalinkFilters>> = deepFreeze({
  off: {},
  bassboost: {
    equalizer: [
      { band: 0, gain: 0.25 },
      { band: 1, gain: 0.2 },
      { band: 2, gain: 0.15 },
      { band: 3, gain: 0.1 },
      { band: 4, gain: 0.05 },
      { band: 5, gain: -0.025 },
    ],
  },
  nightcore: { timescale: { speed: 1.2, pitch: 1.2, rate: 1 } },
  vaporwave: {
    timescale: { speed: 0.85, pitch: 0.8, rate: 1 },
    equalizer: [
      { band: 0, gain: 0.15 },
      { band: 1, gain: 0.15 },
    ],
    tremolo: { frequency: 2, depth: 0.2 },
  },
  '8d': { rotation: { rotationHz: 0.2 } },
  // Cancels what is panned to the centre (usually the voice) in the typical vocal band around 220 Hz.
  karaoke: { karaoke: { level: 1, monoLevel: 1, filterBand: 220, filterWidth: 100 } },
});

/** Narrows an option value to a preset name. */
export function isFilterPresetName(value: string): value is FilterPresetName {
  return (FilterPresetNames as readonly string[]).includes(value);
}

/** A fresh, mutable copy of a preset's filters, safe to hand to a client library that may modify its argument. */
export function filtersFor(name: FilterPresetName): LavalinkFilters {
  return structuredClone(FilterPresets[name]) as LavalinkFilters;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
