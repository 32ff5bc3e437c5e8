import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settledWithin } from '../../src/util/settledWithin.js';

describe('settledWithin', () => {
  it('is true for a promise that fulfils or rejects in time', async () => {
    assert.equal(await settledWithin(Promise.resolve('done'), 1_000), true);
    assert.equal(await settledWithin(Promise.reject(new Error('refused')), 1_000), true);
  });

  it('is false, without rejecting, for a promise that never settles', async () => {
    assert.equal(await settledWithin(new Promise(() => undefined), 20), false);
  });
});
