import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
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
