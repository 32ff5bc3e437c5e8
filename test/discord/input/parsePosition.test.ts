import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserError } from '../../../src/discord/errors/UserError.js';
import { parsePosition } from '../../../src/discord/input/parsePosition.js';

describe('parsePosition', () => {
  it('reads minutes:seconds, hours:minutes:seconds and plain seconds as milliseconds', () => {
    assert.equal(parsePosition('1:23'), 83_000);
    assert.equal(parsePosition('0:05'), 5_000);
    assert.equal(parsePosition('1:02:03'), 3_723_000);
    assert.equal(parsePosition('83'), 83_000);
    assert.equal(parsePosition('83.5'), 83_500);
    assert.equal(parsePosition('  2:00 '), 120_000);
  });

  it('accepts any number of minutes when there is no hour part', () => {
    assert.equal(parsePosition('90:00'), 5_400_000);
  });

  it('refuses what is not a position with seek.invalid_position', () => {
    for (const text of ['', 'abc', '1:2', '1:60', '1:60:00', '-5', '1:23:45:67', '1,5', '1e3', '12:34x']) {
      assert.throws(
        () => parsePosition(text),
        (error: unknown) => error instanceof UserError && error.identifier === 'seek.invalid_position',
        `"${text}" should be refused`,
      );
    }
  });
});
