// @ts-check
import { ENV, dashboard, prom, redAbove, sel, table, timeseries } from './grafana.mjs';

/** The gateway (shards, heartbeat latency, events) and the REST API (requests, errors, 429s, latency). */
export default dashboard({
  uid: 'metronome-discord',
  title: 'Metronome / Discord gateway & REST',
  description: 'Shards and their latency, gateway events, REST requests by route and status, rate limits.',
  rows: [
    {
      title: 'Gateway',
      panels: [
        table(
          'Shard status',
          [
            prom(`max by (shard_id, status) (${sel('metronome_discord_shard_status_ratio')}) == 1`, {
              instant: true,
              format: 'table',
            }),
          ],
          { w: 8, h: 8, excludeColumns: ['Time', 'Value'], description: 'The status each shard is in now.' },
        ),
        timeseries(
          'Shards not ready',
          [
            prom(`max by (shard_id) (${sel('metronome_discord_shard_status_ratio', 'status="ready"')}) == 0`, {
              legend: 'shard {{shard_id}}',
            }),
          ],
          { w: 8, unit: 'short', drawStyle: 'points' },
        ),
        timeseries(
          'Heartbeat latency',
          [
            prom(`max by (shard_id) (${sel('metronome_discord_shard_latency_seconds')})`, {
              legend: 'shard {{shard_id}}',
            }),
          ],
          {
            w: 8,
            unit: 's',
            thresholds: redAbove(0.5),
          },
        ),
        timeseries(
          'Shard transitions',
          [
            prom(`sum by (event) (increase(${sel('metronome_discord_shard_transitions_total')}[$__rate_interval]))`, {
              legend: '{{event}}',
            }),
          ],
          { w: 8, unit: 'short', drawStyle: 'bars' },
        ),
        timeseries(
          'Gateway events (top 10 types)',
          [
            prom(`topk(10, sum by (type) (rate(${sel('metronome_discord_gateway_events_total')}[$__rate_interval])))`, {
              legend: '{{type}}',
            }),
          ],
          { w: 8, unit: 'ops' },
        ),
        timeseries(
          'Guilds per shard',
          [prom(`sum by (shard_id) (${sel('metronome_discord_guilds')})`, { legend: 'shard {{shard_id}}' })],
          { w: 8, unit: 'short' },
        ),
      ],
    },
    {
      title: 'REST',
      panels: [
        timeseries(
          'Requests by status',
          [
            prom(`sum by (status_code) (metronome:discord_rest_requests:rate5m{${ENV}})`, {
              legend: '{{status_code}}',
            }),
          ],
          { w: 12, unit: 'reqps', stack: true },
        ),
        timeseries(
          'Server errors and failed requests',
          [prom(`max(metronome:discord_rest_errors:ratio_rate5m{${ENV}})`, { legend: '5xx + no answer' })],
          {
            w: 12,
            unit: 'percentunit',
            thresholds: redAbove(0.05),
          },
        ),
        timeseries(
          'Requests by route (top 10)',
          [
            prom(`topk(10, sum by (route, method) (metronome:discord_rest_requests:rate5m{${ENV}}))`, {
              legend: '{{method}} {{route}}',
            }),
          ],
          { w: 12, unit: 'reqps' },
        ),
        timeseries(
          'p95 latency by route',
          [prom(`metronome:discord_rest_duration_seconds:p95_5m{${ENV}}`, { legend: '{{route}}' })],
          { w: 12, unit: 's' },
        ),
        timeseries(
          'Rate limits (429) by scope',
          [prom(`sum by (scope) (metronome:discord_rest_rate_limits:rate5m{${ENV}})`, { legend: '{{scope}}' })],
          {
            w: 12,
            unit: 'reqps',
            thresholds: redAbove(0.1),
          },
        ),
        timeseries(
          'Rate limits by route',
          [
            prom(`topk(10, sum by (route) (metronome:discord_rest_rate_limits:rate5m{${ENV}}))`, {
              legend: '{{route}}',
            }),
          ],
          { w: 12, unit: 'reqps' },
        ),
        timeseries(
          'Outbound HTTP p95 by server (Discord and Lavalink REST)',
          [
            prom(
              `histogram_quantile(0.95, sum by (le, server_address) (rate(${sel('http_client_request_duration_seconds_bucket', 'service_name="metronome"')}[$__rate_interval])))`,
              { legend: '{{server_address}}' },
            ),
          ],
          { w: 24, unit: 's', description: 'From instrumentation-undici: every outbound request of the bot.' },
        ),
      ],
    },
  ],
});
