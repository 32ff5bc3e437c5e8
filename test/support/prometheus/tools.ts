import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';

export interface ToolResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Everything the tool printed, for assertion messages. */
  readonly output: string;
}

/** Runs a command line tool (promtool, amtool) to completion and captures what it printed. */
export function runTool(command: string, args: readonly string[], cwd?: string): ToolResult {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    output: `$ ${command} ${args.join(' ')}\n${result.stdout}${result.stderr}`,
  };
}

/**
 * Top-level sections of prometheus.yml that only Prometheus v3 understands. The promtool packaged here (2.42)
 * rejects them as unknown fields although the rest of the file is valid for both: `otlp` (the OTLP receiver's
 * translation settings) appeared in Prometheus 2.5x and is documented in the v3 configuration reference.
 */
export const PrometheusV3OnlySections = ['otlp'] as const;

/** A parsed YAML mapping. */
export type YamlMapping = Record<string, unknown>;

export function readYamlMapping(path: string): YamlMapping {
  const value: unknown = parse(readFileSync(path, 'utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${path} is not a mapping`);
  return value as YamlMapping;
}

export interface CompatibleCopy extends AsyncDisposable {
  /** The copy to hand to the older promtool. */
  readonly file: string;
  /** The configuration as written. */
  readonly original: YamlMapping;
  /** The copy, parsed. */
  readonly copy: YamlMapping;
  /** The sections that were left out. */
  readonly removed: readonly string[];
}

/**
 * A copy of prometheus.yml without its v3-only sections, in a temporary folder where `rules/` links to the real
 * rule folder, so the relative `rule_files` globs still find the real rule files.
 */
export function prometheusConfigForOlderPromtool(configPath: string): CompatibleCopy {
  const original = readYamlMapping(configPath);
  const copy = structuredClone(original);
  const removed: string[] = [];
  for (const section of PrometheusV3OnlySections) {
    if (section in copy) {
      delete copy[section];
      removed.push(section);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'metronome-promtool-'));
  symlinkSync(join(dirname(configPath), 'rules'), join(dir, 'rules'));
  const file = join(dir, 'prometheus.yml');
  writeFileSync(file, stringify(copy));
  return {
    file,
    original,
    copy,
    removed,
    [Symbol.asyncDispose]: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
