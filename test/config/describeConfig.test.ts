import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeConfig } from '../../src/config/describeConfig.js';
import { loadConfig } from '../../src/config/loadConfig.js';

describe('describeConfig', () => {
  it('shows a secret that is set as [redacted] and leaves out one that is not', () => {
    const config = loadConfig({ env: { DISCORD_TOKEN: 'abc.def' }, localPath: null });
    const described = describeConfig(config);
    assert.deepEqual(described.discord, { ...config.discord, token: '[redacted]' });
    assert.deepEqual(described.database, {
      data_dir: './data/pglite',
      pool_size: 10,
      statement_timeout_ms: 10000,
      connection_timeout_ms: 5000,
      migrate_on_start: true,
      history_buffer_size: 10000,
      snapshot_delay_ms: 1000,
      active_users_interval_ms: 300000,
    });
  });

  it('returns plain data that survives a JSON round trip unchanged', () => {
    const described = describeConfig(loadConfig({ env: {}, localPath: null }));
    assert.deepEqual(JSON.parse(JSON.stringify(described)), described);
  });
});
