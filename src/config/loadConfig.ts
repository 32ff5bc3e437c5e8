import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, type ConfigIssue } from './ConfigError.js';
import { type ConfigLayer, mergeLayers, sourceOf } from './ConfigLayer.js';
import { deepFreeze } from './deepFreeze.js';
import { LocalConfigVariable, readEnvironment } from './readEnvironment.js';
import { readYamlFile, type SourceReading } from './readYamlFile.js';
import { type Config, type ConfigOverrides, configSchema } from './schema.js';
import { describeZodIssue, toConfigIssues } from './toConfigIssues.js';

/** Where {@link loadConfig} reads from. Every field is optional; the defaults are what production uses. */
export interface LoadConfigOptions {
  /** The environment to read variables from. Default: `process.env`. Tests pass their own. */
  env?: NodeJS.ProcessEnv;
  /**
   * The documented defaults. Default: `config/default.yaml` of the repository, found by walking up from this
   * module (so it works from `src/config/` and from `dist/src/config/`).
   */
  defaultsPath?: string;
  /**
   * The local file layered over the defaults. Default: the path in `METRONOME_CONFIG` (relative to the working
   * directory), else `local.yaml` next to the defaults file if it exists. `null` reads no local file. A path given
   * here or in `METRONOME_CONFIG` must exist.
   */
  localPath?: string | null;
  /** Values applied over every other source, for tests and the demo. Secrets are given as `Secret`s. */
  overrides?: ConfigOverrides;
  /** Checks of parsed values that need code outside this layer; their problems are reported like the schema's. */
  checks?: readonly ConfigCheck[];
}

/**
 * A check of one parsed value that the schema cannot make itself, because it needs a parser that belongs to another
 * layer (the music allow-list, say). Its problem is reported with the key and the source that set the value.
 */
export interface ConfigCheck {
  /** The dotted key checked (`music.query_allowlist`). */
  readonly key: string;
  /** What is wrong with the value at `key`, or undefined when it is fine. */
  readonly check: (config: Config) => string | undefined;
}

/**
 * Loads the configuration once, at start-up: `default.yaml` < local file < environment (`METRONOME_*`, `OTEL_*`,
 * secrets) < `overrides`. The result is validated and deep-frozen.
 *
 * @throws ConfigError listing every problem, each with its key, the value's problem and its source
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const defaultsPath = options.defaultsPath ?? findDefaultsFile();
  const readings: SourceReading[] = [readYamlFile(defaultsPath)];
  const local = localFile(options.localPath, env, defaultsPath);
  if (local !== undefined) readings.push(readYamlFile(local.path, local.namedBy));
  readings.push(readEnvironment(env));
  const overrides: ConfigLayer[] =
    options.overrides === undefined ? [] : [{ source: 'overrides', values: options.overrides }];

  const issues: ConfigIssue[] = readings.flatMap((reading) => reading.issues);
  const { values, sources } = mergeLayers([...readings.flatMap((reading) => reading.layers), ...overrides]);
  const result = configSchema.safeParse(values, { error: describeZodIssue });
  if (!result.success) issues.push(...toConfigIssues(result.error, values, sources));
  if (issues.length > 0 || !result.success) throw new ConfigError(issues);
  for (const { key, check } of options.checks ?? []) {
    const problem = check(result.data);
    if (problem !== undefined) issues.push({ key, source: sourceOf(sources, key.split('.')), problem });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return deepFreeze(result.data);
}

function localFile(
  option: string | null | undefined,
  env: NodeJS.ProcessEnv,
  defaultsPath: string,
): { path: string; namedBy?: string } | undefined {
  if (option === null) return undefined;
  if (option !== undefined) return { path: option, namedBy: 'the localPath option' };
  const fromEnv = env[LocalConfigVariable];
  if (fromEnv !== undefined && fromEnv !== '') return { path: resolve(fromEnv), namedBy: LocalConfigVariable };
  const beside = join(dirname(defaultsPath), 'local.yaml');
  return existsSync(beside) ? { path: beside } : undefined;
}

function findDefaultsFile(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let folder = start; ; folder = dirname(folder)) {
    const candidate = join(folder, 'config', 'default.yaml');
    if (existsSync(candidate)) return candidate;
    if (dirname(folder) === folder) {
      throw new ConfigError([
        { key: '', source: 'config/default.yaml', problem: `not found in ${start} or any folder above it` },
      ]);
    }
  }
}
