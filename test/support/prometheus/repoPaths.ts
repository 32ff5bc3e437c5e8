import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository root, found by walking up from the compiled test to the folder that holds `package.json` and
 * `config/`. Works from `dist/` (npm test) and from any other output folder the tests were compiled to.
 */
export function repoRoot(): string {
  let dir = import.meta.dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'config'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no repository root above ${import.meta.dirname}`);
    dir = parent;
  }
}

/** A path inside the repository. */
export function repoPath(...segments: string[]): string {
  return join(repoRoot(), ...segments);
}
