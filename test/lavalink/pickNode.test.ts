import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from 'shoukaku';
import { pickNode } from '../../src/lavalink/pickNode.js';

const node = (name: string, penalties: number, group?: string) => ({ name, penalties, group }) as unknown as Node;

describe('pickNode', () => {
  it('picks the lowest penalty, counting players already sent there', () => {
    const a = node('a', 10);
    const b = node('b', 12);
    assert.equal(pickNode([a, b]), a);
    assert.equal(pickNode([a, b], { pending: new Map([[a, 3]]) }), b);
    assert.equal(pickNode([]), undefined);
  });

  it('prefers a node in the guild voice region, and falls back to any', () => {
    const eu = node('eu', 50, 'rotterdam');
    const us = node('us', 1, 'us-east');
    assert.equal(pickNode([us, eu], { region: 'rotterdam' }), eu);
    assert.equal(pickNode([us, eu], { region: 'sydney' }), us);
    assert.equal(pickNode([us, eu], { region: null }), us);
  });
});
