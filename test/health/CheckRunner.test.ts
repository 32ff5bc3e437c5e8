import assert from 'node:assert/strict';
import { afterEach, describe, it, mock } from 'node:test';
import { CheckRunner } from '../../src/health/CheckRunner.js';
import type { CheckResult, HealthCheck } from '../../src/health/HealthCheck.js';
import { DefaultHealthServerOptions } from '../../src/health/HealthServer.js';

const identity = (text: string): string => text;

function hangingCheck(): HealthCheck & { signal?: AbortSignal } {
  const check: HealthCheck & { signal?: AbortSignal } = {
    name: 'slow',
    check: (signal) => {
      check.signal = signal;
      return Promise.withResolvers<CheckResult>().promise;
    },
  };
  return check;
}

describe('CheckRunner', () => {
  afterEach(() => mock.timers.reset());

  it('fails a hanging check with reason timed out after the default two seconds and aborts it', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const runner = new CheckRunner({ timeoutMs: DefaultHealthServerOptions.checkTimeoutMs, redact: identity });
    const check = hangingCheck();
    let settled = false;
    const outcome = runner.run(check).finally(() => {
      settled = true;
    });
    mock.timers.tick(1_999);
    await Promise.resolve();
    assert.equal(settled, false);
    mock.timers.tick(1);
    assert.deepEqual(await outcome, { name: 'slow', ok: false, reason: 'timed out' });
    assert.equal(check.signal?.aborted, true);
  });

  it('fails checks still running when everything is aborted', async () => {
    const runner = new CheckRunner({ timeoutMs: 60_000, redact: identity });
    const outcome = runner.run(hangingCheck());
    runner.abortAll();
    assert.deepEqual(await outcome, { name: 'slow', ok: false, reason: 'health server closed' });
  });

  it('turns a malformed result into a failure', async () => {
    const runner = new CheckRunner({ timeoutMs: 1_000, redact: identity });
    const broken = { name: 'broken', check: () => undefined as unknown as CheckResult };
    assert.deepEqual(await runner.run(broken), { name: 'broken', ok: false, reason: 'check returned no result' });
    const silent: HealthCheck = { name: 'silent', check: () => ({ ok: false, reason: '' }) };
    assert.deepEqual(await runner.run(silent), { name: 'silent', ok: false, reason: 'failed without a reason' });
  });

  it('redacts before cutting, so a secret straddling the cut is still caught', async () => {
    const secret = 'S'.repeat(40);
    const runner = new CheckRunner({ timeoutMs: 1_000, redact: (text) => text.replaceAll(secret, '***') });
    const check: HealthCheck = { name: 'db', check: () => ({ ok: false, reason: `${'a'.repeat(180)}${secret}` }) };
    const outcome = await runner.run(check);
    assert.equal(outcome.ok, false);
    assert.ok(!outcome.ok && !outcome.reason.includes('S'), 'part of the secret survived');
  });

  it('hides the text when the redactor itself throws', async () => {
    const runner = new CheckRunner({
      timeoutMs: 1_000,
      redact: () => {
        throw new Error('bad pattern');
      },
    });
    const check: HealthCheck = { name: 'db', check: () => ({ ok: false, reason: 'password=secret' }) };
    assert.deepEqual(await runner.run(check), { name: 'db', ok: false, reason: '[redaction failed]' });
  });
});
