import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { describeConfig } from '../../src/config/describeConfig.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { configErrorOf, TempFolder } from './TempFolder.js';

const folder = new TempFolder();
after(() => folder.remove());

const load = (env: NodeJS.ProcessEnv, localPath: string | null = null) => loadConfig({ env, localPath });

const Token = 'MTIzNDU2Nzg5.token-value.that-must-stay-hidden';
const DatabaseUrl = 'postgres://metronome:hunter2-password@db:5432/metronome';

describe('secrets', () => {
  describe('from the environment', () => {
    it('reads DISCORD_TOKEN, DATABASE_URL and OTEL_EXPORTER_OTLP_HEADERS as Secrets', () => {
      const config = load({ DISCORD_TOKEN: Token, DATABASE_URL: DatabaseUrl, OTEL_EXPORTER_OTLP_HEADERS: 'k=v' });
      assert.equal(config.discord.token?.reveal(), Token);
      assert.equal(config.database.url?.reveal(), DatabaseUrl);
      assert.equal(config.telemetry.headers?.reveal(), 'k=v');
    });

    it('reads a *_FILE variable and drops the trailing newline', () => {
      const path = folder.write('token', `${Token}\n`);
      assert.equal(load({ DISCORD_TOKEN_FILE: path }).discord.token?.reveal(), Token);
    });

    it('reports a *_FILE that cannot be read, naming the variable and the path', () => {
      const path = `${folder.path}/missing-secret`;
      const error = configErrorOf(() => load({ DATABASE_URL_FILE: path }));
      assert.equal(error.key, 'database.url');
      assert.equal(error.source, 'DATABASE_URL_FILE');
      assert.match(error.message, /database\.url \(from DATABASE_URL_FILE\): cannot read .*missing-secret: ENOENT/);
    });

    it('reports a *_FILE that names a folder', () => {
      const error = configErrorOf(() => load({ DISCORD_TOKEN_FILE: folder.path }));
      assert.equal(error.source, 'DISCORD_TOKEN_FILE');
      assert.match(error.message, /EISDIR/);
    });

    it('reports an empty *_FILE', () => {
      const path = folder.write('empty-token', '\n');
      assert.match(configErrorOf(() => load({ DISCORD_TOKEN_FILE: path })).message, /is empty/);
    });

    it('refuses both a variable and its *_FILE variant', () => {
      const path = folder.write('token-both', Token);
      const error = configErrorOf(() => load({ DISCORD_TOKEN: Token, DISCORD_TOKEN_FILE: path }));
      assert.equal(error.key, 'discord.token');
      assert.match(error.message, /set DISCORD_TOKEN or DISCORD_TOKEN_FILE, not both/);
    });

    it('refuses a METRONOME_* variable for a secret, pointing at the right variable', () => {
      const error = configErrorOf(() => load({ METRONOME_DISCORD_TOKEN: Token }));
      assert.equal(error.source, 'METRONOME_DISCORD_TOKEN');
      assert.match(error.message, /DISCORD_TOKEN or DISCORD_TOKEN_FILE/);
      assert.doesNotMatch(error.message, /token-value/);
    });
  });

  describe('in YAML files', () => {
    it('refuses a secret key, naming the key, the file and the variable to use', () => {
      const localPath = folder.write('secret.yaml', `discord:\n  token: ${Token}\n`);
      const error = configErrorOf(() => load({}, localPath));
      assert.equal(error.key, 'discord.token');
      assert.equal(error.source, localPath);
      assert.equal(
        error.message,
        `Invalid configuration: discord.token (from ${localPath}): secrets are never read from YAML files; ` +
          'set DISCORD_TOKEN or DISCORD_TOKEN_FILE instead',
      );
    });

    it('refuses a secret key in the defaults file too, even when it is empty', () => {
      const defaultsPath = folder.write('secret-defaults.yaml', 'database:\n  url:\n');
      const error = configErrorOf(() => loadConfig({ env: {}, defaultsPath, localPath: null }));
      assert.equal(error.key, 'database.url');
      assert.match(error.message, /set DATABASE_URL or DATABASE_URL_FILE instead/);
    });

    it('does not print a secret written under a misspelt key', () => {
      const localPath = folder.write('misspelt.yaml', `discord:\n  tokn: ${Token}\n`);
      const error = configErrorOf(() => load({}, localPath));
      assert.match(error.message, /discord\.tokn \(from .*\): unknown key; did you mean discord\.token\?/);
      assert.doesNotMatch(error.message, /token-value/);
    });

    it('does not print a connection string given as the whole database section', () => {
      const localPath = folder.write('database-scalar.yaml', `database: ${DatabaseUrl}\n`);
      const error = configErrorOf(() => load({}, localPath));
      assert.equal(error.key, 'database');
      assert.equal(error.source, localPath);
      assert.equal(
        error.message,
        `Invalid configuration: database = [redacted] (from ${localPath}): expected a mapping (key: value)`,
      );
      assert.doesNotMatch(error.message, /hunter2-password/);
    });

    it('does not print a token given as the whole discord section', () => {
      const localPath = folder.write('discord-scalar.yaml', `discord: ${Token}\n`);
      const error = configErrorOf(() => load({}, localPath));
      assert.equal(error.key, 'discord');
      assert.equal(error.source, localPath);
      assert.match(error.message, /discord = \[redacted\] \(from .*discord-scalar\.yaml\): expected a mapping/);
      assert.doesNotMatch(error.message, /token-value/);
    });
  });

  describe('never leak', () => {
    it('keeps an invalid DATABASE_URL out of the error message', () => {
      const error = configErrorOf(() => load({ DATABASE_URL: 'mysql://root:hunter2-password@db/x' }));
      assert.equal(
        error.message,
        'Invalid configuration: database.url = [redacted] (from DATABASE_URL): expected a postgres:// URL',
      );
    });

    it('keeps an invalid token out of the error message', () => {
      const error = configErrorOf(() => load({ DISCORD_TOKEN: 'secret token-value' }));
      assert.equal(error.key, 'discord.token');
      assert.doesNotMatch(error.message, /token-value/);
    });

    it('keeps invalid OTLP headers out of the error message', () => {
      const error = configErrorOf(() => load({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key-without-equals-sign' }));
      assert.equal(error.key, 'telemetry.headers');
      assert.doesNotMatch(error.message, /without-equals/);
    });

    it('keeps secrets out of JSON, util.inspect, string interpolation and describeConfig', () => {
      const config = load({ DISCORD_TOKEN: Token, DATABASE_URL: DatabaseUrl, OTEL_EXPORTER_OTLP_HEADERS: 'k=hidden' });
      const renderings = [
        JSON.stringify(config),
        inspect(config, { depth: Number.POSITIVE_INFINITY }),
        `${config.discord.token} ${config.database.url}`,
        JSON.stringify(describeConfig(config)),
        JSON.stringify({ ...config.discord }),
      ];
      for (const rendering of renderings) {
        assert.doesNotMatch(rendering, /token-value|hunter2|hidden/);
      }
      assert.match(JSON.stringify(config), /"token":"\[redacted\]"/);
    });
  });
});
