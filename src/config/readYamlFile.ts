import { readFileSync } from 'node:fs';
import type { ConfigIssue } from './ConfigError.js';
import { type ConfigLayer, isPlainObject } from './ConfigLayer.js';
import { parseYaml } from './parseYaml.js';
import { SecretVariables } from './schema.js';

/** What reading one source produced: its layers (none when it failed) and its problems. */
export interface SourceReading {
  readonly layers: readonly ConfigLayer[];
  readonly issues: readonly ConfigIssue[];
}

/**
 * Reads one YAML configuration file into a layer whose source is the file's path.
 *
 * Secret keys are removed and reported: secrets come only from the environment, so one found in a file is an error
 * that names the variable to use instead.
 *
 * @param path the file to read
 * @param namedBy what pointed at the file (`METRONOME_CONFIG`, an option), mentioned when it cannot be read
 */
export function readYamlFile(path: string, namedBy?: string): SourceReading {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const pointer = namedBy === undefined ? '' : ` (named by ${namedBy})`;
    return {
      layers: [],
      issues: [{ key: '', source: path, problem: `cannot read the file${pointer}: ${errorCode(cause)}` }],
    };
  }
  const parsed = parseYaml(text);
  if (!parsed.ok) return { layers: [], issues: [{ key: '', source: path, problem: parsed.problem }] };
  // An empty file, or one whose keys are all commented out, sets nothing.
  const values = parsed.value ?? {};
  if (!isPlainObject(values)) {
    return {
      layers: [],
      issues: [{ key: '', source: path, problem: 'expected a mapping of sections (discord:, telemetry:, ...)' }],
    };
  }
  const issues = removeSecrets(values, path);
  return { layers: [{ source: path, values }], issues };
}

function removeSecrets(values: Record<string, unknown>, path: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [key, variable] of Object.entries(SecretVariables)) {
    const [section, name] = key.split('.') as [string, string];
    const holder = Object.hasOwn(values, section) ? values[section] : undefined;
    if (!isPlainObject(holder) || !Object.hasOwn(holder, name)) continue;
    delete holder[name];
    issues.push({
      key,
      source: path,
      problem: `secrets are never read from YAML files; set ${variable} or ${variable}_FILE instead`,
    });
  }
  return issues;
}

/** `ENOENT`, `EACCES`, ...: enough to act on, and unlike a message it cannot quote file content. */
export function errorCode(cause: unknown): string {
  if (cause instanceof Error && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return cause instanceof Error ? cause.name : 'unknown error';
}
