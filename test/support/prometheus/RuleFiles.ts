import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** One alerting rule, as written in a Prometheus rule file. */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** One recording rule, as written in a Prometheus rule file. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly file: string;
  readonly name: string;
  readonly interval?: string;
  readonly alerts: readonly AlertingRule[];
  readonly recordings: readonly RecordingRule[];
}

/** The rule files of a folder (not its subfolders), matching Prometheus' `rule_files: [rules/*.yml]`. */
export function ruleFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.yml'))
    .map((entry) => join(dir, entry.name))
    .sort();
}

/** Every group of every rule file in `dir`, with its rules typed. Throws on a rule that is neither kind. */
export function loadRuleGroups(dir: string): RuleGroup[] {
  return ruleFilesIn(dir).flatMap((file) => {
    const document: unknown = parse(readFileSync(file, 'utf8'));
    const groups = field(document, 'groups');
    if (!Array.isArray(groups)) throw new Error(`${file}: no groups`);
    return groups.map((group: unknown): RuleGroup => {
      const rules = field(group, 'rules');
      if (!Array.isArray(rules)) throw new Error(`${file}: a group without rules`);
      const interval = field(group, 'interval');
      return {
        file,
        name: text(field(group, 'name'), `${file}: group name`),
        ...(typeof interval === 'string' ? { interval } : {}),
        alerts: rules.filter((rule) => field(rule, 'alert') !== undefined).map((rule) => toAlert(rule, file)),
        recordings: rules.filter((rule) => field(rule, 'record') !== undefined).map((rule) => toRecording(rule, file)),
      };
    });
  });
}

function toAlert(rule: unknown, file: string): AlertingRule {
  const name = text(field(rule, 'alert'), `${file}: alert name`);
  const forDuration = field(rule, 'for');
  return {
    alert: name,
    expr: text(field(rule, 'expr'), `${file}: ${name} expr`),
    ...(typeof forDuration === 'string' ? { for: forDuration } : {}),
    labels: stringMap(field(rule, 'labels')),
    annotations: stringMap(field(rule, 'annotations')),
  };
}

function toRecording(rule: unknown, file: string): RecordingRule {
  const name = text(field(rule, 'record'), `${file}: record name`);
  return {
    record: name,
    expr: text(field(rule, 'expr'), `${file}: ${name} expr`),
    labels: stringMap(field(rule, 'labels')),
  };
}

/** A property of a parsed YAML value, or undefined when the value is not a mapping. */
export function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return (value as Record<string, unknown>)[key];
}

function text(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new Error(`${what} is not a string`);
}

function stringMap(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error('labels/annotations must be a mapping');
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, text(entry, key)]));
}
