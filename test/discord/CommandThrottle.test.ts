import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommandThrottle } from '../../src/discord/CommandThrottle.js';

describe('CommandThrottle', () => {
  it('lets a member use the whole budget, then refuses until tokens refill', () => {
    let now = 0;
    const throttle = new CommandThrottle(3, () => now);
    assert.deepEqual(
      [1, 2, 3, 4].map(() => throttle.take('alice')),
      [true, true, true, false],
    );
    now += 20_000; // one token refills every 20 s at 3 per minute
    assert.equal(throttle.take('alice'), true);
    assert.equal(throttle.take('alice'), false);
  });

  it('keeps members independent', () => {
    const throttle = new CommandThrottle(1, () => 0);
    assert.equal(throttle.take('alice'), true);
    assert.equal(throttle.take('alice'), false);
    assert.equal(throttle.take('bob'), true);
  });

  it('is off when the budget is zero', () => {
    const throttle = new CommandThrottle(0, () => 0);
    for (let i = 0; i < 100; i++) assert.equal(throttle.take('alice'), true);
  });

  it('applies the budget of the guild a command comes from, falling back to the configured one', () => {
    let now = 0;
    const limits = new Map([['guild-strict', 1]]);
    const throttle = new CommandThrottle(
      3,
      () => now,
      (guildId) => limits.get(guildId),
    );
    assert.equal(throttle.take('alice', 'guild-strict'), true);
    assert.equal(throttle.take('alice', 'guild-strict'), false, 'one a minute in the strict guild');
    assert.equal(throttle.take('bob', 'guild-other'), true);
    assert.equal(throttle.take('bob', 'guild-other'), true);
    assert.equal(throttle.take('bob', null), true);
    assert.equal(throttle.take('bob', 'guild-other'), false, 'the configured three elsewhere');
    now += 60_000; // a full minute refills one token at the strict guild's rate
    assert.equal(throttle.take('alice', 'guild-strict'), true);
    assert.equal(throttle.take('alice', 'guild-strict'), false);
  });
});
