/**
 * Finds the series a PromQL expression reads: every vector selector (metric name and label matchers) and every
 * label named in a grouping or matching clause (`by`, `without`, `on`, `ignoring`, `group_left`, `group_right`).
 * A small tokenizer rather than a full parser: it knows PromQL's functions, aggregators and keywords, treats range
 * and subquery brackets as opaque, and accepts Grafana's `$variables`. An identifier followed by `(` that is not a
 * known function is an error, so a misspelt function cannot hide a metric name.
 */

export type MatchOperator = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly label: string;
  readonly op: MatchOperator;
  readonly value: string;
}

export interface VectorSelector {
  /** The metric name, from the bare name or an `__name__="..."` matcher; undefined when neither is given. */
  readonly metric: string | undefined;
  readonly matchers: readonly LabelMatcher[];
}

export interface PromQlReferences {
  readonly selectors: readonly VectorSelector[];
  readonly groupingLabels: readonly string[];
}

type TokenKind = 'identifier' | 'string' | 'number' | 'variable' | 'range' | 'punct';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly at: number;
}

const Aggregators = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);

const Functions = new Set([
  'abs',
  'absent',
  'absent_over_time',
  'acos',
  'acosh',
  'asin',
  'asinh',
  'atan',
  'atanh',
  'avg_over_time',
  'ceil',
  'changes',
  'clamp',
  'clamp_max',
  'clamp_min',
  'cos',
  'cosh',
  'count_over_time',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'days_in_month',
  'deg',
  'delta',
  'deriv',
  'double_exponential_smoothing',
  'end',
  'exp',
  'floor',
  'histogram_avg',
  'histogram_count',
  'histogram_fraction',
  'histogram_quantile',
  'histogram_stddev',
  'histogram_stdvar',
  'histogram_sum',
  'holt_winters',
  'hour',
  'idelta',
  'increase',
  'info',
  'irate',
  'label_join',
  'label_replace',
  'last_over_time',
  'ln',
  'log10',
  'log2',
  'mad_over_time',
  'max_over_time',
  'min_over_time',
  'minute',
  'month',
  'pi',
  'predict_linear',
  'present_over_time',
  'quantile_over_time',
  'rad',
  'rate',
  'resets',
  'round',
  'scalar',
  'sgn',
  'sin',
  'sinh',
  'sort',
  'sort_by_label',
  'sort_by_label_desc',
  'sort_desc',
  'sqrt',
  'start',
  'stddev_over_time',
  'stdvar_over_time',
  'sum_over_time',
  'tan',
  'tanh',
  'time',
  'timestamp',
  'vector',
  'year',
]);

/** Keywords that take a parenthesised list of label names. */
const LabelListKeywords = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

const Keywords = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan']);

const Punctuation = [
  '=~',
  '!~',
  '!=',
  '==',
  '>=',
  '<=',
  '(',
  ')',
  '{',
  '}',
  ',',
  '=',
  '>',
  '<',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '@',
  ':',
];

/** Splits an expression into tokens; a `[...]` range or subquery becomes one opaque token. */
export function tokenizePromQl(expr: string): Token[] {
  const out: Token[] = [];
  let at = 0;
  while (at < expr.length) {
    const rest = expr.slice(at);
    const char = rest[0] ?? '';
    if (/\s/.test(char)) {
      at += 1;
      continue;
    }
    if (char === '#') {
      const end = expr.indexOf('\n', at);
      at = end === -1 ? expr.length : end + 1;
      continue;
    }
    if (char === '"' || char === "'" || char === '`') {
      const end = stringEnd(expr, at);
      out.push({ kind: 'string', text: unquote(expr.slice(at, end)), at });
      at = end;
      continue;
    }
    if (char === '[') {
      const end = expr.indexOf(']', at);
      if (end === -1) throw new SyntaxError(`unclosed [ at ${at} in: ${expr}`);
      out.push({ kind: 'range', text: expr.slice(at + 1, end), at });
      at = end + 1;
      continue;
    }
    const variable = /^\$(?:\{[^}]*\}|\w+)/.exec(rest);
    if (variable) {
      out.push({ kind: 'variable', text: variable[0], at });
      at += variable[0].length;
      continue;
    }
    const number = /^(?:0x[0-9a-fA-F]+|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?[a-zA-Z0-9]*)/.exec(rest);
    if (number) {
      out.push({ kind: 'number', text: number[0], at });
      at += number[0].length;
      continue;
    }
    const identifier = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(rest);
    if (identifier && !rest.startsWith(':')) {
      out.push({ kind: 'identifier', text: identifier[0], at });
      at += identifier[0].length;
      continue;
    }
    const punct = Punctuation.find((candidate) => rest.startsWith(candidate));
    if (punct === undefined) throw new SyntaxError(`unexpected ${JSON.stringify(char)} at ${at} in: ${expr}`);
    out.push({ kind: 'punct', text: punct, at });
    at += punct.length;
  }
  return out;
}

function stringEnd(expr: string, start: number): number {
  const quote = expr[start];
  let at = start + 1;
  while (at < expr.length) {
    const char = expr[at];
    if (char === '\\' && quote !== '`') {
      at += 2;
      continue;
    }
    if (char === quote) return at + 1;
    at += 1;
  }
  throw new SyntaxError(`unclosed string at ${start} in: ${expr}`);
}

function unquote(literal: string): string {
  const body = literal.slice(1, -1);
  return literal.startsWith('`') ? body : body.replace(/\\(.)/g, '$1');
}

/** Every selector and grouping label an expression references. Throws on what it cannot read. */
export function parsePromQlReferences(expr: string): PromQlReferences {
  const tokens = tokenizePromQl(expr);
  const selectors: VectorSelector[] = [];
  const groupingLabels: string[] = [];
  let at = 0;
  const peek = (offset = 0): Token | undefined => tokens[at + offset];
  const isPunct = (token: Token | undefined, text: string): boolean => token?.kind === 'punct' && token.text === text;

  const readMatchers = (): LabelMatcher[] => {
    const matchers: LabelMatcher[] = [];
    at += 1; // past {
    while (!isPunct(peek(), '}')) {
      const label = peek();
      const op = peek(1);
      const value = peek(2);
      if (label?.kind !== 'identifier' && label?.kind !== 'string') throw new SyntaxError(`bad matcher in: ${expr}`);
      if (op?.kind !== 'punct' || !['=', '!=', '=~', '!~'].includes(op.text)) {
        throw new SyntaxError(`bad matcher operator after ${label.text} in: ${expr}`);
      }
      if (value?.kind !== 'string') throw new SyntaxError(`matcher ${label.text} needs a quoted value in: ${expr}`);
      matchers.push({ label: label.text, op: op.text as MatchOperator, value: value.text });
      at += 3;
      if (isPunct(peek(), ',')) at += 1;
      if (peek() === undefined) throw new SyntaxError(`unclosed { in: ${expr}`);
    }
    at += 1; // past }
    return matchers;
  };

  while (at < tokens.length) {
    const token = tokens[at];
    if (token === undefined) break;
    if (token.kind === 'identifier') {
      const lower = token.text.toLowerCase();
      const next = peek(1);
      if (LabelListKeywords.has(lower)) {
        at += 1;
        if (isPunct(peek(), '(')) {
          at += 1;
          while (!isPunct(peek(), ')')) {
            const label = peek();
            if (label === undefined) throw new SyntaxError(`unclosed label list in: ${expr}`);
            if (label.kind === 'identifier') groupingLabels.push(label.text);
            at += 1;
          }
          at += 1;
        }
        continue;
      }
      if (Keywords.has(lower) || Aggregators.has(token.text) || Functions.has(token.text)) {
        at += 1;
        continue;
      }
      if (isPunct(next, '(')) throw new SyntaxError(`unknown function ${token.text} in: ${expr}`);
      at += 1;
      const matchers = isPunct(peek(), '{') ? readMatchers() : [];
      selectors.push({ metric: token.text, matchers });
      continue;
    }
    if (isPunct(token, '{')) {
      const matchers = readMatchers();
      const name = matchers.find((matcher) => matcher.label === '__name__' && matcher.op === '=');
      selectors.push({ metric: name?.value, matchers });
      continue;
    }
    at += 1;
  }
  return { selectors, groupingLabels };
}
