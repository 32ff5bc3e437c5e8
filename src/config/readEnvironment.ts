import { readFileSync } from 'node:fs';
import type { ConfigIssue } from './ConfigError.js';
import { type ConfigLayer, layerAt } from './ConfigLayer.js';
import { type ConfigLeaf, configLeaves, variableFor } from './configLeaves.js';
import { parseYaml, type YamlParseResult } from './parseYaml.js';
import { readOtelEnvironment } from './readOtelEnvironment.js';
import { errorCode, type SourceReading } from './readYamlFile.js';
import { Secret } from './Secret.js';
import { type SecretKey, SecretVariables } from './schema.js';
import { suggestName } from './suggestName.js';

/** Names the local configuration file; the one `METRONOME_*` variable that is not a key. */
export const LocalConfigVariable = 'METRONOME_CONFIG';

/**
 * Reads every configuration variable into layers, in the order they apply: `METRONOME_*`, then the standard
 * `OTEL_*` variables (they win, being the standard), then the secrets. Empty values count as unset, so that
 * `FOO=` in a compose file does not turn into an empty token or a zero.
 */
export function readEnvironment(env: NodeJS.ProcessEnv): SourceReading {
  const metronome = readMetronomeVariables(env);
  const otel = readOtelEnvironment(env);
  const secrets = readSecrets(env);
  return {
    layers: [...metronome.layers, ...otel.layers, ...secrets.layers],
    issues: [...metronome.issues, ...otel.issues, ...secrets.issues],
  };
}

function readMetronomeVariables(env: NodeJS.ProcessEnv): SourceReading {
  const layers: ConfigLayer[] = [];
  const issues: ConfigIssue[] = [];
  const leaves = configLeaves();
  for (const leaf of leaves) {
    const raw = env[leaf.variable];
    if (raw === undefined || raw === '') continue;
    const parsed = parseLeaf(leaf, raw);
    if (parsed.ok) layers.push(layerAt(leaf.path, parsed.value, leaf.variable));
    else issues.push({ key: leaf.key, source: leaf.variable, problem: parsed.problem });
  }

  const known = new Set([LocalConfigVariable, ...leaves.map((leaf) => leaf.variable)]);
  const secretKeyByVariable = new Map(
    (Object.keys(SecretVariables) as SecretKey[]).map((key) => [variableFor(key), key]),
  );
  const unknown = Object.keys(env)
    .filter((name) => name.startsWith('METRONOME_') && !known.has(name) && env[name] !== '')
    .sort();
  for (const name of unknown) {
    const secretKey = secretKeyByVariable.get(name);
    if (secretKey !== undefined) {
      const variable = SecretVariables[secretKey];
      issues.push({ key: '', source: name, problem: `secrets are read from ${variable} or ${variable}_FILE only` });
      continue;
    }
    const suggestion = suggestName(name, [...known]);
    const hint = suggestion === undefined ? '' : `; did you mean ${suggestion}?`;
    issues.push({ key: '', source: name, problem: `not a Metronome setting${hint}` });
  }
  return { layers, issues };
}

function parseLeaf(leaf: ConfigLeaf, raw: string): YamlParseResult {
  if (leaf.isNullable && (raw === 'null' || raw === '~')) return { ok: true, value: null };
  if (leaf.isText) return { ok: true, value: raw };
  return parseYaml(raw);
}

function readSecrets(env: NodeJS.ProcessEnv): SourceReading {
  const layers: ConfigLayer[] = [];
  const issues: ConfigIssue[] = [];
  for (const [key, variable] of Object.entries(SecretVariables)) {
    const path = key.split('.') as [string, string];
    const fileVariable = `${variable}_FILE`;
    const direct = env[variable] === '' ? undefined : env[variable];
    const file = env[fileVariable] === '' ? undefined : env[fileVariable];
    if (direct !== undefined && file !== undefined) {
      issues.push({ key, source: variable, problem: `set ${variable} or ${fileVariable}, not both` });
    } else if (direct !== undefined) {
      layers.push(layerAt(path, new Secret(direct), variable));
    } else if (file !== undefined) {
      const read = readSecretFile(file);
      if (typeof read === 'string') layers.push(layerAt(path, new Secret(read), fileVariable));
      else issues.push({ key, source: fileVariable, problem: read.problem });
    }
  }
  return { layers, issues };
}

/** The file's text without its trailing newline (editors and `echo` add one), or why it cannot be used. */
function readSecretFile(path: string): string | { problem: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    return { problem: `cannot read ${path}: ${errorCode(cause)}` };
  }
  const value = text.replace(/[\r\n]+$/, '');
  return value === '' ? { problem: `${path} is empty` } : value;
}
