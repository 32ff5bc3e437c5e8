import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type DashboardFile, loadDashboards } from '../support/prometheus/DashboardFiles.js';
import { field } from '../support/prometheus/RuleFiles.js';
import { repoPath } from '../support/prometheus/repoPaths.js';
import { readYamlMapping, runTool } from '../support/prometheus/tools.js';

const dashboardsDir = repoPath('config', 'grafana', 'dashboards');
const dashboards = loadDashboards(dashboardsDir);

const ExpectedUids = [
  'metronome-commands',
  'metronome-database',
  'metronome-discord',
  'metronome-logs',
  'metronome-music',
  'metronome-overview',
  'metronome-runtime',
  'metronome-slo',
];

/** The provisioned datasources by uid (config/grafana/provisioning/datasources), or the fixed list of DESIGN.md. */
function provisionedDatasources(): Map<string, string> {
  const dir = repoPath('config', 'grafana', 'provisioning', 'datasources');
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)) : [];
  if (files.length === 0) {
    return new Map([
      ['prometheus', 'prometheus'],
      ['loki', 'loki'],
      ['tempo', 'tempo'],
      ['alertmanager', 'alertmanager'],
    ]);
  }
  const out = new Map<string, string>();
  for (const name of files) {
    const datasources = field(readYamlMapping(join(dir, name)), 'datasources');
    for (const datasource of Array.isArray(datasources) ? datasources : []) {
      out.set(String(field(datasource, 'uid')), String(field(datasource, 'type')));
    }
  }
  return out;
}

function dashboard(uid: string): DashboardFile {
  const found = dashboards.find((candidate) => candidate.uid === uid);
  assert.ok(found, `no dashboard ${uid}`);
  return found;
}

function titles(uid: string): string[] {
  return dashboard(uid).panels.map((panel) => panel.title);
}

describe('Grafana dashboards', () => {
  it('are exactly what their generator produces', () => {
    const result = runTool(process.execPath, [join(dashboardsDir, 'src', 'build.mjs'), '--check']);
    assert.equal(result.status, 0, result.output);
  });

  it('are the eight dashboards of the stack, each under its fixed uid and file name', () => {
    assert.deepEqual(
      dashboards.map((entry) => entry.uid),
      ExpectedUids,
    );
    for (const entry of dashboards) {
      assert.equal(entry.file, join(dashboardsDir, `${entry.uid}.json`));
      assert.match(entry.title, /^Metronome \/ /);
      assert.equal(field(entry.raw, 'id'), undefined, `${entry.uid} must not pin a database id`);
    }
  });

  it('use only provisioned datasources, by uid and with the matching type', () => {
    const provisioned = provisionedDatasources();
    for (const entry of dashboards) {
      const refs = [
        ...entry.queries.map((query) => ({ where: query.where, ref: query.datasource })),
        ...entry.panels
          .filter((panel) => panel.type !== 'row' && panel.type !== 'text')
          .map((panel) => ({ where: `panel "${panel.title}"`, ref: field(panel.raw, 'datasource') })),
      ];
      for (const { where, ref } of refs) {
        const uid = String(field(ref, 'uid'));
        const type = String(field(ref, 'type'));
        assert.equal(provisioned.get(uid), type, `${entry.uid} ${where} uses datasource ${type}/${uid}`);
      }
    }
  });

  it('lay panels out on the 24-column grid without overlaps', () => {
    for (const entry of dashboards) {
      const cells = new Set<string>();
      for (const panel of entry.panels) {
        const { x, y, w, h } = panel.gridPos;
        assert.ok(x >= 0 && w > 0 && x + w <= 24 && h > 0, `${entry.uid} "${panel.title}" is off the grid`);
        for (let row = y; row < y + h; row += 1) {
          for (let column = x; column < x + w; column += 1) {
            const cell = `${row}:${column}`;
            assert.ok(!cells.has(cell), `${entry.uid} "${panel.title}" overlaps another panel`);
            cells.add(cell);
          }
        }
      }
    }
  });

  it('number their panels uniquely and give every query a reference id', () => {
    for (const entry of dashboards) {
      const ids = entry.panels.map((panel) => panel.id);
      assert.equal(new Set(ids).size, ids.length, entry.uid);
      for (const panel of entry.panels) {
        const targets = field(panel.raw, 'targets');
        for (const target of Array.isArray(targets) ? targets : []) {
          assert.match(String(field(target, 'refId')), /^[A-Z]$/, `${entry.uid} "${panel.title}"`);
        }
      }
    }
  });

  it('link only to dashboards that exist', () => {
    const uids = new Set(dashboards.map((entry) => entry.uid));
    for (const entry of dashboards) {
      for (const url of entry.links) {
        const uid = /^\/d\/([a-z0-9-]+)/.exec(url)?.[1];
        assert.ok(uid !== undefined && uids.has(uid), `${entry.uid} links to ${url}`);
      }
    }
  });

  it('filter every Metronome series of the bot by the chosen environment', () => {
    for (const entry of dashboards) {
      for (const query of entry.queries.filter((candidate) => candidate.kind === 'panel')) {
        if (
          query.datasource?.type !== 'prometheus' ||
          !/metronome|traces_span|nodejs_|v8js_|process_|db_client|http_client/.test(query.query)
        ) {
          continue;
        }
        assert.match(
          query.query,
          /deployment_environment_name=~"\$env"/,
          `${entry.uid} ${query.where}: ${query.query}`,
        );
      }
    }
  });

  it('give the overview command rate, errors, latency percentiles with exemplars, players and guilds', () => {
    const overview = dashboard('metronome-overview');
    for (const title of ['Commands / s', 'Failed commands (5m)', 'Latency percentiles', 'Playing players', 'Guilds']) {
      assert.ok(titles('metronome-overview').includes(title), title);
    }
    const latency = overview.queries.filter((query) => query.where === 'panel "Latency percentiles"');
    assert.deepEqual(latency.map((query) => /:p(50|95|99)_5m/.exec(query.query)?.[1]).filter(Boolean), [
      '50',
      '95',
      '99',
    ]);
    assert.ok(
      latency.some((query) => query.exemplar && query.query.includes('traces_span_metrics_duration_seconds_bucket')),
      'exemplars come from the span metrics',
    );
  });

  it('show shards, their latency and rate limits on the Discord dashboard', () => {
    const all = dashboard('metronome-discord')
      .queries.map((query) => query.query)
      .join('\n');
    for (const metric of [
      'metronome_discord_shard_status_ratio',
      'metronome_discord_shard_latency_seconds',
      'metronome:discord_rest_rate_limits:rate5m',
      'metronome:discord_rest_errors:ratio_rate5m',
    ]) {
      assert.ok(all.includes(metric), metric);
    }
  });

  it('show event loop, heap, GC and CPU on the runtime dashboard', () => {
    const all = dashboard('metronome-runtime')
      .queries.map((query) => query.query)
      .join('\n');
    for (const metric of [
      'nodejs_eventloop_delay_p99_seconds',
      'v8js_memory_heap_used_bytes',
      'v8js_gc_duration_seconds',
      'process_cpu_time_seconds_total',
    ]) {
      assert.ok(all.includes(metric), metric);
    }
  });

  it('break logs down by level and logger in Loki and list traces from Tempo', () => {
    const logs = dashboard('metronome-logs');
    const lokiQueries = logs.queries.filter((query) => query.datasource?.uid === 'loki').map((query) => query.query);
    assert.ok(lokiQueries.some((query) => query.startsWith('sum by (severity_text)')));
    assert.ok(lokiQueries.some((query) => query.startsWith('sum by (logger)')));
    assert.ok(lokiQueries.every((query) => query.includes('{service_name="metronome"}')));
    assert.ok(logs.panels.some((panel) => panel.type === 'logs'));
    assert.ok(logs.queries.some((query) => query.datasource?.uid === 'tempo'));
    const variables = field(field(logs.raw, 'templating'), 'list');
    const names = (Array.isArray(variables) ? variables : []).map((variable) => field(variable, 'name'));
    assert.deepEqual(names, ['env', 'level', 'logger', 'search']);
  });

  it('show both SLOs with burn rates and the budget left', () => {
    const all = dashboard('metronome-slo')
      .queries.map((query) => query.query)
      .join('\n');
    for (const series of [
      'metronome:slo_command_availability:error_budget_remaining',
      'metronome:slo_command_latency:error_budget_remaining',
      'metronome:slo_command_errors:ratio_rate1h',
      'metronome:slo_command_latency_errors:ratio_rate6h',
    ]) {
      assert.ok(all.includes(series), series);
    }
    assert.ok(titles('metronome-slo').some((title) => /burn rate/.test(title)));
  });
});
