import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration } from '../../src/health/formatDuration.js';
import { sanitizeText } from '../../src/health/sanitizeText.js';

describe('sanitizeText', () => {
  it('puts text on one line and collapses whitespace', () => {
    assert.equal(sanitizeText('  connect failed\r\n\tat x\u0000y  '), 'connect failed at x y');
  });

  it('cuts long text with an ellipsis', () => {
    const cut = sanitizeText('word '.repeat(100), 20);
    assert.equal(cut.length <= 20, true);
    assert.ok(cut.endsWith('…'));
  });
});

describe('formatDuration', () => {
  it('reads naturally at every scale', () => {
    assert.deepEqual([250, 4_240, 42_000, 903_000].map(formatDuration), ['250ms', '4.2s', '42s', '15m 3s']);
  });
});
