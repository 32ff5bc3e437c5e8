// @ts-check
import { ENV, dashboard, envVariable, prom, queryVariable, redAbove, sel, stat, timeseries } from './grafana.mjs';

const NODE = 'lavalink_node=~"$node"';

/** Players, tracks and the Lavalink nodes that play them: the bot's view and Lavalink's own. */
export default dashboard({
  uid: 'metronome-music',
  title: 'Metronome / Music & Lavalink',
  description: 'Players, queues, track loads and events, and the Lavalink nodes: connection, load, frames, failovers.',
  variables: [
    envVariable,
    queryVariable('node', 'Lavalink node', `label_values(metronome_lavalink_node_up_ratio{${ENV}}, lavalink_node)`),
  ],
  rows: [
    {
      title: 'Nodes',
      panels: [
        stat(
          'Nodes connected',
          [prom(`sum(max by (lavalink_node) (${sel('metronome_lavalink_node_up_ratio', NODE)}))`)],
          {
            thresholds: [
              { value: null, color: 'red' },
              { value: 1, color: 'green' },
            ],
          },
        ),
        stat('Nodes known', [prom(`count(max by (lavalink_node) (${sel('metronome_lavalink_node_up_ratio', NODE)}))`)]),
        stat('Lavalink scrape', [prom('min(up{job="lavalink"})')], {
          description: "Prometheus' own scrape of Lavalink's /metrics.",
          mappings: [
            { type: 'value', options: { 0: { text: 'DOWN', color: 'red' }, 1: { text: 'UP', color: 'green' } } },
          ],
          colorMode: 'background',
        }),
        timeseries(
          'Node connection (bot view)',
          [
            prom(`max by (lavalink_node) (${sel('metronome_lavalink_node_up_ratio', NODE)})`, {
              legend: '{{lavalink_node}}',
            }),
          ],
          { w: 12, h: 4, min: 0, max: 1, drawStyle: 'line' },
        ),
      ],
    },
    {
      title: 'Players and tracks',
      panels: [
        timeseries(
          'Players by node and state (bot)',
          [
            prom(`sum by (lavalink_node, state) (${sel('metronome_player_count', NODE)})`, {
              legend: '{{lavalink_node}} {{state}}',
            }),
          ],
          { unit: 'short' },
        ),
        timeseries(
          'Players by node (Lavalink stats)',
          [
            prom(`max by (lavalink_node, state) (${sel('metronome_lavalink_node_players', NODE)})`, {
              legend: '{{lavalink_node}} {{state}}',
            }),
            prom('sum(lavalink_playing_players_total{job="lavalink"})', { legend: 'playing (Lavalink /metrics)' }),
          ],
          { unit: 'short' },
        ),
        timeseries(
          'Queued tracks and audio played',
          [
            prom(`sum(${sel('metronome_queue_tracks')})`, { legend: 'queued tracks' }),
            prom(`sum by (source) (rate(${sel('metronome_playback_time_seconds_total')}[$__rate_interval]))`, {
              legend: 'streams playing ({{source}})',
            }),
          ],
          { unit: 'short', description: 'Seconds of audio played per second = streams playing at once.' },
        ),
        timeseries(
          'Track events',
          [prom(`sum by (event) (metronome:track_events:rate5m{${ENV}})`, { legend: '{{event}}' })],
          { unit: 'ops' },
        ),
        timeseries(
          'Track exceptions and stuck tracks by reason',
          [
            prom(
              `sum by (event, reason) (rate(${sel('metronome_track_events_total', 'event=~"exception|stuck"')}[$__rate_interval]))`,
              { legend: '{{event}} {{reason}}' },
            ),
          ],
          { unit: 'ops' },
        ),
        timeseries(
          'Voice connection attempts',
          [
            prom(`sum by (outcome) (rate(${sel('metronome_voice_connection_attempts_total')}[$__rate_interval]))`, {
              legend: '{{outcome}}',
            }),
          ],
          { unit: 'ops' },
        ),
        timeseries(
          'Track load p95 by source',
          [prom(`metronome:track_load_duration_seconds:p95_5m{${ENV}}`, { legend: '{{source}}' })],
          { w: 12, unit: 's' },
        ),
        timeseries(
          'Track loads by result',
          [
            prom(`sum by (result) (rate(${sel('metronome_track_load_duration_seconds_count')}[$__rate_interval]))`, {
              legend: '{{result}}',
            }),
          ],
          { w: 12, unit: 'ops', stack: true },
        ),
      ],
    },
    {
      title: 'Node load',
      panels: [
        timeseries(
          'CPU load',
          [
            prom(`max by (lavalink_node, scope) (${sel('metronome_lavalink_node_cpu_load_ratio', NODE)})`, {
              legend: '{{lavalink_node}} {{scope}}',
            }),
          ],
          {
            unit: 'percentunit',
            min: 0,
            max: 1,
            thresholds: redAbove(0.85),
          },
        ),
        timeseries(
          'Audio frames per minute',
          [
            prom(`max by (lavalink_node, kind) (${sel('metronome_lavalink_node_frames', NODE)})`, {
              legend: '{{lavalink_node}} {{kind}}',
            }),
          ],
          { unit: 'short', description: 'deficit = frames players needed but the node could not send in time.' },
        ),
        timeseries(
          'Memory used',
          [
            prom(`max by (lavalink_node) (${sel('metronome_lavalink_node_memory_used_bytes', NODE)})`, {
              legend: '{{lavalink_node}}',
            }),
            prom('sum(lavalink_memory_used_bytes{job="lavalink"})', { legend: 'Lavalink /metrics' }),
          ],
          { unit: 'bytes' },
        ),
        timeseries(
          'Failovers',
          [
            prom(
              `sum by (from, to, outcome) (increase(${sel('metronome_lavalink_node_failovers_total')}[$__rate_interval]))`,
              { legend: '{{from}} -> {{to}} {{outcome}}' },
            ),
          ],
          { w: 24, unit: 'short', drawStyle: 'bars', description: 'Players moved off a failed node.' },
        ),
      ],
    },
  ],
});
