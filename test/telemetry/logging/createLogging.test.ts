import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { DiscordAPIError } from 'discord.js';
import { DbError } from '../../../src/db/errors/DbError.js';
import { createLogging } from '../../../src/telemetry/logging/createLogger.js';
import { Redactor } from '../../../src/telemetry/Redactor.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('createLogging', () => {
  it('writes JSON lines with the logger name, a level label and an ISO time', async () => {
    const out = capture();
    const logging = createLogging(
      { level: 'info', levels: {}, otlpOnly: false, destination: out.stream },
      new Redactor([]),
    );
    logging.child('discord').info({ shard_id: 0 }, 'shard ready');
    await settle();
    const [line] = out.lines();
    assert.equal(line?.logger, 'discord');
    assert.equal(line?.level, 'info');
    assert.equal(line?.msg, 'shard ready');
    assert.match(String(line?.time), /^\d{4}-\d\d-\d\dT/);
  });

  it('applies per-logger levels over the root level', async () => {
    const out = capture();
    const logging = createLogging(
      { level: 'warn', levels: { lavalink: 'debug' }, otlpOnly: false, destination: out.stream },
      new Redactor([]),
    );
    logging.child('lavalink').debug('node stats');
    logging.child('discord').info('hidden');
    logging.root.info('hidden too');
    await settle();
    assert.deepEqual(
      out.lines().map((l) => l.msg),
      ['node stats'],
    );
  });

  it('writes nothing locally when otlp_only is set', async () => {
    const out = capture();
    const logging = createLogging(
      { level: 'info', levels: {}, otlpOnly: true, destination: out.stream },
      new Redactor([]),
    );
    logging.root.error('only over OTLP');
    await settle();
    assert.equal(out.lines().length, 0);
  });

  it('redacts secrets in messages, fields, errors and authorization headers', async () => {
    const out = capture();
    const token = 'MTA1.discord-bot-token-value';
    const logging = createLogging(
      { level: 'info', levels: {}, otlpOnly: false, destination: out.stream },
      new Redactor([token]),
    );
    logging.root.info({ detail: `Bot ${token}`, headers: { authorization: 'Bot abc' } }, `login with ${token}`);
    logging.root.error({ err: new Error(`request failed for ${token}`) }, 'failed');
    await settle();
    const text = out
      .lines()
      .map((l) => JSON.stringify(l))
      .join('\n');
    assert.ok(!text.includes(token), text);
    assert.ok(!text.includes('Bot abc'), text);
    assert.ok(text.includes('[redacted]'));
  });

  describe('errors, when secrets are configured', () => {
    const password = 'hunter2secret';
    const logTo = (out: ReturnType<typeof capture>) =>
      createLogging({ level: 'info', levels: {}, otlpOnly: false, destination: out.stream }, new Redactor([password]));

    it('keeps the class as type, the fields and the cause of a logged error', async () => {
      const out = capture();
      const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' });
      logTo(out).root.error({ err: new DbError({ operation: 'SELECT', collection: 'guild_settings' }, refused) }, 'x');
      await settle();
      const err = out.lines()[0]?.err as Record<string, unknown>;
      assert.equal(err.type, 'DbError');
      assert.equal(err.code, 'ECONNREFUSED');
      assert.equal(err.errorType, 'connection');
      assert.equal(err.operation, 'SELECT');
      assert.equal(err.collection, 'guild_settings');
      assert.match(String(err.message), /: connect ECONNREFUSED 10\.0\.0\.5:5432$/);
      assert.match(String(err.stack), /caused by: Error: connect ECONNREFUSED/);
    });

    it('redacts a secret in the message, stack, own fields and cause everywhere in the line', async () => {
      class QueryError extends Error {
        override readonly name = 'QueryError';
        readonly code = '28P01';
        readonly connection = { url: `postgres://bot:${password}@db:5432/metronome`, attempts: [password] };
      }
      const cause = Object.assign(new Error(`password authentication failed for ${password}`), { hint: password });
      const error = new QueryError(`login as bot:${password} failed`, { cause });
      const out = capture();
      logTo(out).root.error({ err: error }, 'query failed');
      await settle();
      const [line] = out.lines();
      const err = line?.err as Record<string, unknown>;
      assert.ok(!JSON.stringify(line).includes(password), JSON.stringify(line));
      assert.equal(err.type, 'QueryError');
      assert.equal(err.code, '28P01');
      assert.deepEqual(err.connection, {
        url: 'postgres://bot:[redacted]@db:5432/metronome',
        attempts: ['[redacted]'],
      });
      assert.equal(err.message, 'login as bot:[redacted] failed: password authentication failed for [redacted]');
      assert.match(String(err.stack), /^QueryError: login as bot:\[redacted\] failed\n/);
      assert.match(String(err.stack), /caused by: Error: password authentication failed for \[redacted\]/);
      assert.ok(error.message.includes(password), 'the logged error itself is left as it was');
    });

    it('never calls an error getter it does not copy, so a getter that throws cannot break the log call', async () => {
      const error = new Error('lookup failed');
      Object.defineProperty(error, 'details', {
        enumerable: true,
        get() {
          throw new Error('a getter that throws');
        },
      });
      const out = capture();
      assert.doesNotThrow(() => logTo(out).root.error({ err: error }, 'lookup failed'));
      await settle();
      const err = out.lines()[0]?.err as Record<string, unknown>;
      assert.equal(err.message, 'lookup failed');
      assert.equal(Object.hasOwn(err, 'details'), false, 'the getter is left out of the logged copy');
    });

    it('redacts the interaction token in the URL of a Discord API error', async () => {
      const token = 'aW50ZXJhY3Rpb246MTU3MzkwMjQ3NDk2MjY2NTUwMDpzZWNyZXQtdG9rZW4';
      const url = `https://discord.com/api/v10/webhooks/1573902474962665501/${token}/messages/@original`;
      const error = new DiscordAPIError({ code: 10015, message: 'Unknown Webhook' }, 10015, 404, 'PATCH', url, {});
      const out = capture();
      logTo(out).root.error({ err: error }, 'edit failed');
      await settle();
      const [line] = out.lines();
      const err = line?.err as Record<string, unknown>;
      assert.ok(!JSON.stringify(line).includes(token), JSON.stringify(line));
      assert.equal(err.type, 'DiscordAPIError');
      assert.equal(err.status, 404);
      assert.equal(err.url, 'https://discord.com/api/v10/webhooks/1573902474962665501/[redacted]/messages/@original');
    });

    it('logs errors and objects that refer to themselves', async () => {
      const error = new Error(`loop ${password}`) as Error & { self?: unknown };
      error.self = error;
      error.cause = error;
      const detail: Record<string, unknown> = { note: password };
      detail.again = detail;
      const out = capture();
      logTo(out).root.error({ err: error, detail }, 'circular');
      await settle();
      const [line] = out.lines();
      assert.equal(line?.msg, 'circular');
      assert.ok(!JSON.stringify(line).includes(password), JSON.stringify(line));
    });
  });

  it('does not add trace ids outside a span (instrumentation-pino adds them inside one)', async () => {
    const out = capture();
    const logging = createLogging(
      { level: 'info', levels: {}, otlpOnly: false, destination: out.stream },
      new Redactor([]),
    );
    assert.equal(trace.getActiveSpan(), undefined);
    logging.root.info('no span');
    await settle();
    assert.equal(out.lines()[0]?.trace_id, undefined);
  });
});
