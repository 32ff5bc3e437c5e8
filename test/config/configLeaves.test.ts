import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { configLeaves, sectionKeys } from '../../src/config/configLeaves.js';
import { SecretVariables } from '../../src/config/schema.js';

function repositoryRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) folder = dirname(folder);
  return folder;
}

const root = repositoryRoot();
const leaves = configLeaves();

describe('configLeaves', () => {
  it('derives one METRONOME_* variable per key from its dotted path', () => {
    const port = leaves.find((leaf) => leaf.key === 'health.port');
    assert.equal(port?.variable, 'METRONOME_HEALTH_PORT');
    const queue = leaves.find((leaf) => leaf.key === 'telemetry.span_batch.max_queue_size');
    assert.equal(queue?.variable, 'METRONOME_TELEMETRY_SPAN_BATCH_MAX_QUEUE_SIZE');
    assert.equal(new Set(leaves.map((leaf) => leaf.variable)).size, leaves.length);
  });

  it('treats a record as one key and leaves secrets out', () => {
    assert.ok(leaves.some((leaf) => leaf.key === 'logging.levels'));
    assert.ok(!leaves.some((leaf) => leaf.key.startsWith('logging.levels.')));
    assert.ok(!leaves.some((leaf) => Object.hasOwn(SecretVariables, leaf.key)));
  });

  it('lists the keys of a section', () => {
    assert.deepEqual(sectionKeys(['shutdown']), ['grace_ms']);
    assert.deepEqual(sectionKeys(['health', 'port']), []);
  });
});

describe('the documentation of the configuration', () => {
  it('has every non-secret key, and no secret, in config/default.yaml', () => {
    const defaults: unknown = parse(readFileSync(join(root, 'config', 'default.yaml'), 'utf8'));
    for (const leaf of leaves) {
      let node = defaults;
      for (const key of leaf.path) {
        assert.ok(typeof node === 'object' && node !== null && Object.hasOwn(node, key), `${leaf.key} is missing`);
        node = (node as Record<string, unknown>)[key];
      }
    }
  });

  it('mentions every key and variable in docs/configuration.md', () => {
    const docs = readFileSync(join(root, 'docs', 'configuration.md'), 'utf8');
    for (const leaf of leaves) {
      assert.ok(docs.includes(`\`${leaf.key}\``), `${leaf.key} is not documented`);
      assert.ok(docs.includes(leaf.variable), `${leaf.variable} is not documented`);
    }
    for (const [key, variable] of Object.entries(SecretVariables)) {
      assert.ok(docs.includes(`\`${key}\``) && docs.includes(`${variable}_FILE`), `${key} is not documented`);
    }
  });
});
