import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProgressBarWidth, progressBar, progressLine } from '../../../src/discord/presenters/progressBar.js';

describe('progressBar', () => {
  it('puts the knob at the start, the middle and the end', () => {
    assert.equal(progressBar(0, 100_000, 11), '●──────────');
    assert.equal(progressBar(50_000, 100_000, 11), '━━━━━●─────');
    assert.equal(progressBar(100_000, 100_000, 11), '━━━━━━━━━━●');
  });

  it('always has the same width, whatever the position', () => {
    for (const position of [-5, 0, 1, 33_333, 99_999, 100_000, 250_000, Number.NaN]) {
      assert.equal([...progressBar(position, 100_000)].length, ProgressBarWidth, `position ${position}`);
    }
  });

  it('clamps positions outside the track and survives a zero length', () => {
    assert.equal(progressBar(-1_000, 10_000, 5), '●────');
    assert.equal(progressBar(20_000, 10_000, 5), '━━━━●');
    assert.equal(progressBar(5_000, 0, 5), '●────');
  });
});

describe('progressLine', () => {
  it('shows the bar with position and length', () => {
    const line = progressLine({ isStream: false, lengthMs: 225_000 }, 83_000);
    assert.match(line, /^[━●─]+ `01:23 \/ 03:45`$/);
  });

  it('never shows a position past the end', () => {
    assert.match(progressLine({ isStream: false, lengthMs: 60_000 }, 61_500), /`01:00 \/ 01:00`$/);
  });

  it('shows LIVE for a stream instead of a bar', () => {
    assert.equal(progressLine({ isStream: true, lengthMs: 9_223_372_036_854 }, 65_000), '🔴 LIVE · 01:05');
  });
});
