// @ts-check
import { ENV, dashboard, envVariable, heatmap, prom, queryVariable, redAbove, sel, timeseries, traces } from './grafana.mjs';

const COMMAND = 'command=~"$command"';

/** Every slash command: traffic, outcomes, latency, and the retries and automations behind them. */
export default dashboard({
  uid: 'metronome-commands',
  title: 'Metronome / Commands',
  description: 'Slash commands by name and outcome, their latency with exemplars, retries and automatic actions.',
  variables: [
    envVariable,
    queryVariable('command', 'Command', `label_values(metronome_command_duration_seconds_count{${ENV}}, command)`),
  ],
  rows: [
    {
      title: 'Traffic and outcomes',
      panels: [
        timeseries(
          'Commands by command',
          [prom(`sum by (command) (metronome:command_requests:rate5m{${ENV}, ${COMMAND}})`, { legend: '{{command}}' })],
          { w: 12, unit: 'reqps' },
        ),
        timeseries(
          'Outcomes',
          [
            prom(`sum by (outcome) (metronome:command_requests:rate5m{${ENV}, ${COMMAND}})`, {
              legend: '{{outcome}}',
            }),
          ],
          { w: 12, unit: 'reqps', stack: true },
        ),
        timeseries(
          'Failure ratio by command',
          [
            prom(
              `sum by (command) (metronome:command_requests:rate5m{${ENV}, ${COMMAND}, outcome="error"}) / sum by (command) (metronome:command_requests:rate5m{${ENV}, ${COMMAND}})`,
              { legend: '{{command}}' },
            ),
          ],
          {
            w: 12,
            unit: 'percentunit',
            thresholds: redAbove(0.005),
          },
        ),
        timeseries(
          'User errors and throttling by command',
          [
            prom(
              `sum by (command, outcome) (metronome:command_requests:rate5m{${ENV}, ${COMMAND}, outcome=~"user_error|throttled"})`,
              { legend: '{{command}} {{outcome}}' },
            ),
          ],
          { w: 12, unit: 'reqps', description: 'Expected answers (bad input, nothing playing, too many commands).' },
        ),
      ],
    },
    {
      title: 'Latency',
      panels: [
        timeseries(
          'p95 by command',
          [
            prom(`metronome:command_duration_seconds_by_command:p95_5m{${ENV}, ${COMMAND}}`, {
              legend: '{{command}}',
            }),
          ],
          {
            w: 12,
            unit: 's',
            thresholds: redAbove(1),
          },
        ),
        timeseries(
          'p50 / p99 by command',
          [
            prom(`metronome:command_duration_seconds_by_command:p50_5m{${ENV}, ${COMMAND}}`, {
              legend: 'p50 {{command}}',
            }),
            prom(`metronome:command_duration_seconds_by_command:p99_5m{${ENV}, ${COMMAND}}`, {
              legend: 'p99 {{command}}',
            }),
          ],
          { w: 12, unit: 's' },
        ),
        heatmap(
          'Latency distribution',
          [
            prom(`sum by (le) (rate(${sel('metronome_command_duration_seconds_bucket', COMMAND)}[$__rate_interval]))`, {
              format: 'heatmap',
              legend: '{{le}}',
            }),
          ],
          { w: 12, h: 9 },
        ),
        timeseries(
          'p95 from traces, with exemplars',
          [
            prom(
              `histogram_quantile(0.95, sum by (le, span_name) (rate(${sel('traces_span_metrics_duration_seconds_bucket', 'service_name="metronome", span_name=~"command .+"')}[$__rate_interval])))`,
              { legend: '{{span_name}}', exemplar: true },
            ),
          ],
          {
            w: 12,
            h: 9,
            unit: 's',
            description: 'Computed by the collector from every span; each exemplar dot opens its trace in Tempo.',
          },
        ),
        traces('Slow commands (> 1 s)', '{resource.service.name="metronome" && name=~"command .*" && duration > 1s}', {
          w: 12,
          h: 9,
        }),
        traces(
          'Failed commands',
          '{resource.service.name="metronome" && name=~"command .*" && span.metronome.outcome="error"}',
          { w: 12, h: 9 },
        ),
      ],
    },
    {
      title: 'Retries and automation',
      panels: [
        timeseries(
          'Retry attempts',
          [
            prom(`sum by (operation, outcome) (rate(${sel('metronome_retry_attempts_total')}[$__rate_interval]))`, {
              legend: '{{operation}} {{outcome}}',
            }),
          ],
          { w: 12, unit: 'ops', description: 'exhausted = the operation failed after its last attempt.' },
        ),
        timeseries(
          'Automatic actions',
          [
            prom(`sum by (action, outcome) (rate(${sel('metronome_automation_actions_total')}[$__rate_interval]))`, {
              legend: '{{action}} {{outcome}}',
            }),
          ],
          { w: 12, unit: 'ops' },
        ),
      ],
    },
  ],
});
