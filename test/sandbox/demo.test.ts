import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { OtlpReceiver } from '../support/otlp/OtlpReceiver.js';

const BuildRoot = fileURLToPath(new URL('../../', import.meta.url));

function runDemo(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--import', `${BuildRoot}src/telemetry/preload.js`, `${BuildRoot}src/sandbox/demo.js`],
    {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run demo', () => {
  it('runs the scripted session, prints the summary and exports all three signals correlated by trace id', async () => {
    await using receiver = await OtlpReceiver.start();
    const { code, stdout, stderr } = await runDemo({
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.grpcEndpoint,
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: receiver.grpcEndpoint,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.tracesUrl,
    });
    assert.equal(code, 0, stderr);
    for (const outcome of ['ping/success', 'ping/error', 'ping/throttled', 'unknown/user_error', 'about/success']) {
      assert.match(stdout, new RegExp(`${outcome}\\s+\\d+\\s+[\\d.]+\\s+[\\d.]+`), `summary row for ${outcome}`);
    }
    assert.match(stdout, /GET \/livez\s+200/);
    assert.match(stdout, /GET \/readyz\?verbose\s+200\s+\[\+\]discord ok/);
    assert.match(stdout, /spans\s+\d+ produced,\s+\d+ exported .*: ok/);
    assert.match(
      stdout,
      /(alpha -> beta|beta -> alpha): success in \d+ ms; "[^"]+" kept/,
      'the failover keeps the track',
    );
    assert.match(stdout, /GET \/readyz\?verbose\s+200 .*\[\+\]lavalink ok/);
    assert.ok(
      receiver
        .metrics()
        .some((m) => m.name === 'metronome.lavalink.node.failovers' && m.attributes.outcome === 'success'),
      'the failover is counted',
    );
    assert.ok(
      receiver.spans().some((s) => s.name === 'track play'),
      'track spans are exported',
    );

    const commandSpans = receiver.spans().filter((s) => s.name.startsWith('command '));
    assert.ok(commandSpans.length >= 25, `command spans: ${commandSpans.length}`);
    const traceIds = new Set(commandSpans.map((s) => s.traceId));
    const correlated = receiver.logs().filter((l) => traceIds.has(l.traceId));
    assert.ok(correlated.length >= 25, `log records sharing a command's trace id: ${correlated.length}`);
    assert.ok(receiver.metrics().some((m) => m.name === 'metronome.command.duration' && m.transport === 'grpc'));
    assert.ok(receiver.spans().every((s) => s.transport === 'http'));
  });

  it('succeeds with no collector listening', async () => {
    const { code, stdout, stderr } = await runDemo({
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://127.0.0.1:9',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://127.0.0.1:9',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:9/v1/traces',
    });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /counted as dropped/);
  });
});
