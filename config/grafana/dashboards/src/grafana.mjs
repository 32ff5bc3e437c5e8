// @ts-check
/**
 * A small builder for Grafana dashboard JSON: the single source of truth of config/grafana/dashboards/*.json.
 * Plain JavaScript so `node config/grafana/dashboards/src/build.mjs` regenerates the committed JSON with nothing
 * but Node; test/stack/dashboards.test.ts runs it with --check and fails on drift.
 *
 * Datasources are referenced by the fixed uids provisioned in config/grafana/provisioning/datasources.
 */

export const Datasources = Object.freeze({
  prometheus: Object.freeze({ type: 'prometheus', uid: 'prometheus' }),
  loki: Object.freeze({ type: 'loki', uid: 'loki' }),
  tempo: Object.freeze({ type: 'tempo', uid: 'tempo' }),
});

/** The label filter every Metronome series gets: the environment chosen in the dashboard's `env` variable. */
export const ENV = 'deployment_environment_name=~"$env"';

/**
 * A selector of `metric` for the chosen environment, plus optional matchers.
 * @param {string} metric
 * @param {string} [matchers]
 */
export function sel(metric, matchers) {
  return `${metric}{${ENV}${matchers ? `, ${matchers}` : ''}}`;
}

/**
 * @typedef {{ legend?: string, exemplar?: boolean, instant?: boolean, format?: 'time_series' | 'table' | 'heatmap', interval?: string }} PromOptions
 * @param {string} expr
 * @param {PromOptions} [options]
 */
export function prom(expr, options = {}) {
  return {
    datasource: Datasources.prometheus,
    expr,
    legendFormat: options.legend ?? '__auto',
    range: !options.instant,
    instant: options.instant === true,
    exemplar: options.exemplar === true,
    ...(options.format ? { format: options.format } : {}),
    ...(options.interval ? { interval: options.interval } : {}),
  };
}

/**
 * @param {string} expr LogQL
 * @param {{ legend?: string, queryType?: 'range' | 'instant' }} [options]
 */
export function loki(expr, options = {}) {
  return {
    datasource: Datasources.loki,
    expr,
    queryType: options.queryType ?? 'range',
    ...(options.legend ? { legendFormat: options.legend } : {}),
  };
}

/**
 * A TraceQL search listing matching traces.
 * @param {string} query
 * @param {number} [limit]
 */
export function traceql(query, limit = 20) {
  return { datasource: Datasources.tempo, queryType: 'traceql', query, limit, tableType: 'traces' };
}

/**
 * @typedef {{ title: string, url: string }} PanelLink
 * @typedef {{
 *   w?: number, h?: number, unit?: string, description?: string, min?: number, max?: number,
 *   stack?: boolean, thresholds?: Array<{ value: number | null, color: string }>, links?: PanelLink[],
 *   decimals?: number, mappings?: object[], legendCalcs?: string[], drawStyle?: 'line' | 'bars' | 'points',
 *   overrides?: object[], colorMode?: 'value' | 'background' | 'none'
 * }} PanelOptions
 */

/**
 * @param {PanelOptions} options
 */
function fieldDefaults(options) {
  return {
    ...(options.unit ? { unit: options.unit } : {}),
    ...(options.min !== undefined ? { min: options.min } : {}),
    ...(options.max !== undefined ? { max: options.max } : {}),
    ...(options.decimals !== undefined ? { decimals: options.decimals } : {}),
    ...(options.mappings ? { mappings: options.mappings } : {}),
    thresholds: {
      mode: 'absolute',
      steps: options.thresholds ?? [{ value: null, color: 'green' }],
    },
    color: { mode: options.thresholds ? 'thresholds' : 'palette-classic' },
  };
}

/**
 * @param {string} type
 * @param {string} title
 * @param {object[]} targets
 * @param {PanelOptions} options
 * @param {object} extra
 */
function panel(type, title, targets, options, extra) {
  const datasource = /** @type {{ datasource?: object }} */ (targets[0])?.datasource ?? Datasources.prometheus;
  return {
    type,
    title,
    ...(options.description ? { description: options.description } : {}),
    datasource,
    targets: targets.map((target, index) => ({ refId: String.fromCharCode(65 + index), ...target })),
    ...(options.links ? { links: options.links } : {}),
    gridPos: { w: options.w ?? 8, h: options.h ?? 8, x: 0, y: 0 },
    ...extra,
  };
}

/**
 * @param {string} title
 * @param {object[]} targets
 * @param {PanelOptions} [options]
 */
/** Thresholds for a panel where higher is worse: green, then red from `limit`. */
export function redAbove(limit) {
  return [
    { value: null, color: 'green' },
    { value: limit, color: 'red' },
  ];
}

export function timeseries(title, targets, options = {}) {
  return panel('timeseries', title, targets, options, {
    fieldConfig: {
      defaults: {
        ...fieldDefaults(options),
        custom: {
          drawStyle: options.drawStyle ?? 'line',
          lineWidth: 1,
          fillOpacity: options.stack ? 60 : 10,
          showPoints: 'never',
          spanNulls: false,
          stacking: { mode: options.stack ? 'normal' : 'none', group: 'A' },
          thresholdsStyle: { mode: options.thresholds ? 'dashed' : 'off' },
        },
      },
      overrides: options.overrides ?? [],
    },
    options: {
      legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: options.legendCalcs ?? [] },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
  });
}

/**
 * @param {string} title
 * @param {object[]} targets
 * @param {PanelOptions} [options]
 */
export function stat(title, targets, options = {}) {
  return panel(
    'stat',
    title,
    targets,
    { w: 4, h: 4, ...options },
    {
      fieldConfig: { defaults: fieldDefaults(options), overrides: options.overrides ?? [] },
      options: {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: options.colorMode ?? 'value',
        graphMode: 'area',
        textMode: 'auto',
        justifyMode: 'auto',
        orientation: 'auto',
      },
    },
  );
}

/**
 * @param {string} title
 * @param {object[]} targets
 * @param {PanelOptions} [options]
 */
export function gauge(title, targets, options = {}) {
  return panel(
    'gauge',
    title,
    targets,
    { w: 6, h: 6, ...options },
    {
      fieldConfig: { defaults: fieldDefaults(options), overrides: options.overrides ?? [] },
      options: {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        showThresholdLabels: false,
        showThresholdMarkers: true,
      },
    },
  );
}

/**
 * An instant table of series (one row per label set).
 * @param {string} title
 * @param {object[]} targets
 * @param {PanelOptions & { excludeColumns?: string[] }} [options]
 */
export function table(title, targets, options = {}) {
  const excluded = Object.fromEntries((options.excludeColumns ?? ['Time']).map((column) => [column, true]));
  return panel(
    'table',
    title,
    targets,
    { w: 12, ...options },
    {
      fieldConfig: { defaults: fieldDefaults(options), overrides: options.overrides ?? [] },
      options: { showHeader: true, cellHeight: 'sm', footer: { show: false, reducer: ['sum'], fields: '' } },
      transformations: [{ id: 'organize', options: { excludeByName: excluded, renameByName: {} } }],
    },
  );
}

/**
 * A heatmap of pre-bucketed histogram rates (format heatmap, le buckets).
 * @param {string} title
 * @param {object[]} targets
 * @param {PanelOptions} [options]
 */
export function heatmap(title, targets, options = {}) {
  return panel(
    'heatmap',
    title,
    targets,
    { w: 12, ...options },
    {
      options: {
        calculate: false,
        cellGap: 1,
        color: { mode: 'scheme', scheme: 'Oranges', steps: 64, exponent: 0.5, fill: 'dark-orange', reverse: false },
        yAxis: { axisPlacement: 'left', unit: options.unit ?? 's' },
        rowsFrame: { layout: 'auto' },
        tooltip: { mode: 'single', yHistogram: true },
        exemplars: { color: 'rgba(255,0,255,0.7)' },
        legend: { show: true },
      },
    },
  );
}

/**
 * @param {string} title
 * @param {object[]} targets
 * @param {PanelOptions} [options]
 */
export function logs(title, targets, options = {}) {
  return panel(
    'logs',
    title,
    targets,
    { w: 24, h: 14, ...options },
    {
      options: {
        showTime: true,
        showLabels: false,
        showCommonLabels: false,
        wrapLogMessage: true,
        prettifyLogMessage: false,
        enableLogDetails: true,
        enableInfiniteScrolling: true,
        dedupStrategy: 'none',
        sortOrder: 'Descending',
      },
    },
  );
}

/**
 * A list of traces from a TraceQL search; each trace id opens the trace, and from its spans the logs.
 * @param {string} title
 * @param {string} query
 * @param {PanelOptions} [options]
 */
export function traces(title, query, options = {}) {
  return panel(
    'table',
    title,
    [traceql(query)],
    { w: 12, ...options },
    {
      fieldConfig: { defaults: {}, overrides: [] },
      options: { showHeader: true, cellHeight: 'sm' },
    },
  );
}

/**
 * @param {string} title
 * @param {string} content Markdown
 * @param {PanelOptions} [options]
 */
export function text(title, content, options = {}) {
  return {
    type: 'text',
    title,
    gridPos: { w: options.w ?? 24, h: options.h ?? 3, x: 0, y: 0 },
    options: { mode: 'markdown', content },
  };
}

/**
 * A Prometheus label-values variable.
 * @param {string} name
 * @param {string} label
 * @param {string} query `label_values(<selector>, <label>)`
 * @param {{ multi?: boolean, includeAll?: boolean }} [options]
 */
export function queryVariable(name, label, query, options = {}) {
  return {
    name,
    label,
    type: 'query',
    datasource: Datasources.prometheus,
    query,
    definition: query,
    refresh: 2,
    sort: 1,
    multi: options.multi ?? true,
    includeAll: options.includeAll ?? true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    hide: 0,
  };
}

/**
 * @param {string} name
 * @param {string} label
 * @param {string[]} values
 */
export function customVariable(name, label, values) {
  return {
    name,
    label,
    type: 'custom',
    query: values.join(','),
    multi: true,
    includeAll: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    options: [],
    hide: 0,
  };
}

/**
 * @param {string} name
 * @param {string} label
 * @param {string} value
 */
export function textboxVariable(name, label, value) {
  return { name, label, type: 'textbox', query: value, current: { text: value, value }, hide: 0 };
}

/** The environment picker every dashboard starts with. */
export const envVariable = queryVariable(
  'env',
  'Environment',
  'label_values(target_info{job=~"(.+/)?metronome"}, deployment_environment_name)',
);

/**
 * A link to another Metronome dashboard that keeps the time range and the variables.
 * @param {string} title
 * @param {string} uid
 * @returns {PanelLink}
 */
export function dashboardLink(title, uid) {
  return { title, url: `/d/${uid}?\${__url_time_range}&\${__all_variables}` };
}

/**
 * @typedef {{ title: string, collapsed?: boolean, panels: object[] }} Row
 * @param {{
 *   uid: string, title: string, description: string, tags?: string[], variables?: object[],
 *   rows: Row[], annotations?: object[], time?: string
 * }} spec
 */
export function dashboard(spec) {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['metronome', ...(spec.tags ?? [])],
    editable: false,
    graphTooltip: 1,
    timezone: 'browser',
    refresh: '30s',
    time: { from: spec.time ?? 'now-6h', to: 'now' },
    timepicker: {},
    fiscalYearStartMonth: 0,
    liveNow: false,
    schemaVersion: 41,
    version: 1,
    links: [
      {
        type: 'dashboards',
        title: 'Metronome',
        tags: ['metronome'],
        asDropdown: true,
        includeVars: true,
        keepTime: true,
        icon: 'external link',
        targetBlank: false,
        tooltip: '',
        url: '',
      },
    ],
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
        ...(spec.annotations ?? []),
      ],
    },
    templating: { list: spec.variables ?? [envVariable] },
    panels: layout(spec.rows),
  };
}

/**
 * Flows panels left to right on Grafana's 24-column grid, one row panel before each group, and numbers them.
 * @param {Row[]} rows
 */
function layout(rows) {
  /** @type {object[]} */
  const out = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    out.push({
      type: 'row',
      title: row.title,
      id: id++,
      collapsed: row.collapsed ?? false,
      gridPos: { h: 1, w: 24, x: 0, y },
      panels: [],
    });
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const item of row.panels) {
      const placed = /** @type {{ gridPos: { w: number, h: number, x: number, y: number } }} */ (structuredClone(item));
      const { w, h } = placed.gridPos;
      if (x + w > 24) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      placed.gridPos = { h, w, x, y };
      out.push({ id: id++, ...placed });
      x += w;
      lineHeight = Math.max(lineHeight, h);
    }
    y += lineHeight;
  }
  return out;
}

/**
 * A Prometheus annotation that marks when Metronome alerts fired.
 */
export const alertAnnotation = {
  name: 'Metronome alerts',
  datasource: Datasources.prometheus,
  enable: true,
  hide: false,
  iconColor: 'red',
  expr: 'ALERTS{alertstate="firing", alertname=~"Metronome.+"}',
  step: '60s',
  titleFormat: '{{alertname}}',
  tagKeys: 'severity',
  useValueForTime: false,
};
