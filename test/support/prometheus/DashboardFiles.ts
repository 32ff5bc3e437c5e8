import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { field } from './RuleFiles.js';

/** A datasource reference as dashboards write it. */
export interface DatasourceRef {
  readonly type: string;
  readonly uid: string;
}

/** One query of a dashboard: a panel target, a template variable or an annotation. */
export interface DashboardQuery {
  readonly dashboard: string;
  /** Where in the dashboard, for messages: panel title, variable or annotation name. */
  readonly where: string;
  readonly datasource: DatasourceRef | undefined;
  /** PromQL, LogQL or TraceQL, or a Grafana `label_values(...)` variable query. */
  readonly query: string;
  readonly kind: 'panel' | 'variable' | 'annotation';
  readonly exemplar: boolean;
}

export interface DashboardPanel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly raw: Record<string, unknown>;
}

export interface DashboardFile {
  readonly file: string;
  readonly uid: string;
  readonly title: string;
  readonly raw: Record<string, unknown>;
  readonly panels: readonly DashboardPanel[];
  readonly queries: readonly DashboardQuery[];
  /** Every URL a dashboard links to (panel links, dashboard links). */
  readonly links: readonly string[];
}

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return value as Record<string, unknown>;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function datasourceOf(value: unknown): DatasourceRef | undefined {
  const type = field(value, 'type');
  const uid = field(value, 'uid');
  return typeof type === 'string' && typeof uid === 'string' ? { type, uid } : undefined;
}

function queryOf(target: unknown): string | undefined {
  for (const key of ['expr', 'query']) {
    const value = field(target, key);
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** Reads every dashboard JSON file of a folder. */
export function loadDashboards(dir: string): DashboardFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = join(dir, name);
      const raw = record(JSON.parse(readFileSync(file, 'utf8')));
      const uid = String(raw.uid);
      const panels: DashboardPanel[] = list(raw.panels).map((item) => {
        const panel = record(item);
        const grid = record(panel.gridPos);
        return {
          id: Number(panel.id),
          type: String(panel.type),
          title: String(panel.title ?? ''),
          gridPos: { x: Number(grid.x), y: Number(grid.y), w: Number(grid.w), h: Number(grid.h) },
          raw: panel,
        };
      });
      const queries: DashboardQuery[] = [];
      const links: string[] = [];
      for (const panel of panels) {
        const panelDatasource = datasourceOf(panel.raw.datasource);
        for (const target of list(panel.raw.targets)) {
          const query = queryOf(target);
          if (query === undefined) continue;
          queries.push({
            dashboard: uid,
            where: `panel "${panel.title}"`,
            datasource: datasourceOf(field(target, 'datasource')) ?? panelDatasource,
            query,
            kind: 'panel',
            exemplar: field(target, 'exemplar') === true,
          });
        }
        for (const link of list(panel.raw.links)) {
          const url = field(link, 'url');
          if (typeof url === 'string') links.push(url);
        }
      }
      for (const variable of list(field(raw.templating, 'list'))) {
        const query = field(variable, 'query');
        if (field(variable, 'type') !== 'query' || typeof query !== 'string') continue;
        queries.push({
          dashboard: uid,
          where: `variable $${String(field(variable, 'name'))}`,
          datasource: datasourceOf(field(variable, 'datasource')),
          query,
          kind: 'variable',
          exemplar: false,
        });
      }
      for (const annotation of list(field(raw.annotations, 'list'))) {
        const query = field(annotation, 'expr');
        if (typeof query !== 'string') continue;
        queries.push({
          dashboard: uid,
          where: `annotation "${String(field(annotation, 'name'))}"`,
          datasource: datasourceOf(field(annotation, 'datasource')),
          query,
          kind: 'annotation',
          exemplar: false,
        });
      }
      for (const link of list(raw.links)) {
        const url = field(link, 'url');
        if (typeof url === 'string' && url !== '') links.push(url);
      }
      return { file, uid, title: String(raw.title), raw, panels, queries, links };
    });
}

/**
 * The PromQL inside a Grafana Prometheus variable query: `label_values(<selector>, <label>)` yields its selector
 * and label, `query_result(<expr>)` its expression, anything else is PromQL already.
 */
export function promQlOfVariableQuery(query: string): { expr: string; label?: string } {
  const labelValues = /^\s*label_values\(\s*(.*?)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/s.exec(query);
  if (labelValues) return { expr: labelValues[1] ?? '', label: labelValues[2] ?? '' };
  const queryResult = /^\s*query_result\((.*)\)\s*$/s.exec(query);
  if (queryResult) return { expr: queryResult[1] ?? '' };
  return { expr: query };
}
