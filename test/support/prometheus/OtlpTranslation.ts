import type { InstrumentKind } from '../../../src/telemetry/InstrumentCatalogue.js';

/**
 * Prometheus' OTLP translation with the default `translation_strategy: UnderscoreEscapingWithSuffixes`, as
 * implemented by `github.com/prometheus/otlptranslator` (`metric_namer.go` `normalizeName`, `unit_namer.go`,
 * `label_namer.go`), which Prometheus v3's OTLP receiver uses. Reimplemented here so tests can derive the names
 * dashboards and rules may use from the instrument catalogue instead of trusting a hand-written list.
 */

/** The OTLP data point type an instrument kind produces, which decides the type suffix. */
export type OtlpMetricType = 'monotonic_sum' | 'non_monotonic_sum' | 'gauge' | 'histogram';

/** OTLP unit (UCUM) to Prometheus unit word (`unitMap` in otlptranslator). */
const UnitWords: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '1': '',
  '%': 'percent',
};

/** The unit after a `/` (`perUnitMap` in otlptranslator): `By/s` becomes `bytes_per_second`. */
const PerUnitWords: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

/** The OTLP type each SDK instrument kind exports. Up-down counters are non-monotonic sums: no `_total`. */
export function otlpTypeOf(kind: InstrumentKind): OtlpMetricType {
  switch (kind) {
    case 'counter':
    case 'observable_counter':
      return 'monotonic_sum';
    case 'updowncounter':
      return 'non_monotonic_sum';
    case 'observable_gauge':
      return 'gauge';
    case 'histogram':
      return 'histogram';
  }
}

/** Splits a name into tokens of legal metric-name runes; dots, dashes and runs of underscores all separate. */
function tokens(text: string): string[] {
  return text.split(/[^a-zA-Z0-9:]+/).filter((token) => token !== '');
}

function cleanUpUnit(unit: string): string {
  return unit
    .replace(/[^a-zA-Z0-9:]/g, '_')
    .replace(/__+/g, '_')
    .replace(/^_/, '');
}

/** The main and per-unit suffix words of an OTLP unit; annotations in braces (`{request}`) contribute nothing. */
function unitSuffixes(unit: string): { main: string; per: string } {
  const [mainPart = '', perPart] = unit.split(/\/(.*)/s, 2);
  const mainUnit = mainPart.trim();
  const main = mainUnit !== '' && !/[{}]/.test(mainUnit) ? (UnitWords[mainUnit] ?? mainUnit) : '';
  let per = '';
  if (perPart !== undefined && perPart !== '') {
    const perUnit = perPart.trim();
    if (perUnit !== '' && !/[{}]/.test(perUnit)) per = PerUnitWords[perUnit] ?? perUnit;
    if (per !== '') per = `per_${per}`;
  }
  return { main, per };
}

/**
 * The Prometheus metric name of an OTLP metric: dots to underscores, the unit as a suffix unless a name token
 * already is that word, `_total` for monotonic sums, `_ratio` for gauges whose unit is `1`. Histograms expose this
 * name with `_bucket`, `_sum` and `_count` appended (see {@link prometheusSeriesNames}).
 */
export function prometheusMetricName(name: string, unit: string, type: OtlpMetricType): string {
  let nameTokens = tokens(name);
  const suffixes = unitSuffixes(unit);
  let main = cleanUpUnit(suffixes.main);
  let per = cleanUpUnit(suffixes.per);
  if (nameTokens.includes(main)) main = '';
  if (per === 'per_') {
    per = '';
  } else {
    per = per.replace(/_$/, '');
    if (nameTokens.includes(per)) per = '';
  }
  if (per !== '') main = main.replace(/_$/, '');
  if (main !== '') nameTokens.push(main);
  if (per !== '') nameTokens.push(per);
  if (type === 'monotonic_sum') nameTokens = [...nameTokens.filter((token) => token !== 'total'), 'total'];
  if (unit === '1' && type === 'gauge') nameTokens = [...nameTokens.filter((token) => token !== 'ratio'), 'ratio'];
  const joined = nameTokens.join('_');
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}

/** Every series name an OTLP metric becomes in Prometheus (three for a classic histogram, one otherwise). */
export function prometheusSeriesNames(name: string, unit: string, type: OtlpMetricType): string[] {
  const base = prometheusMetricName(name, unit, type);
  return type === 'histogram' ? [`${base}_bucket`, `${base}_sum`, `${base}_count`] : [base];
}

/** The Prometheus label name of an OTLP attribute key: invalid runes to `_`, `key_` before a leading digit. */
export function prometheusLabelName(attribute: string): string {
  const sanitized = attribute.replace(/[^a-zA-Z0-9_]/g, '_');
  if (/^[0-9]/.test(sanitized)) return `key_${sanitized}`;
  if (sanitized.startsWith('_') && !sanitized.startsWith('__')) return `key${sanitized}`;
  return sanitized;
}
