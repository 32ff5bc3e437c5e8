import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { configChecks } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { configSchema } from '../../src/config/schema.js';
import { configErrorOf, TempFolder } from './TempFolder.js';

const folder = new TempFolder();
after(() => folder.remove());

describe('loadConfig', () => {
  describe('defaults', () => {
    it('loads default.yaml, whose values equal the schema defaults, when nothing overrides them', () => {
      const config = loadConfig({ env: {}, localPath: null });
      assert.deepEqual(config, configSchema.parse({}));
      assert.equal(config.health.port, 8080);
      assert.equal(config.discord.shards, 'auto');
      assert.equal(config.telemetry.traces_endpoint, 'http://localhost:4318/v1/traces');
      assert.equal(config.discord.token, undefined);
    });

    it('takes values from the given defaults file', () => {
      const defaultsPath = folder.write('defaults-port.yaml', 'health:\n  port: 9000\n');
      assert.equal(loadConfig({ env: {}, defaultsPath, localPath: null }).health.port, 9000);
    });

    it('reads local.yaml beside the defaults file when it exists', () => {
      const local = new TempFolder();
      try {
        local.write('default.yaml', 'health:\n  port: 9000\n');
        local.write('local.yaml', 'health:\n  port: 9001\n');
        assert.equal(loadConfig({ env: {}, defaultsPath: `${local.path}/default.yaml` }).health.port, 9001);
      } finally {
        local.remove();
      }
    });

    it('gives a section whose keys are all commented out its defaults', () => {
      const localPath = folder.write('commented.yaml', 'health:\n  # port: 1\nlogging:\n  file:\n');
      const config = loadConfig({ env: {}, localPath });
      assert.equal(config.health.port, 8080);
      assert.equal(config.logging.file.max_size, '10m');
    });

    it('accepts an empty local file', () => {
      const localPath = folder.write('empty.yaml', '');
      assert.equal(loadConfig({ env: {}, localPath }).health.port, 8080);
    });
  });

  describe('precedence', () => {
    const localPath = folder.write('precedence.yaml', 'health:\n  port: 9001\n  host: 127.0.0.1\n');

    it('lets the local file override default.yaml', () => {
      const config = loadConfig({ env: {}, localPath });
      assert.equal(config.health.port, 9001);
      assert.equal(config.health.heartbeat_interval_ms, 5000);
    });

    it('reads the local file named by METRONOME_CONFIG', () => {
      assert.equal(loadConfig({ env: { METRONOME_CONFIG: localPath } }).health.port, 9001);
    });

    it('lets METRONOME_* variables override the local file', () => {
      const config = loadConfig({ env: { METRONOME_HEALTH_PORT: '9002' }, localPath });
      assert.equal(config.health.port, 9002);
      assert.equal(config.health.host, '127.0.0.1');
    });

    it('lets overrides win over the environment', () => {
      const config = loadConfig({
        env: { METRONOME_HEALTH_PORT: '9002' },
        localPath,
        overrides: { health: { port: 0 } },
      });
      assert.equal(config.health.port, 0);
    });

    it('lets standard OTEL_* variables win over METRONOME_* ones', () => {
      const env = { METRONOME_TELEMETRY_SERVICE_NAME: 'ours', OTEL_SERVICE_NAME: 'standard' };
      assert.equal(loadConfig({ env, localPath: null }).telemetry.service_name, 'standard');
    });

    it('treats an empty variable as unset', () => {
      const config = loadConfig({ env: { METRONOME_HEALTH_PORT: '', OTEL_SERVICE_NAME: '' }, localPath });
      assert.equal(config.health.port, 9001);
      assert.equal(config.telemetry.service_name, 'metronome');
    });

    it('merges mappings key by key across sources', () => {
      const levelsPath = folder.write('levels.yaml', 'logging:\n  levels: {lavalink: debug}\n');
      const config = loadConfig({ env: { METRONOME_LOGGING_LEVELS: '{db: warn}' }, localPath: levelsPath });
      assert.deepEqual(config.logging.levels, { lavalink: 'debug', db: 'warn' });
    });
  });

  describe('METRONOME_* variables', () => {
    it('parses values as YAML: booleans, numbers, lists and mappings', () => {
      const config = loadConfig({
        env: {
          METRONOME_LOGGING_OTLP_ONLY: 'true',
          METRONOME_TELEMETRY_SPAN_BATCH_MAX_QUEUE_SIZE: '4096',
          METRONOME_DISCORD_SHARDS: '[0, 1]',
          METRONOME_DISCORD_SHARD_COUNT: '4',
          METRONOME_LOGGING_LEVELS: '{lavalink: debug}',
        },
        localPath: null,
      });
      assert.equal(config.logging.otlp_only, true);
      assert.equal(config.telemetry.span_batch.max_queue_size, 4096);
      assert.deepEqual(config.discord.shards, [0, 1]);
      assert.equal(config.discord.shard_count, 4);
      assert.deepEqual(config.logging.levels, { lavalink: 'debug' });
    });

    it('keeps text values exactly as written, so snowflakes keep every digit', () => {
      const config = loadConfig({
        env: { METRONOME_DISCORD_APPLICATION_ID: '123456789012345678', METRONOME_HEALTH_HOST: '::' },
        localPath: null,
      });
      assert.equal(config.discord.application_id, '123456789012345678');
      assert.equal(config.health.host, '::');
    });

    it('sets a nullable key back to null with null', () => {
      const localPath = folder.write('api-url.yaml', 'discord:\n  api_url: http://127.0.0.1:1234/api\n');
      assert.equal(loadConfig({ env: { METRONOME_DISCORD_API_URL: 'null' }, localPath }).discord.api_url, null);
    });
  });

  describe('YAML files', () => {
    it('keeps every digit of an unquoted snowflake', () => {
      const localPath = folder.write('snowflake.yaml', 'discord:\n  dev_guild_id: 123456789012345678\n');
      assert.equal(loadConfig({ env: {}, localPath }).discord.dev_guild_id, '123456789012345678');
    });

    it('reads resource attribute values as text', () => {
      const localPath = folder.write('attributes.yaml', 'telemetry:\n  resource_attributes: {build: 42}\n');
      assert.deepEqual(loadConfig({ env: {}, localPath }).telemetry.resource_attributes, { build: '42' });
    });

    it('does not let a __proto__ key reach any prototype', () => {
      const localPath = folder.write('proto.yaml', '__proto__:\n  polluted: true\n');
      assert.throws(() => loadConfig({ env: {}, localPath }), /__proto__ \(from .*proto\.yaml\): unknown key/);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  });

  describe('the result', () => {
    it('is frozen all the way down', () => {
      const config = loadConfig({ env: {}, localPath: null, overrides: { discord: { shards: [0], shard_count: 1 } } });
      assert.ok(Object.isFrozen(config));
      assert.throws(() => {
        (config.health as { port: number }).port = 1;
      }, TypeError);
      assert.throws(() => {
        (config.discord.shards as number[]).push(2);
      }, TypeError);
      assert.throws(() => {
        (config.logging.levels as Record<string, string>).db = 'debug';
      }, TypeError);
    });

    it('does not freeze the overrides it was given', () => {
      const shards = [0];
      loadConfig({ env: {}, localPath: null, overrides: { discord: { shards, shard_count: 1 } } });
      assert.equal(Object.isFrozen(shards), false);
    });
  });

  describe('the app checks beyond the schema', () => {
    it('GIVEN a malformed /play allow-list entry in a variable THEN the error names the key, the entry and the variable', () => {
      const error = configErrorOf(() =>
        loadConfig({
          env: { METRONOME_MUSIC_QUERY_ALLOWLIST: '[media.example, 10.0.0.0/99]' },
          localPath: null,
          checks: configChecks,
        }),
      );
      assert.equal(error.key, 'music.query_allowlist');
      assert.equal(error.source, 'METRONOME_MUSIC_QUERY_ALLOWLIST');
      assert.match(
        error.message,
        /music\.query_allowlist .*\(from METRONOME_MUSIC_QUERY_ALLOWLIST\): .*10\.0\.0\.0\/99/,
      );
    });

    it('GIVEN a malformed entry in a local file THEN the error names the file', () => {
      const localPath = folder.write('allowlist.yaml', 'music:\n  query_allowlist: ["*.", media.example]\n');
      const error = configErrorOf(() => loadConfig({ env: {}, localPath, checks: configChecks }));
      assert.equal(error.key, 'music.query_allowlist');
      assert.equal(error.source, localPath);
    });

    it('accepts host names, wildcards, addresses and networks', () => {
      const config = loadConfig({
        env: { METRONOME_MUSIC_QUERY_ALLOWLIST: '[media.example, "*.cdn.example", 192.0.2.10, "2001:db8::/32"]' },
        localPath: null,
        checks: configChecks,
      });
      assert.equal(config.music.query_allowlist.length, 4);
    });
  });
});
