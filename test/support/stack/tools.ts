import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The absolute path of an executable found on PATH, or undefined when it is not installed. */
export function findExecutable(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this PATH entry; keep looking
    }
  }
  return undefined;
}

/** What a finished tool run printed and returned. */
export interface ToolRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ToolOptions {
  readonly cwd?: string;
  /**
   * The whole environment of the child. Defaults to PATH and HOME only, so variables of the machine running the
   * tests (a developer's DISCORD_TOKEN, say) can never change what a config check sees.
   */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** Runs a tool to completion (bounded by a timeout) and returns its output; never throws for a non-zero exit. */
export function runTool(executable: string, args: readonly string[], options: ToolOptions = {}): ToolRun {
  const env = options.env ?? { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
  const result = spawnSync(executable, [...args], {
    cwd: options.cwd,
    env,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 32 * 1024 * 1024,
  });
  if (result.error) throw new Error(`${executable} ${args.join(' ')}: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
