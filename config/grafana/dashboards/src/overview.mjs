// @ts-check
import { ENV, alertAnnotation, dashboard, dashboardLink, prom, redAbove, sel, stat, table, timeseries } from './grafana.mjs';

/** The first dashboard on-call opens: is the bot answering, how fast, for how many people. */
export default dashboard({
  uid: 'metronome-overview',
  title: 'Metronome / Overview',
  description:
    'Commands per second, failures, latency (with exemplars that open the trace), players and guilds. Start here.',
  annotations: [alertAnnotation],
  rows: [
    {
      title: 'Right now',
      panels: [
        stat('Commands / s', [prom(`sum(metronome:command_requests:rate5m{${ENV}})`)], {
          unit: 'reqps',
          links: [dashboardLink('Commands', 'metronome-commands')],
        }),
        stat('Failed commands (5m)', [prom(`max(metronome:slo_command_errors:ratio_rate5m{${ENV}})`)], {
          unit: 'percentunit',
          decimals: 2,
          thresholds: [
            { value: null, color: 'green' },
            { value: 0.005, color: 'orange' },
            { value: 0.072, color: 'red' },
          ],
          links: [dashboardLink('SLOs', 'metronome-slo')],
        }),
        stat('p95 latency (5m)', [prom(`max(metronome:command_duration_seconds:p95_5m{${ENV}})`)], {
          unit: 's',
          thresholds: [
            { value: null, color: 'green' },
            { value: 1, color: 'orange' },
            { value: 3, color: 'red' },
          ],
        }),
        stat('Playing players', [prom(`sum(${sel('metronome_player_count', 'state="playing"')})`)], {
          links: [dashboardLink('Music & Lavalink', 'metronome-music')],
        }),
        stat('Guilds', [prom(`sum(${sel('metronome_discord_guilds')})`)], {
          links: [dashboardLink('Discord', 'metronome-discord')],
        }),
        stat(
          'Shards ready',
          [
            prom(
              `sum(max by (shard_id) (${sel('metronome_discord_shard_status_ratio', 'status="ready"')})) / count(max by (shard_id) (${sel('metronome_discord_shard_status_ratio', 'status="ready"')}))`,
            ),
          ],
          {
            unit: 'percentunit',
            thresholds: [
              { value: null, color: 'red' },
              { value: 1, color: 'green' },
            ],
            links: [dashboardLink('Discord', 'metronome-discord')],
          },
        ),
      ],
    },
    {
      title: 'Commands',
      panels: [
        timeseries(
          'Commands by outcome',
          [prom(`sum by (outcome) (metronome:command_requests:rate5m{${ENV}})`, { legend: '{{outcome}}' })],
          {
            w: 12,
            unit: 'reqps',
            stack: true,
            description: 'error counts against the availability SLO; user_error and throttled are answers.',
            links: [dashboardLink('Commands', 'metronome-commands')],
          },
        ),
        timeseries(
          'Latency percentiles',
          [
            prom(`max(metronome:command_duration_seconds:p50_5m{${ENV}})`, { legend: 'p50' }),
            prom(`max(metronome:command_duration_seconds:p95_5m{${ENV}})`, { legend: 'p95' }),
            prom(`max(metronome:command_duration_seconds:p99_5m{${ENV}})`, { legend: 'p99' }),
            prom(
              `histogram_quantile(0.95, sum by (le) (rate(${sel('traces_span_metrics_duration_seconds_bucket', 'service_name="metronome", span_name=~"command .+"')}[$__rate_interval])))`,
              { legend: 'p95 from traces (exemplars)', exemplar: true },
            ),
          ],
          {
            w: 12,
            unit: 's',
            description:
              "Percentiles of metronome.command.duration. The dots are exemplars from the span metrics: click one to open that command's trace.",
            thresholds: redAbove(1),
          },
        ),
        timeseries(
          'Failed commands by command',
          [
            prom(`sum by (command) (metronome:command_requests:rate5m{${ENV}, outcome="error"})`, {
              legend: '{{command}}',
            }),
          ],
          { w: 12, unit: 'reqps' },
        ),
        table(
          'Firing alerts',
          [
            prom('sum by (alertname, severity) (ALERTS{alertstate="firing", alertname=~"Metronome.+"})', {
              instant: true,
              format: 'table',
            }),
          ],
          { w: 12, excludeColumns: ['Time', 'Value'] },
        ),
      ],
    },
    {
      title: 'Music',
      panels: [
        timeseries(
          'Players by state',
          [prom(`sum by (state) (${sel('metronome_player_count')})`, { legend: '{{state}}' })],
          { unit: 'short', stack: true, links: [dashboardLink('Music & Lavalink', 'metronome-music')] },
        ),
        timeseries(
          'Voice connections and queued tracks',
          [
            prom(`sum(${sel('metronome_voice_connections')})`, { legend: 'voice connections' }),
            prom(`sum(${sel('metronome_queue_tracks')})`, { legend: 'queued tracks' }),
          ],
          { unit: 'short' },
        ),
        timeseries(
          'Guilds and active users',
          [
            prom(`sum(${sel('metronome_discord_guilds')})`, { legend: 'guilds' }),
            prom(`max by (window) (${sel('metronome_users_active')})`, { legend: 'users active ({{window}})' }),
          ],
          { unit: 'short' },
        ),
      ],
    },
  ],
});
