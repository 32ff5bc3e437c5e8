// @ts-check
import { alertAnnotation, dashboard, ENV, gauge, prom, stat, table, timeseries } from './grafana.mjs';

/** Burn-rate thresholds of the alerts in config/prometheus/rules/metronome-slo.yml, drawn on the burn graphs. */
const burnThresholds = [
  { value: null, color: 'green' },
  { value: 1, color: 'yellow' },
  { value: 6, color: 'orange' },
  { value: 14.4, color: 'red' },
];

/**
 * @param {string} slo
 * @param {string} series recorded error-ratio prefix
 * @param {number} budget 1 - objective
 */
function burnRate(slo, series, budget) {
  return timeseries(
    `${slo}: burn rate`,
    ['5m', '1h', '6h', '3d'].map((window) =>
      prom(`max(${series}:ratio_rate${window}{${ENV}}) / ${budget}`, { legend: window }),
    ),
    {
      w: 12,
      unit: 'x',
      thresholds: burnThresholds,
      description:
        'How many times faster than sustainable the error budget burns. Pages at 14.4 (1h and 5m) or 6 (6h and 30m), tickets at 1 (3d and 6h).',
    },
  );
}

export default dashboard({
  uid: 'metronome-slo',
  title: 'Metronome / SLOs',
  description:
    'Command availability (99.5 %) and latency (99 % within 1 s) over 30 days: compliance, budget left, burn rates. See docs/slo.md.',
  time: 'now-7d',
  annotations: [alertAnnotation],
  rows: [
    {
      title: 'Command availability: 99.5 % of commands do not fail',
      panels: [
        stat('Availability (30d)', [prom(`1 - max(metronome:slo_command_errors:ratio_rate30d{${ENV}})`)], {
          w: 6,
          h: 6,
          unit: 'percentunit',
          decimals: 3,
          thresholds: [
            { value: null, color: 'red' },
            { value: 0.995, color: 'green' },
          ],
        }),
        gauge(
          'Error budget left (30d)',
          [prom(`min(metronome:slo_command_availability:error_budget_remaining{${ENV}})`)],
          {
            unit: 'percentunit',
            min: 0,
            max: 1,
            thresholds: [
              { value: null, color: 'red' },
              { value: 0.25, color: 'orange' },
              { value: 0.5, color: 'green' },
            ],
          },
        ),
        burnRate('Availability', 'metronome:slo_command_errors', 0.005),
        timeseries(
          'Failed commands',
          [
            prom(`max(metronome:slo_command_errors:ratio_rate1h{${ENV}})`, { legend: '1h' }),
            prom(`max(metronome:slo_command_errors:ratio_rate1d{${ENV}})`, { legend: '1d' }),
          ],
          {
            w: 24,
            unit: 'percentunit',
            thresholds: [
              { value: null, color: 'green' },
              { value: 0.005, color: 'red' },
            ],
          },
        ),
      ],
    },
    {
      title: 'Command latency: 99 % of commands answered within 1 s',
      panels: [
        stat('Within 1 s (30d)', [prom(`1 - max(metronome:slo_command_latency_errors:ratio_rate30d{${ENV}})`)], {
          w: 6,
          h: 6,
          unit: 'percentunit',
          decimals: 3,
          thresholds: [
            { value: null, color: 'red' },
            { value: 0.99, color: 'green' },
          ],
        }),
        gauge(
          'Latency budget left (30d)',
          [prom(`min(metronome:slo_command_latency:error_budget_remaining{${ENV}})`)],
          {
            unit: 'percentunit',
            min: 0,
            max: 1,
            thresholds: [
              { value: null, color: 'red' },
              { value: 0.25, color: 'orange' },
              { value: 0.5, color: 'green' },
            ],
          },
        ),
        burnRate('Latency', 'metronome:slo_command_latency_errors', 0.01),
        timeseries(
          'Commands slower than 1 s',
          [
            prom(`max(metronome:slo_command_latency_errors:ratio_rate1h{${ENV}})`, { legend: '1h' }),
            prom(`max(metronome:slo_command_latency_errors:ratio_rate1d{${ENV}})`, { legend: '1d' }),
          ],
          {
            w: 24,
            unit: 'percentunit',
            thresholds: [
              { value: null, color: 'green' },
              { value: 0.01, color: 'red' },
            ],
          },
        ),
      ],
    },
    {
      title: 'Alerts',
      panels: [
        table(
          'SLO alerts firing',
          [
            prom('ALERTS{alertstate="firing", alertname=~"MetronomeCommand.+Burn"}', {
              instant: true,
              format: 'table',
            }),
          ],
          { w: 24, h: 6, excludeColumns: ['Time', 'Value', '__name__', 'alertstate'] },
        ),
      ],
    },
  ],
});
