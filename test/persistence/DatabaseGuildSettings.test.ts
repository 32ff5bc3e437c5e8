import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { DbError } from '../../src/db/errors/DbError.js';
import type { GuildSettings, GuildSettingsChanges } from '../../src/db/repositories/GuildSettingsRepository.js';
import { DatabaseGuildSettings } from '../../src/persistence/DatabaseGuildSettings.js';

const logger = pino({ level: 'silent' });
const Where = { operation: 'SELECT', collection: 'guild_settings' };
/** What the repository throws when the connection is refused. */
const refused = new DbError(
  Where,
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
);
const Defaults = { defaultVolume: 100, throttlePerMinute: 20 };

/** A repository over a map, counting reads, that can be made to fail or hang. */
class FakeRepository {
  readonly rows = new Map<string, GuildSettings>();
  reads = 0;
  failure: Error | null = null;
  hang = false;

  async get(guildId: string): Promise<GuildSettings | null> {
    this.reads++;
    if (this.hang) return new Promise(() => undefined);
    if (this.failure) throw this.failure;
    return this.rows.get(guildId) ?? null;
  }

  async update(guildId: string, changes: GuildSettingsChanges): Promise<GuildSettings> {
    if (this.failure) throw this.failure;
    const row: GuildSettings = {
      guildId,
      djRoleId: null,
      defaultVolume: null,
      alwaysOnChannelId: null,
      throttlePerMinute: null,
      updatedAt: new Date(),
      ...this.rows.get(guildId),
      ...changes,
    };
    this.rows.set(guildId, row);
    return row;
  }
}

describe('DatabaseGuildSettings', () => {
  it('reads the DJ role from the database at every call', async () => {
    const repository = new FakeRepository();
    const settings = new DatabaseGuildSettings(repository, Defaults, logger);
    assert.equal(await settings.djRoleId('g'), null);
    await settings.update('g', { djRoleId: '42' });
    assert.equal(await settings.djRoleId('g'), '42');
    assert.equal(repository.reads, 2);
  });

  it('GIVEN the database unreachable THEN the DJ role is the last one read, and a guild never read fails closed', async () => {
    const repository = new FakeRepository();
    const settings = new DatabaseGuildSettings(repository, Defaults, logger);
    await repository.update('g', { djRoleId: '42' });
    assert.equal(await settings.djRoleId('g'), '42');
    assert.equal(refused.errorType, 'connection');
    repository.failure = refused;
    assert.equal(await settings.djRoleId('g'), '42');
    assert.equal(repository.reads, 2, 'the database was asked first');
    await assert.rejects(settings.djRoleId('never-read'), (error) => error === refused);
  });

  it('GIVEN the database not answering THEN the DJ role is the last one read within the wait, and a guild never read fails closed as a timeout', async () => {
    const repository = new FakeRepository();
    const settings = new DatabaseGuildSettings(repository, Defaults, logger, { djRoleTimeoutMs: 50 });
    await repository.update('g', { djRoleId: '42' });
    assert.equal(await settings.djRoleId('g'), '42');
    repository.hang = true;
    const started = performance.now();
    assert.equal(await settings.djRoleId('g'), '42');
    assert.ok(performance.now() - started < 1_000, 'a hung database does not hold the command past the wait');
    await assert.rejects(
      settings.djRoleId('never-read'),
      (error) => error instanceof DbError && error.errorType === 'timeout' && error.unreachable,
    );
  });

  it('GIVEN the database answering with an error THEN the DJ role read fails, cached or not', async () => {
    const repository = new FakeRepository();
    const settings = new DatabaseGuildSettings(repository, Defaults, logger);
    await settings.djRoleId('g');
    const syntax = new DbError(Where, Object.assign(new Error('syntax error at or near "form"'), { code: '42601' }));
    assert.equal(syntax.errorType, 'syntax');
    repository.failure = syntax;
    await assert.rejects(settings.djRoleId('g'), (error) => error === syntax);
  });

  it('answers the throttle from its cache, refreshing in the background once stale', async () => {
    const repository = new FakeRepository();
    let now = 0;
    const settings = new DatabaseGuildSettings(repository, Defaults, logger, { cacheTtlMs: 1_000, now: () => now });
    await repository.update('g', { throttlePerMinute: 5 });
    assert.equal(settings.throttlePerMinute('g'), undefined, 'unknown yet: the configured limit');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settings.throttlePerMinute('g'), 5);
    assert.equal(repository.reads, 1, 'fresh: no read');
    await repository.update('g', { throttlePerMinute: 7 });
    now += 1_000;
    assert.equal(settings.throttlePerMinute('g'), 5, 'stale: the old value while the read runs');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settings.throttlePerMinute('g'), 7);
    repository.failure = new Error('down');
    now += 1_000;
    assert.equal(settings.throttlePerMinute('g'), 7, 'a failing database keeps the last value');
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('gives a new session the guild’s defaults, or the configured ones when the database does not answer in time', async () => {
    const repository = new FakeRepository();
    const settings = new DatabaseGuildSettings(repository, Defaults, logger, { lookupTimeoutMs: 50 });
    await settings.update('g', { defaultVolume: 40, alwaysOnChannelId: '7' });
    assert.deepEqual(await settings.sessionDefaults('g'), { volume: 40, alwaysOnChannelId: '7' });
    repository.hang = true;
    const started = performance.now();
    assert.deepEqual(await settings.sessionDefaults('other'), { volume: null, alwaysOnChannelId: null });
    assert.ok(performance.now() - started < 1_000);
    repository.hang = false;
    repository.failure = new Error('down');
    assert.deepEqual(await settings.sessionDefaults('third'), { volume: null, alwaysOnChannelId: null });
  });

  it('shows and changes settings; null resets one, an absent key leaves it', async () => {
    const settings = new DatabaseGuildSettings(new FakeRepository(), Defaults, logger);
    assert.deepEqual(await settings.get('g'), {
      djRoleId: null,
      defaultVolume: null,
      alwaysOnChannelId: null,
      throttlePerMinute: null,
    });
    await settings.update('g', { defaultVolume: 50, throttlePerMinute: 9 });
    assert.deepEqual(await settings.update('g', { defaultVolume: null }), {
      djRoleId: null,
      defaultVolume: null,
      alwaysOnChannelId: null,
      throttlePerMinute: 9,
    });
    assert.deepEqual(settings.defaults, Defaults);
  });
});
