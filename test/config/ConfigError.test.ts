import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../src/config/ConfigError.js';
import { loadConfig } from '../../src/config/loadConfig.js';
import { configErrorOf, TempFolder } from './TempFolder.js';

const folder = new TempFolder();
after(() => folder.remove());

const load = (env: NodeJS.ProcessEnv, localPath: string | null = null) => loadConfig({ env, localPath });

describe('configuration errors', () => {
  it('name the key, the value, its problem and the variable it came from', () => {
    const error = configErrorOf(() => load({ METRONOME_HEALTH_PORT: 'abc' }));
    assert.ok(error instanceof ConfigError);
    assert.equal(error.name, 'ConfigError');
    assert.equal(error.key, 'health.port');
    assert.equal(error.source, 'METRONOME_HEALTH_PORT');
    assert.equal(
      error.message,
      'Invalid configuration: health.port = "abc" (from METRONOME_HEALTH_PORT): expected a number',
    );
  });

  it('name the file a bad value came from', () => {
    const localPath = folder.write('bad-level.yaml', 'logging:\n  level: loud\n');
    const error = configErrorOf(() => load({}, localPath));
    assert.equal(error.source, localPath);
    assert.equal(
      error.message,
      `Invalid configuration: logging.level = "loud" (from ${localPath}): ` +
        'expected one of trace, debug, info, warn, error, fatal, silent',
    );
  });

  it('name an out-of-range value with its limit', () => {
    const error = configErrorOf(() => load({ METRONOME_HEALTH_PORT: '70000' }));
    assert.match(error.message, /health\.port = 70000 \(from METRONOME_HEALTH_PORT\): must be at most 65535/);
  });

  it('name an unknown key in a file, with a hint for a likely typo', () => {
    const localPath = folder.write('typo.yaml', 'health:\n  prot: 8081\n');
    const error = configErrorOf(() => load({}, localPath));
    assert.equal(error.key, 'health.prot');
    assert.equal(error.source, localPath);
    assert.match(error.message, /health\.prot \(from .*\): unknown key; did you mean health\.port\?/);
  });

  it('name an unknown section', () => {
    const localPath = folder.write('section.yaml', 'playlists:\n  shared: true\n');
    assert.equal(configErrorOf(() => load({}, localPath)).key, 'playlists');
  });

  it('name an unknown METRONOME_* variable, with a hint for a likely typo', () => {
    const error = configErrorOf(() => load({ METRONOME_HEALTH_PROT: '8081' }));
    assert.equal(error.source, 'METRONOME_HEALTH_PROT');
    assert.equal(
      error.message,
      'Invalid configuration: METRONOME_HEALTH_PROT: not a Metronome setting; did you mean METRONOME_HEALTH_PORT?',
    );
  });

  it('name a variable whose value is not valid YAML', () => {
    const error = configErrorOf(() => load({ METRONOME_DISCORD_SHARDS: '[0, 1' }));
    assert.equal(error.key, 'discord.shards');
    assert.equal(error.source, 'METRONOME_DISCORD_SHARDS');
    assert.match(error.message, /invalid YAML/);
  });

  it('name a file that is not valid YAML, with the line', () => {
    const localPath = folder.write('broken.yaml', 'health:\n  port: 1\n   host: x\n');
    const error = configErrorOf(() => load({}, localPath));
    assert.equal(error.source, localPath);
    assert.match(error.message, /broken\.yaml: invalid YAML at line 2, column \d+: /);
  });

  it('name a file that is not a mapping', () => {
    const localPath = folder.write('list.yaml', '- a\n- b\n');
    assert.match(configErrorOf(() => load({}, localPath)).message, /expected a mapping of sections/);
  });

  it('name METRONOME_CONFIG when the file it names does not exist', () => {
    const error = configErrorOf(() => loadConfig({ env: { METRONOME_CONFIG: `${folder.path}/nowhere.yaml` } }));
    assert.match(error.message, /nowhere\.yaml: cannot read the file \(named by METRONOME_CONFIG\): ENOENT/);
  });

  it('list every problem in one message, one per line', () => {
    const localPath = folder.write('several.yaml', 'logging:\n  level: loud\n');
    const error = configErrorOf(() =>
      load({ METRONOME_HEALTH_PORT: 'abc', METRONOME_NOPE: '1', OTEL_BSP_MAX_QUEUE_SIZE: '0' }, localPath),
    );
    assert.equal(error.issues.length, 4);
    const lines = error.message.split('\n');
    assert.equal(lines[0], 'Invalid configuration (4 problems):');
    assert.equal(lines.length, 5);
    assert.deepEqual(
      error.issues.map((issue) => issue.key),
      ['', 'telemetry.span_batch.max_queue_size', 'logging.level', 'health.port'],
    );
  });

  it('name a value that conflicts with another key', () => {
    const error = configErrorOf(() =>
      load({ METRONOME_HEALTH_HEARTBEAT_STALE_MS: '5000', METRONOME_HEALTH_HEARTBEAT_INTERVAL_MS: '5000' }),
    );
    assert.equal(error.key, 'health.heartbeat_stale_ms');
    assert.equal(error.source, 'METRONOME_HEALTH_HEARTBEAT_STALE_MS');
    assert.match(error.message, /must exceed health\.heartbeat_interval_ms \(5000\)/);
  });
});
