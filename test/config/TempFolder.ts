import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/ConfigError.js';

/** A throw-away folder under the system temp folder, for configuration and secret files. */
export class TempFolder {
  readonly path = mkdtempSync(join(tmpdir(), 'metronome-config-'));

  /** Writes a file into the folder and returns its path. */
  write(name: string, text: string): string {
    const path = join(this.path, name);
    writeFileSync(path, text);
    return path;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** Calls `load` and returns the ConfigError it throws; fails the test if it throws nothing or something else. */
export function configErrorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}
