import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, from `dist/test/support/`. */
export const RepoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The build this test runs from (`dist/`), so the child runs the same compiled code. */
const BuildRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The real bot as a child process (`node --import preload dist/src/main.js`), as `npm start` runs it, for tests of
 * process behaviour: signals, exit codes, start-up errors.
 */
export class BotProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(readonly child: ChildProcess) {
    const collect = (into: string[]) => {
      let partial = '';
      return (chunk: Buffer) => {
        const text = partial + chunk.toString('utf8');
        const parts = text.split('\n');
        partial = parts.pop() ?? '';
        into.push(...parts.filter(Boolean));
      };
    };
    child.stdout?.on('data', collect(this.stdout));
    child.stderr?.on('data', collect(this.stderr));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Starts the bot with exactly `env` (plus PATH), from the repository root. */
  static spawn(env: Record<string, string>): BotProcess {
    const child = spawn(
      process.execPath,
      ['--import', `${BuildRoot}src/telemetry/preload.js`, `${BuildRoot}src/main.js`],
      { cwd: RepoRoot, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return new BotProcess(child);
  }

  /** Parsed JSON log lines written so far. */
  logs(): Record<string, unknown>[] {
    return this.stdout.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  /** Resolves with the first log line matching `predicate`, or rejects after `timeoutMs` with what was logged. */
  async waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs = 15_000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.logs().find(predicate);
      if (found) return found;
      if (this.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no matching log line; stdout:\n${this.stdout.join('\n')}\nstderr:\n${this.stderr.join('\n')}`);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.child.kill(signal);
  }
}
