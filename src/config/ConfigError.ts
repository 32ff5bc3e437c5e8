/** One problem found while loading the configuration. */
export interface ConfigIssue {
  /** Dotted path of the key, e.g. `health.port`; empty when the problem is not about one key (an unreadable file). */
  readonly key: string;
  /** Where the value came from: a file path, an environment variable name, `overrides` or `defaults`. */
  readonly source: string;
  /** What is wrong, e.g. `expected a number`. Never contains a secret's value. */
  readonly problem: string;
  /** The offending value, already made safe to print (secrets show as `[redacted]`); absent when not shown. */
  readonly shownValue?: string;
}

/**
 * The configuration could not be loaded. Start-up stops with this error: its message lists every problem, one per
 * line, each naming the key, the value's problem and where the value came from.
 *
 * `key` and `source` describe the first problem; `issues` holds all of them.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Dotted path of the first problem's key (empty when the problem is not about one key). */
  readonly key: string;
  /** Where the first problem's value came from: a file path or an environment variable name. */
  readonly source: string;
  /** Every problem found, in the order they were found. */
  readonly issues: readonly ConfigIssue[];

  /** @param issues at least one problem */
  constructor(issues: readonly ConfigIssue[]) {
    super(formatIssues(issues));
    const first = issues[0];
    this.key = first?.key ?? '';
    this.source = first?.source ?? '';
    this.issues = issues;
  }
}

function formatIssues(issues: readonly ConfigIssue[]): string {
  const lines = issues.map(formatIssue);
  if (lines.length === 1) return `Invalid configuration: ${lines[0]}`;
  return `Invalid configuration (${lines.length} problems):\n${lines.map((line) => `  - ${line}`).join('\n')}`;
}

function formatIssue(issue: ConfigIssue): string {
  if (issue.key === '') return `${issue.source}: ${issue.problem}`;
  const value = issue.shownValue === undefined ? '' : ` = ${issue.shownValue}`;
  return `${issue.key}${value} (from ${issue.source}): ${issue.problem}`;
}
