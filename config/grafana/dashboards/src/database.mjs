// @ts-check
import { ENV, dashboard, prom, redAbove, sel, timeseries, traces } from './grafana.mjs';

/** PostgreSQL as the repositories (metronome.db.*) and the pg driver (db.client.*) see it. */
export default dashboard({
  uid: 'metronome-database',
  title: 'Metronome / Database',
  description:
    'Repository queries by operation and table, their latency and errors, play history rows dropped, and the connection pool.',
  rows: [
    {
      title: 'Queries',
      panels: [
        timeseries(
          'Queries by operation and table',
          [
            prom(`sum by (db_operation_name, db_collection_name) (metronome:db_queries:rate5m{${ENV}})`, {
              legend: '{{db_operation_name}} {{db_collection_name}}',
            }),
          ],
          { w: 12, unit: 'ops' },
        ),
        timeseries(
          'Queries by outcome',
          [prom(`sum by (outcome) (metronome:db_queries:rate5m{${ENV}})`, { legend: '{{outcome}}' })],
          { w: 12, unit: 'ops', stack: true },
        ),
        timeseries(
          'p95 latency',
          [
            prom(`max(metronome:db_query_duration_seconds:p95_5m{${ENV}})`, { legend: 'all queries' }),
            prom(`metronome:db_query_duration_seconds_by_operation:p95_5m{${ENV}}`, {
              legend: '{{db_operation_name}} {{db_collection_name}}',
            }),
          ],
          {
            w: 12,
            unit: 's',
            thresholds: redAbove(0.25),
          },
        ),
        timeseries(
          'Driver p95 by operation (instrumentation-pg)',
          [
            prom(
              `histogram_quantile(0.95, sum by (le, db_operation_name) (rate(${sel('db_client_operation_duration_seconds_bucket', 'service_name="metronome"')}[$__rate_interval])))`,
              { legend: '{{db_operation_name}}' },
            ),
          ],
          { w: 12, unit: 's', description: 'Includes queries outside repositories (migrations, health checks).' },
        ),
      ],
    },
    {
      title: 'Errors',
      panels: [
        timeseries(
          'Error ratio',
          [prom(`max(metronome:db_errors:ratio_rate5m{${ENV}})`, { legend: 'errors / queries' })],
          {
            w: 12,
            unit: 'percentunit',
            thresholds: redAbove(0.05),
          },
        ),
        timeseries(
          'Errors by class',
          [
            prom(`sum by (error_type) (rate(${sel('metronome_db_errors_total')}[$__rate_interval]))`, {
              legend: '{{error_type}}',
            }),
          ],
          { w: 12, unit: 'ops', stack: true },
        ),
        timeseries(
          'Errors by operation and table',
          [
            prom(
              `sum by (db_operation_name, db_collection_name) (rate(${sel('metronome_db_errors_total')}[$__rate_interval]))`,
              { legend: '{{db_operation_name}} {{db_collection_name}}' },
            ),
          ],
          { w: 12, unit: 'ops' },
        ),
        timeseries(
          'Play history rows dropped',
          [
            prom(`sum by (reason) (increase(${sel('metronome_db_history_dropped_total')}[$__rate_interval]))`, {
              legend: '{{reason}}',
            }),
          ],
          {
            w: 12,
            unit: 'short',
            drawStyle: 'bars',
            stack: true,
            description:
              'Plays lost for good: overflow (the buffer filled up while the database could not take them), refused (the database refused their batch). Any drop opens MetronomePlayHistoryDropped.',
          },
        ),
        traces(
          'Slow database spans (> 100 ms)',
          '{resource.service.name="metronome" && kind=client && (span.db.system="postgresql" || span.db.system.name="postgresql") && duration > 100ms}',
          { w: 24 },
        ),
      ],
    },
    {
      title: 'Connection pool',
      panels: [
        timeseries(
          'Connections by state',
          [
            prom(
              `sum by (db_client_connection_state) (${sel('db_client_connection_count', 'service_name="metronome"')})`,
              { legend: '{{db_client_connection_state}}' },
            ),
          ],
          { w: 12, unit: 'short', stack: true },
        ),
        timeseries(
          'Requests waiting for a connection',
          [
            prom(`sum(${sel('db_client_connection_pending_requests', 'service_name="metronome"')})`, {
              legend: 'pending',
            }),
          ],
          { w: 12, unit: 'short' },
        ),
      ],
    },
  ],
});
