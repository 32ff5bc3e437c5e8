import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { parsePromQlReferences } from '../support/prometheus/PromQlReferences.js';
import { field, loadRuleGroups, ruleFilesIn } from '../support/prometheus/RuleFiles.js';
import { repoPath } from '../support/prometheus/repoPaths.js';
import { prometheusConfigForOlderPromtool, readYamlMapping, runTool } from '../support/prometheus/tools.js';

const prometheusDir = repoPath('config', 'prometheus');
const configFile = join(prometheusDir, 'prometheus.yml');
const rulesDir = join(prometheusDir, 'rules');
const ruleTestsDir = join(rulesDir, 'tests');
const groups = loadRuleGroups(rulesDir);
const alerts = groups.flatMap((group) => group.alerts);
const recordings = groups.flatMap((group) => group.recordings);
const ruleTestFiles = readdirSync(ruleTestsDir)
  .filter((name) => name.endsWith('.test.yml'))
  .map((name) => join(ruleTestsDir, name))
  .sort();

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function githubAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The part of a link annotation after its optional `{{ with $externalLabels.X }}{{ . }}{{ end }}` prefix. */
function withoutLinkBase(value: string, externalLabel: string): string {
  const prefix = `{{ with $externalLabels.${externalLabel} }}{{ . }}{{ end }}`;
  assert.ok(value.startsWith(prefix), `${value} should start with ${prefix}`);
  return value.slice(prefix.length);
}

interface AlertTestCase {
  readonly file: string;
  readonly alertname: string;
  readonly expectsAlerts: boolean;
}

function alertTestCases(): AlertTestCase[] {
  return ruleTestFiles.flatMap((file) => {
    const document: unknown = parse(readFileSync(file, 'utf8'));
    const tests = field(document, 'tests');
    return (Array.isArray(tests) ? tests : []).flatMap((test: unknown) => {
      const cases = field(test, 'alert_rule_test');
      return (Array.isArray(cases) ? cases : []).map((entry: unknown) => {
        const expected = field(entry, 'exp_alerts');
        return {
          file,
          alertname: String(field(entry, 'alertname')),
          expectsAlerts: Array.isArray(expected) && expected.length > 0,
        };
      });
    });
  });
}

function testedExpressions(): string[] {
  return ruleTestFiles.flatMap((file) => {
    const document: unknown = parse(readFileSync(file, 'utf8'));
    const tests = field(document, 'tests');
    return (Array.isArray(tests) ? tests : []).flatMap((test: unknown) => {
      const cases = field(test, 'promql_expr_test');
      return (Array.isArray(cases) ? cases : []).map((entry: unknown) => String(field(entry, 'expr')));
    });
  });
}

describe('prometheus.yml', () => {
  it('passes promtool check config once its Prometheus v3 only section is set aside', async () => {
    // promtool here is 2.42 (Debian); the stack runs Prometheus v3.14, whose `otlp` section 2.42 rejects as an
    // unknown field. Everything else in the file is checked by the real tool, rule files included.
    await using compatible = prometheusConfigForOlderPromtool(configFile);
    const result = runTool('promtool', ['check', 'config', '--lint=all', '--lint-fatal', compatible.file]);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /SUCCESS/);
  });

  it('hands promtool a copy that differs only by the documented v3-only otlp section', async () => {
    await using compatible = prometheusConfigForOlderPromtool(configFile);
    assert.deepEqual(compatible.removed, ['otlp']);
    const { otlp: _otlp, ...rest } = compatible.original;
    assert.deepEqual(compatible.copy, rest);
  });

  it('keeps the default OTLP name translation the dashboards and rules are written against', () => {
    const otlp = field(readYamlMapping(configFile), 'otlp');
    assert.equal(field(otlp, 'translation_strategy'), 'UnderscoreEscapingWithSuffixes');
    assert.equal(field(otlp, 'keep_identifying_resource_attributes'), true);
  });

  it('promotes only low-cardinality resource attributes', () => {
    const promoted = field(field(readYamlMapping(configFile), 'otlp'), 'promote_resource_attributes');
    assert.ok(Array.isArray(promoted));
    assert.deepEqual([...promoted].sort(), [
      'deployment.environment.name',
      'service.name',
      'service.namespace',
      'service.version',
    ]);
  });

  it('accepts out-of-order samples from the collector and stores exemplars', () => {
    const storage = field(readYamlMapping(configFile), 'storage');
    assert.match(String(field(field(storage, 'tsdb'), 'out_of_order_time_window')), /^\d+[smh]$/);
    assert.ok(Number(field(field(storage, 'exemplars'), 'max_exemplars')) > 0);
  });

  it('sends alerts to alertmanager:9093 and scrapes the collector and Lavalink', () => {
    const config = readYamlMapping(configFile);
    assert.match(JSON.stringify(field(config, 'alerting')), /"alertmanager:9093"/);
    const jobs = new Map<string, string>();
    for (const job of (field(config, 'scrape_configs') as unknown[]) ?? []) {
      jobs.set(String(field(job, 'job_name')), JSON.stringify(job));
    }
    assert.match(jobs.get('otel-collector') ?? '', /"otel-collector:8888"/);
    assert.match(jobs.get('lavalink') ?? '', /"lavalink:2333"/);
    assert.match(jobs.get('lavalink') ?? '', /"metrics_path":"\/metrics"/);
  });

  it('loads every rule file and none of the rule tests', () => {
    const patterns = field(readYamlMapping(configFile), 'rule_files');
    assert.deepEqual(patterns, ['rules/*.yml']);
    const loaded = ruleFilesIn(rulesDir).map((file) => file.slice(rulesDir.length + 1));
    assert.deepEqual(loaded, ['metronome-alerts.yml', 'metronome-recording.yml', 'metronome-slo.yml']);
    assert.ok(ruleTestFiles.every((file) => !loaded.includes(file.slice(rulesDir.length + 1))));
  });
});

describe('rule files', () => {
  it('pass promtool check rules with every lint', () => {
    const result = runTool('promtool', ['check', 'rules', '--lint=all', '--lint-fatal', ...ruleFilesIn(rulesDir)]);
    assert.equal(result.status, 0, result.output);
  });

  it('pass every promtool unit test', () => {
    assert.ok(ruleTestFiles.length > 0);
    const result = runTool('promtool', ['test', 'rules', ...ruleTestFiles]);
    assert.equal(result.status, 0, result.output);
    assert.doesNotMatch(result.output, /FAILED/);
  });

  it('name every alert and every group once', () => {
    const alertNames = alerts.map((alert) => alert.alert);
    assert.equal(new Set(alertNames).size, alertNames.length, `duplicate alert: ${alertNames}`);
    const groupNames = groups.map((group) => group.name);
    assert.equal(new Set(groupNames).size, groupNames.length);
    const recorded = recordings.map((rule) => rule.record);
    assert.equal(new Set(recorded).size, recorded.length);
  });

  it('give every alert a severity of page or ticket and a summary, description, runbook and dashboard', () => {
    for (const alert of alerts) {
      assert.ok(['page', 'ticket'].includes(alert.labels.severity ?? ''), `${alert.alert} severity`);
      for (const annotation of ['summary', 'description', 'runbook_url', 'dashboard_url']) {
        assert.ok((alert.annotations[annotation] ?? '').trim() !== '', `${alert.alert} has no ${annotation}`);
      }
      // An absence has no value and no labels to report; every other alert says which and how much.
      if (!/^\s*(?:\w+ without \([\w, ]*\)\s*\(\s*)?absent(_over_time)?\(/.test(alert.expr)) {
        assert.match(alert.annotations.description ?? '', /\$(value|labels)/, `${alert.alert} description is generic`);
      }
    }
  });

  it("point every runbook_url at the alert's own section of docs/runbook.md", () => {
    const runbook = readFileSync(repoPath('docs', 'runbook.md'), 'utf8');
    const anchors = new Set([...runbook.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => githubAnchor(match[1] ?? '')));
    for (const alert of alerts) {
      const link = withoutLinkBase(alert.annotations.runbook_url ?? '', 'runbook_base');
      assert.equal(link, `docs/runbook.md#${alert.alert.toLowerCase()}`, alert.alert);
      assert.ok(anchors.has(alert.alert.toLowerCase()), `docs/runbook.md has no section for ${alert.alert}`);
    }
  });

  it('point every dashboard_url at a dashboard that exists', () => {
    const dashboardsDir = repoPath('config', 'grafana', 'dashboards');
    const uids = new Set(
      readdirSync(dashboardsDir)
        .filter((name) => name.endsWith('.json'))
        .map((name) => String(JSON.parse(readFileSync(join(dashboardsDir, name), 'utf8')).uid)),
    );
    for (const alert of alerts) {
      const link = withoutLinkBase(alert.annotations.dashboard_url ?? '', 'grafana_url');
      const uid = /^\/d\/([a-z0-9-]+)$/.exec(link)?.[1];
      assert.ok(uid !== undefined && uids.has(uid), `${alert.alert} links to ${link}, not a provisioned dashboard`);
    }
  });

  it("only template labels that survive the alert expression's aggregation", () => {
    for (const alert of alerts) {
      const { groupingLabels } = parsePromQlReferences(alert.expr);
      if (groupingLabels.length === 0) continue;
      const available = new Set([...groupingLabels, ...Object.keys(alert.labels)]);
      const text = Object.values(alert.annotations).join('\n');
      for (const match of text.matchAll(/\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)/g)) {
        assert.ok(available.has(match[1] ?? ''), `${alert.alert} templates $labels.${match[1]}, which its expr drops`);
      }
    }
  });

  it('unit-test every alert both firing and staying silent', () => {
    const cases = alertTestCases();
    for (const alert of alerts) {
      const mine = cases.filter((entry) => entry.alertname === alert.alert);
      assert.ok(
        mine.some((entry) => entry.expectsAlerts),
        `no promtool test shows ${alert.alert} firing`,
      );
      assert.ok(
        mine.some((entry) => !entry.expectsAlerts),
        `no promtool test shows ${alert.alert} staying silent`,
      );
    }
    const known = new Set(alerts.map((alert) => alert.alert));
    for (const entry of cases) assert.ok(known.has(entry.alertname), `${entry.file} tests unknown ${entry.alertname}`);
  });

  it('unit-test every recording rule', () => {
    const tested = new Set(
      testedExpressions().flatMap((expr) => parsePromQlReferences(expr).selectors.map((selector) => selector.metric)),
    );
    for (const rule of recordings) assert.ok(tested.has(rule.record), `no promql_expr_test reads ${rule.record}`);
  });

  it('keep rule tests next to the rules they test', () => {
    for (const file of ruleTestFiles) {
      const ruleFiles = field(parse(readFileSync(file, 'utf8')), 'rule_files');
      assert.ok(Array.isArray(ruleFiles) && ruleFiles.length > 0, `${file} loads no rules`);
      for (const ruleFile of ruleFiles)
        assert.ok(existsSync(join(ruleTestsDir, String(ruleFile))), `${file}: ${ruleFile}`);
    }
  });
});
