import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'discord.js';
import { type InteractionRun, SandboxDiscord } from '../../../src/sandbox/discord/index.js';
import { loginClient } from './loginClient.js';

describe('GIVEN two interactions answered through the interaction webhook', () => {
  let sandbox: SandboxDiscord;
  let client: Client<true>;
  let first: InteractionRun;
  let second: InteractionRun;

  /** Answers the interaction's callback directly, so only the test's requests count against the buckets. */
  const reply = async (run: InteractionRun) => {
    const url = `${sandbox.restUrl}/v10/interactions/${run.interactionId}/${run.token}/callback`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'hi' } }),
    });
    assert.equal(response.status, 204);
  };
  const editOriginal = async (run: InteractionRun) => {
    const url = `${sandbox.restUrl}/v10/webhooks/${sandbox.applicationId}/${run.token}/messages/@original`;
    const response = await fetch(url, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ content: 'edited' }),
    });
    await response.body?.cancel();
    return {
      status: response.status,
      remaining: response.headers.get('x-ratelimit-remaining'),
      bucket: response.headers.get('x-ratelimit-bucket'),
    };
  };

  before(async () => {
    sandbox = await SandboxDiscord.start({ rateLimit: { limit: 2, windowMs: 60_000 } });
    client = await loginClient(sandbox);
    await client.application.commands.set([{ name: 'ping', description: 'Pong' }]);
    first = sandbox.runCommand({ command: 'ping' });
    second = sandbox.runCommand({ command: 'ping' });
    await reply(first);
    await reply(second);
  });
  after(async () => {
    await client?.destroy();
    await sandbox?.close();
  });

  it('THEN edits of one interaction share a bucket and run it out, as Discord counts per application and token', async () => {
    const edits = [await editOriginal(first), await editOriginal(first), await editOriginal(first)];
    assert.deepEqual(
      edits.map((e) => [e.status, e.remaining]),
      [
        [200, '1'],
        [200, '0'],
        [429, '0'],
      ],
    );
  });

  it('THEN the other interaction’s edits are counted apart, under the same route bucket hash', async () => {
    const firstBucket = (await editOriginal(first)).bucket;
    const edit = await editOriginal(second);
    assert.deepEqual([edit.status, edit.remaining], [200, '1']);
    assert.ok(edit.bucket);
    assert.equal(edit.bucket, firstBucket);
  });
});
