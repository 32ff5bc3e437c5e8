import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/loadConfig.js';
import { configErrorOf } from './TempFolder.js';

const load = (env: NodeJS.ProcessEnv) => loadConfig({ env, localPath: null });

describe('the configuration schema', () => {
  describe('shards', () => {
    it('accepts a list of shard ids below shard_count', () => {
      const { discord } = load({ METRONOME_DISCORD_SHARDS: '[2, 3]', METRONOME_DISCORD_SHARD_COUNT: '4' });
      assert.deepEqual(discord.shards, [2, 3]);
      assert.equal(discord.shard_count, 4);
    });

    it('accepts a fixed shard count with automatic shard ids', () => {
      assert.equal(load({ METRONOME_DISCORD_SHARD_COUNT: '2' }).discord.shard_count, 2);
    });

    it('requires a numeric shard_count when shards is a list', () => {
      const error = configErrorOf(() => load({ METRONOME_DISCORD_SHARDS: '[0]' }));
      assert.equal(error.key, 'discord.shards');
      assert.equal(error.source, 'METRONOME_DISCORD_SHARDS');
      assert.match(error.message, /needs discord\.shard_count/);
    });

    it('refuses a shard id that is not below shard_count', () => {
      const error = configErrorOf(() =>
        load({ METRONOME_DISCORD_SHARDS: '[0, 2]', METRONOME_DISCORD_SHARD_COUNT: '2' }),
      );
      assert.equal(error.key, 'discord.shards');
      assert.equal(
        error.message,
        'Invalid configuration: discord.shards = [0,2] (from METRONOME_DISCORD_SHARDS): ' +
          'every shard id must be below discord.shard_count (2)',
      );
    });

    it('refuses a shard id listed twice', () => {
      const error = configErrorOf(() =>
        load({ METRONOME_DISCORD_SHARDS: '[1, 1]', METRONOME_DISCORD_SHARD_COUNT: '2' }),
      );
      assert.match(error.message, /discord\.shards .*listed twice/);
    });

    it('refuses anything but auto or a list of ids', () => {
      const error = configErrorOf(() => load({ METRONOME_DISCORD_SHARDS: 'all' }));
      assert.match(error.message, /discord\.shards = "all" .*: expected auto or a list of shard ids/);
    });
  });

  describe('other rules', () => {
    it('refuses a span batch larger than the span queue', () => {
      const error = configErrorOf(() => load({ METRONOME_TELEMETRY_SPAN_BATCH_MAX_QUEUE_SIZE: '100' }));
      assert.equal(error.key, 'telemetry.span_batch.max_export_batch_size');
      assert.match(error.message, /must not exceed max_queue_size \(100\)/);
    });

    it('refuses a metric export timeout longer than the export interval', () => {
      const error = configErrorOf(() => load({ OTEL_METRIC_EXPORT_INTERVAL: '5000' }));
      assert.equal(error.key, 'telemetry.metric_export_timeout_ms');
    });

    it('refuses an api_url that is not http(s)', () => {
      const error = configErrorOf(() => load({ METRONOME_DISCORD_API_URL: 'ftp://discord/api' }));
      assert.equal(error.key, 'discord.api_url');
    });

    it('refuses a Discord id that is not 17 to 20 digits', () => {
      const error = configErrorOf(() => load({ METRONOME_DISCORD_DEV_GUILD_ID: '12ab' }));
      assert.match(error.message, /discord\.dev_guild_id = "12ab" .*expected a Discord id/);
    });

    it('refuses a log file size without a unit', () => {
      const error = configErrorOf(() => load({ METRONOME_LOGGING_FILE_MAX_SIZE: '10' }));
      assert.equal(error.key, 'logging.file.max_size');
    });

    it('refuses a per-logger level that pino does not know', () => {
      const error = configErrorOf(() => load({ METRONOME_LOGGING_LEVELS: '{lavalink: verbose}' }));
      assert.equal(error.key, 'logging.levels.lavalink');
      assert.equal(error.source, 'METRONOME_LOGGING_LEVELS');
    });

    it('refuses a resource attribute that has a key of its own', () => {
      const error = configErrorOf(() =>
        loadConfig({
          env: {},
          localPath: null,
          overrides: { telemetry: { resource_attributes: { 'service.name': 'x' } } },
        }),
      );
      assert.match(
        error.message,
        /telemetry\.resource_attributes\.service\.name .*set telemetry\.service_name instead/,
      );
    });
  });
});
