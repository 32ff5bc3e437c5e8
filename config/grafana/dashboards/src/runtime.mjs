// @ts-check
import { ENV, dashboard, envVariable, prom, queryVariable, redAbove, sel, timeseries } from './grafana.mjs';

const BOT = `service_name="metronome", instance=~"$instance"`;

/** The Node.js process (event loop, heap, GC, CPU), the background jobs, and the telemetry pipeline itself. */
export default dashboard({
  uid: 'metronome-runtime',
  title: 'Metronome / Runtime',
  description:
    'Event loop, V8 heap and GC, CPU and memory per bot process; background jobs; and the telemetry pipeline (bot exporter and collector).',
  variables: [
    envVariable,
    queryVariable(
      'instance',
      'Instance',
      `label_values(nodejs_eventloop_delay_p99_seconds{${ENV}, service_name="metronome"}, instance)`,
    ),
  ],
  rows: [
    {
      title: 'Event loop',
      panels: [
        timeseries(
          'Event-loop delay',
          ['p50', 'p90', 'p99', 'max'].map((stat) =>
            prom(`max by (instance) (${sel(`nodejs_eventloop_delay_${stat}_seconds`, BOT)})`, {
              legend: `${stat} {{instance}}`,
            }),
          ),
          {
            w: 12,
            unit: 's',
            thresholds: redAbove(0.1),
          },
        ),
        timeseries(
          'Event-loop utilization',
          [prom(`max by (instance) (${sel('nodejs_eventloop_utilization_ratio', BOT)})`, { legend: '{{instance}}' })],
          { w: 6, unit: 'percentunit', min: 0, max: 1 },
        ),
        timeseries(
          'Event-loop time by state',
          [
            prom(
              `sum by (nodejs_eventloop_state) (rate(${sel('nodejs_eventloop_time_seconds_total', BOT)}[$__rate_interval]))`,
              { legend: '{{nodejs_eventloop_state}}' },
            ),
          ],
          { w: 6, unit: 'percentunit', stack: true, description: 'Seconds active or idle per second.' },
        ),
        timeseries(
          'Event-loop delay spread',
          [
            prom(`max by (instance) (${sel('nodejs_eventloop_delay_mean_seconds', BOT)})`, {
              legend: 'mean {{instance}}',
            }),
            prom(`max by (instance) (${sel('nodejs_eventloop_delay_stddev_seconds', BOT)})`, {
              legend: 'stddev {{instance}}',
            }),
            prom(`min by (instance) (${sel('nodejs_eventloop_delay_min_seconds', BOT)})`, {
              legend: 'min {{instance}}',
            }),
          ],
          { w: 12, unit: 's' },
        ),
        timeseries(
          'Active handles and requests',
          [
            prom(`sum by (v8js_resource_type) (${sel('v8js_resource_active', BOT)})`, {
              legend: '{{v8js_resource_type}}',
            }),
          ],
          { w: 12, unit: 'short', description: 'Timers, sockets and other resources keeping the event loop alive.' },
        ),
      ],
    },
    {
      title: 'Memory and GC',
      panels: [
        timeseries(
          'V8 heap used by space',
          [
            prom(`sum by (v8js_heap_space_name) (${sel('v8js_memory_heap_used_bytes', BOT)})`, {
              legend: '{{v8js_heap_space_name}}',
            }),
          ],
          { unit: 'bytes', stack: true },
        ),
        timeseries(
          'V8 heap: used, size, available',
          [
            prom(`sum by (instance) (${sel('v8js_memory_heap_used_bytes', BOT)})`, { legend: 'used {{instance}}' }),
            prom(`sum by (instance) (${sel('v8js_memory_heap_space_size_bytes', BOT)})`, {
              legend: 'size {{instance}}',
            }),
            prom(`sum by (instance) (${sel('v8js_memory_heap_space_physical_size_bytes', BOT)})`, {
              legend: 'physical {{instance}}',
            }),
            prom(`sum by (instance) (${sel('v8js_memory_heap_space_available_size_bytes', BOT)})`, {
              legend: 'available {{instance}}',
            }),
          ],
          { unit: 'bytes' },
        ),
        timeseries(
          'Process memory (RSS)',
          [prom(`max by (instance) (${sel('process_memory_usage', BOT)})`, { legend: '{{instance}}' })],
          { unit: 'bytes' },
        ),
        timeseries(
          'Time in GC',
          [
            prom(`sum by (v8js_gc_type) (rate(${sel('v8js_gc_duration_seconds_sum', BOT)}[$__rate_interval]))`, {
              legend: '{{v8js_gc_type}}',
            }),
          ],
          { w: 12, unit: 'percentunit', stack: true, description: 'Seconds spent collecting garbage per second.' },
        ),
        timeseries(
          'GC runs',
          [
            prom(`sum by (v8js_gc_type) (rate(${sel('v8js_gc_duration_seconds_count', BOT)}[$__rate_interval]))`, {
              legend: '{{v8js_gc_type}}',
            }),
          ],
          { w: 12, unit: 'ops' },
        ),
      ],
    },
    {
      title: 'CPU',
      panels: [
        timeseries(
          'CPU time by state',
          [
            prom(`sum by (process_cpu_state) (rate(${sel('process_cpu_time_seconds_total', BOT)}[$__rate_interval]))`, {
              legend: '{{process_cpu_state}}',
            }),
          ],
          { w: 12, unit: 'percentunit', stack: true, description: 'CPU seconds per second: 1 = one core busy.' },
        ),
        timeseries(
          'CPU utilization',
          [
            prom(`max by (instance, process_cpu_state) (${sel('process_cpu_utilization', BOT)})`, {
              legend: '{{instance}} {{process_cpu_state}}',
            }),
          ],
          { w: 12, unit: 'percentunit' },
        ),
      ],
    },
    {
      title: 'Background jobs',
      panels: [
        timeseries(
          'Runs by job and outcome',
          [
            prom(`sum by (job_name, outcome) (rate(${sel('metronome_job_duration_seconds_count')}[$__rate_interval]))`, {
              legend: '{{job_name}} {{outcome}}',
            }),
          ],
          { unit: 'ops' },
        ),
        timeseries(
          'Run duration p95',
          [
            prom(
              `histogram_quantile(0.95, sum by (le, job_name) (rate(${sel('metronome_job_duration_seconds_bucket')}[$__rate_interval])))`,
              { legend: '{{job_name}}' },
            ),
          ],
          { unit: 's' },
        ),
        timeseries(
          'Since last success',
          [
            prom(`max by (job_name) (${sel('metronome_job_last_success_age_seconds')})`, { legend: '{{job_name}}' }),
            prom(`sum by (job_name) (${sel('metronome_job_active')})`, { legend: 'running {{job_name}}' }),
          ],
          {
            unit: 's',
            thresholds: redAbove(900),
          },
        ),
      ],
    },
    {
      title: 'Telemetry pipeline',
      panels: [
        timeseries(
          'Dropped by the bot',
          [
            prom(`sum by (signal) (rate(${sel('metronome_telemetry_dropped_total')}[$__rate_interval]))`, {
              legend: '{{signal}}',
            }),
          ],
          { unit: 'ops', description: 'Items the bot threw away because an export to the collector failed.' },
        ),
        timeseries(
          'Collector: accepted and refused',
          [
            prom('sum(rate(otelcol_receiver_accepted_metric_points_total[$__rate_interval]))', {
              legend: 'metric points',
            }),
            prom('sum(rate(otelcol_receiver_accepted_spans_total[$__rate_interval]))', { legend: 'spans' }),
            prom('sum(rate(otelcol_receiver_accepted_log_records_total[$__rate_interval]))', { legend: 'log records' }),
            prom('sum(rate(otelcol_receiver_refused_metric_points_total[$__rate_interval]))', {
              legend: 'refused metric points',
            }),
            prom('sum(rate(otelcol_receiver_refused_spans_total[$__rate_interval]))', { legend: 'refused spans' }),
            prom('sum(rate(otelcol_receiver_refused_log_records_total[$__rate_interval]))', {
              legend: 'refused log records',
            }),
          ],
          { unit: 'ops', description: 'Refusals come from the memory limiter: the collector is out of memory.' },
        ),
        timeseries(
          'Collector: failed exports by exporter',
          [
            prom('sum by (exporter) (rate(otelcol_exporter_send_failed_metric_points_total[$__rate_interval]))', {
              legend: '{{exporter}} metric points',
            }),
            prom('sum by (exporter) (rate(otelcol_exporter_send_failed_spans_total[$__rate_interval]))', {
              legend: '{{exporter}} spans',
            }),
            prom('sum by (exporter) (rate(otelcol_exporter_send_failed_log_records_total[$__rate_interval]))', {
              legend: '{{exporter}} log records',
            }),
          ],
          { unit: 'ops' },
        ),
        timeseries(
          'Collector: sending queue fill',
          [
            prom(
              'max by (exporter) (otelcol_exporter_queue_size) / max by (exporter) (otelcol_exporter_queue_capacity)',
              { legend: '{{exporter}}' },
            ),
          ],
          { w: 12, unit: 'percentunit', min: 0, max: 1 },
        ),
        timeseries('Collector: up', [prom('up{job="otel-collector"}', { legend: '{{instance}}' })], {
          w: 12,
          min: 0,
          max: 1,
        }),
      ],
    },
  ],
});
