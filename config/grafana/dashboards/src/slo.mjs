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
    sloRow({
      title: 'Command availability: 99.5 % of commands do not fail',
      stat: 'Availability (30d)',
      budget: 'Error budget left (30d)',
      burn: 'Availability',
      series: 'metronome:slo_command_errors',
      budgetSeries: 'metronome:slo_command_availability:error_budget_remaining',
      bad: 'Failed commands',
      target: 0.995,
    }),
    sloRow({
      title: 'Command latency: 99 % of commands answered within 1 s',
      stat: 'Within 1 s (30d)',
      budget: 'Latency budget left (30d)',
      burn: 'Latency',
      series: 'metronome:slo_command_latency_errors',
      budgetSeries: 'metronome:slo_command_latency:error_budget_remaining',
      bad: 'Commands slower than 1 s',
      target: 0.99,
    }),
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

/**
 * One SLO's row: compliance over 30 days, the budget left, the burn rate, and the bad-event ratio. Both SLOs share
 * the layout, so they differ only in names, series and target.
 */
function sloRow({ title, stat: statTitle, budget, burn, series, budgetSeries, bad, target }) {
  return {
    title,
    panels: [
      stat(statTitle, [prom(`1 - max(${series}:ratio_rate30d{${ENV}})`)], {
        w: 6,
        h: 6,
        unit: 'percentunit',
        decimals: 3,
        thresholds: [
          { value: null, color: 'red' },
          { value: target, color: 'green' },
        ],
      }),
      gauge(budget, [prom(`min(${budgetSeries}{${ENV}})`)], {
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholds: [
          { value: null, color: 'red' },
          { value: 0.25, color: 'orange' },
          { value: 0.5, color: 'green' },
        ],
      }),
      burnRate(burn, series, Number((1 - target).toFixed(4))),
      timeseries(
        bad,
        [
          prom(`max(${series}:ratio_rate1h{${ENV}})`, { legend: '1h' }),
          prom(`max(${series}:ratio_rate1d{${ENV}})`, { legend: '1d' }),
        ],
        {
          w: 24,
          unit: 'percentunit',
          thresholds: [
            { value: null, color: 'green' },
            { value: Number((1 - target).toFixed(4)), color: 'red' },
          ],
        },
      ),
    ],
  };
}
