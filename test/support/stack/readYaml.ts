import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { repoPath } from './repoRoot.js';

/** The text of a file, by repository-relative (or absolute) path. */
export function readText(path: string): string {
  return readFileSync(repoPath(path), 'utf8');
}

/** Whether a repository-relative (or absolute) path exists. */
export function repoFileExists(path: string): boolean {
  return existsSync(repoPath(path));
}

/**
 * One YAML document, parsed. Throws with the file name when the YAML is invalid, so a broken config fails the test
 * that reads it with a message that says which file to fix.
 */
export function readYaml(path: string): unknown {
  try {
    return parse(readText(path), { prettyErrors: true });
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}

/** Every document of a multi-document YAML file (Kubernetes manifests), empty documents left out. */
export function readYamlDocuments(path: string): unknown[] {
  const documents = parseAllDocuments(readText(path), { prettyErrors: true });
  const parsed: unknown[] = [];
  for (const document of documents) {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = document.toJS();
    if (value !== null && value !== undefined) parsed.push(value);
  }
  return parsed;
}

/** Parses YAML text that did not come from a file (a tool's output), naming its origin in errors. */
export function parseYamlText(text: string, origin: string): unknown {
  try {
    return parse(text, { prettyErrors: true });
  } catch (error) {
    throw new Error(`${origin}: ${(error as Error).message}`);
  }
}

/** Names of the files directly inside a repository folder whose names end with one of `extensions`, sorted. */
export function listFiles(folder: string, extensions: readonly string[] = ['.yaml', '.yml']): string[] {
  return readdirSync(repoPath(folder), { withFileTypes: true })
    .filter((entry) => entry.isFile() && extensions.some((extension) => entry.name.endsWith(extension)))
    .map((entry) => entry.name)
    .sort();
}
