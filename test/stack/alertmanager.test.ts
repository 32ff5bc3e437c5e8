import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { field, loadRuleGroups } from '../support/prometheus/RuleFiles.js';
import { repoPath } from '../support/prometheus/repoPaths.js';
import { readYamlMapping, runTool, type YamlMapping } from '../support/prometheus/tools.js';

const configFile = repoPath('config', 'alertmanager', 'alertmanager.yml');
const config = readYamlMapping(configFile);
const alerts = loadRuleGroups(repoPath('config', 'prometheus', 'rules')).flatMap((group) => group.alerts);

/**
 * amtool here is 0.25 (Debian), which predates webhook `url_file` (Alertmanager 0.26). The check gets a copy in
 * which each `url_file` becomes a placeholder `url`, and nothing else changes.
 */
function configForOlderAmtool(): { copy: YamlMapping; replaced: number } {
  const copy = structuredClone(config);
  let replaced = 0;
  for (const receiver of (field(copy, 'receivers') as unknown[]) ?? []) {
    for (const webhook of (field(receiver, 'webhook_configs') as unknown[]) ?? []) {
      const entry = webhook as Record<string, unknown>;
      if (typeof entry.url_file === 'string') {
        delete entry.url_file;
        entry.url = 'http://webhook.invalid/';
        replaced += 1;
      }
    }
  }
  return { copy, replaced };
}

const scratch = mkdtempSync(join(tmpdir(), 'metronome-amtool-'));
const checkedFile = join(scratch, 'alertmanager.yml');
writeFileSync(checkedFile, stringify(configForOlderAmtool().copy));
after(() => rmSync(scratch, { recursive: true, force: true }));

function routeOf(labels: Readonly<Record<string, string>>): string {
  const args = Object.entries(labels).map(([name, value]) => `${name}=${value}`);
  const result = runTool('amtool', ['config', 'routes', 'test', `--config.file=${checkedFile}`, ...args]);
  assert.equal(result.status, 0, result.output);
  return result.stdout.trim();
}

type Matcher = (labels: Readonly<Record<string, string>>) => boolean;

function matcher(text: string): Matcher {
  const parsed = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"(.*)"$/.exec(text.trim());
  if (!parsed) throw new Error(`cannot read matcher ${text}`);
  const [, name = '', op, value = ''] = parsed;
  const regex = new RegExp(`^(?:${value})$`);
  return (labels) => {
    const actual = labels[name] ?? '';
    switch (op) {
      case '=':
        return actual === value;
      case '!=':
        return actual !== value;
      case '=~':
        return regex.test(actual);
      default:
        return !regex.test(actual);
    }
  };
}

interface InhibitRule {
  readonly source: Matcher;
  readonly target: Matcher;
  readonly equal: readonly string[];
}

const inhibitRules: InhibitRule[] = ((field(config, 'inhibit_rules') as unknown[]) ?? []).map((rule) => {
  const all = (key: string): Matcher => {
    const matchers = ((field(rule, key) as unknown[]) ?? []).map((entry) => matcher(String(entry)));
    return (labels) => matchers.every((match) => match(labels));
  };
  const equal = field(rule, 'equal');
  return {
    source: all('source_matchers'),
    target: all('target_matchers'),
    equal: Array.isArray(equal) ? equal.map(String) : [],
  };
});

/** The labels an alert of a rule fires with, as far as routing and inhibition care: name plus static labels. */
function labelsOf(alertname: string): Record<string, string> {
  const alert = alerts.find((candidate) => candidate.alert === alertname);
  assert.ok(alert, `no alert ${alertname}`);
  return { alertname, ...alert.labels, deployment_environment_name: 'production' };
}

/** Whether a firing `source` alert mutes `target`, both in the same environment. */
function mutes(source: string, target: string): boolean {
  const sourceLabels = labelsOf(source);
  const targetLabels = labelsOf(target);
  return inhibitRules.some(
    (rule) =>
      rule.source(sourceLabels) &&
      rule.target(targetLabels) &&
      rule.equal.every((label) => sourceLabels[label] === targetLabels[label]),
  );
}

describe('alertmanager.yml', () => {
  it('passes amtool check-config with its webhook URL files standing in as placeholder URLs', () => {
    const { replaced } = configForOlderAmtool();
    assert.equal(replaced, 2);
    const result = runTool('amtool', ['check-config', checkedFile]);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /SUCCESS/);
  });

  it('reads every webhook URL from a mounted secret file, never from the config', () => {
    for (const receiver of (field(config, 'receivers') as unknown[]) ?? []) {
      for (const webhook of (field(receiver, 'webhook_configs') as unknown[]) ?? []) {
        assert.equal(field(webhook, 'url'), undefined);
        assert.match(String(field(webhook, 'url_file')), /^\/etc\/alertmanager\/secrets\/[a-z-]+$/);
      }
    }
  });

  it('routes pages and tickets to separate receivers', () => {
    assert.equal(routeOf({ alertname: 'MetronomeShardDown', severity: 'page' }), 'page');
    assert.equal(routeOf({ alertname: 'MetronomeJobStale', severity: 'ticket' }), 'ticket');
  });

  it('sends an alert without a severity to the ticket receiver rather than dropping it', () => {
    assert.equal(routeOf({ alertname: 'Unlabelled' }), 'ticket');
  });

  it('routes every Metronome alert to the receiver named after its severity', () => {
    for (const alert of alerts) {
      assert.equal(routeOf(labelsOf(alert.alert)), alert.labels.severity, alert.alert);
    }
  });

  it('groups notifications by alert and environment', () => {
    assert.deepEqual(field(field(config, 'route'), 'group_by'), ['alertname', 'deployment_environment_name']);
  });

  it('mutes every other bot alert while MetronomeBotDown fires', () => {
    for (const alert of alerts) {
      if (alert.alert === 'MetronomeBotDown' || alert.alert.startsWith('MetronomeCollector')) continue;
      assert.ok(mutes('MetronomeBotDown', alert.alert), `MetronomeBotDown should mute ${alert.alert}`);
    }
  });

  it('never mutes MetronomeBotDown by itself, nor the collector alerts by it', () => {
    assert.equal(mutes('MetronomeBotDown', 'MetronomeBotDown'), false);
    assert.equal(mutes('MetronomeBotDown', 'MetronomeCollectorDown'), false);
    assert.equal(mutes('MetronomeBotDown', 'MetronomeCollectorExportFailing'), false);
  });

  it('mutes the bot alerts, MetronomeBotDown included, while the collector is down', () => {
    assert.ok(mutes('MetronomeCollectorDown', 'MetronomeBotDown'));
    assert.ok(mutes('MetronomeCollectorDown', 'MetronomeShardDown'));
    assert.equal(mutes('MetronomeCollectorDown', 'MetronomeCollectorDown'), false);
  });

  it('mutes the per-node Lavalink alerts while no node is connected', () => {
    for (const target of [
      'MetronomeLavalinkNodeDown',
      'MetronomeLavalinkCpuSaturated',
      'MetronomeLavalinkFrameDeficit',
      'MetronomeLavalinkFailoverFailing',
    ]) {
      assert.ok(mutes('MetronomeLavalinkUnavailable', target), target);
    }
    assert.equal(mutes('MetronomeLavalinkUnavailable', 'MetronomeLavalinkUnavailable'), false);
  });

  it("mutes an SLO's slow burn while its fast burn pages, and only that SLO's", () => {
    assert.ok(mutes('MetronomeCommandErrorBudgetFastBurn', 'MetronomeCommandErrorBudgetSlowBurn'));
    assert.ok(mutes('MetronomeCommandLatencyBudgetFastBurn', 'MetronomeCommandLatencyBudgetSlowBurn'));
    assert.equal(mutes('MetronomeCommandErrorBudgetFastBurn', 'MetronomeCommandLatencyBudgetSlowBurn'), false);
  });

  it('has no inhibition rule an alert could trigger against itself', () => {
    for (const alert of alerts) {
      const labels = labelsOf(alert.alert);
      for (const rule of inhibitRules) {
        assert.ok(!(rule.source(labels) && rule.target(labels)), `${alert.alert} matches both sides of a rule`);
      }
    }
  });

  it('never lets a ticket mute a page', () => {
    for (const source of alerts.filter((alert) => alert.labels.severity === 'ticket')) {
      for (const target of alerts.filter((alert) => alert.labels.severity === 'page')) {
        assert.equal(mutes(source.alert, target.alert), false, `${source.alert} mutes ${target.alert}`);
      }
    }
  });
});
