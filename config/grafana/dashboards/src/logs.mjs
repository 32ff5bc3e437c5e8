// @ts-check
import { customVariable, dashboard, envVariable, logs, loki, textboxVariable, timeseries, traces } from './grafana.mjs';

/**
 * The bot's OTLP logs in Loki. Loki keeps service_name as a stream label; the log record's attributes
 * (`logger`, `trace_id`, `span_id`) and severity_text are structured metadata, which LogQL filters like labels.
 * The Loki datasource's derived field turns every trace_id into a link to the trace in Tempo.
 */
const STREAM = '{service_name="metronome"}';
const FILTERS = '| deployment_environment_name=~"$env" | severity_text=~"(?i)$level" | logger=~"$logger"';

export default dashboard({
  uid: 'metronome-logs',
  title: 'Metronome / Logs',
  description:
    'Logs by level and logger; each line with a trace_id links to its trace, and the trace back to its logs.',
  time: 'now-1h',
  variables: [
    envVariable,
    customVariable('level', 'Level', ['fatal', 'error', 'warn', 'info', 'debug', 'trace']),
    textboxVariable('logger', 'Logger (regex)', '.*'),
    textboxVariable('search', 'Line contains', ''),
  ],
  rows: [
    {
      title: 'Volume',
      panels: [
        timeseries(
          'Log lines by level',
          [
            loki(`sum by (severity_text) (count_over_time(${STREAM} ${FILTERS} [$__auto]))`, {
              legend: '{{severity_text}}',
            }),
          ],
          {
            w: 12,
            unit: 'short',
            stack: true,
            drawStyle: 'bars',
            overrides: [
              {
                matcher: { id: 'byRegexp', options: '(?i)error|fatal' },
                properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }],
              },
              {
                matcher: { id: 'byRegexp', options: '(?i)warn' },
                properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: 'orange' } }],
              },
            ],
          },
        ),
        timeseries(
          'Log lines by logger',
          [loki(`sum by (logger) (count_over_time(${STREAM} ${FILTERS} [$__auto]))`, { legend: '{{logger}}' })],
          { w: 12, unit: 'short', stack: true, drawStyle: 'bars' },
        ),
        timeseries(
          'Errors by logger',
          [
            loki(
              `sum by (logger) (count_over_time(${STREAM} | deployment_environment_name=~"$env" | severity_text=~"(?i)error|fatal" | logger=~"$logger" [$__auto]))`,
              { legend: '{{logger}}' },
            ),
          ],
          { w: 12, unit: 'short', drawStyle: 'bars' },
        ),
        traces('Traces with errors', '{resource.service.name="metronome" && status=error}', { w: 12 }),
      ],
    },
    {
      title: 'Lines',
      panels: [logs('Logs', [loki(`${STREAM} ${FILTERS} |= "$search"`)], { h: 18 })],
    },
  ],
});
