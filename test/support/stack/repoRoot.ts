import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The repository root: the nearest folder above this file that holds `package.json`. Works the same from the
 * TypeScript sources, from `dist/` and from any other output folder (`dist-stack/`), so stack tests can read the
 * configs they check without caring where they were compiled to.
 */
export function repoRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  cached = dir;
  return dir;
}

/** An absolute path inside the repository; absolute arguments are returned unchanged. */
export function repoPath(...segments: string[]): string {
  const [first] = segments;
  if (segments.length === 1 && first !== undefined && isAbsolute(first)) return first;
  return join(repoRoot(), ...segments);
}
