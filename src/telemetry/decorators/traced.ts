import type { Attributes } from '@opentelemetry/api';
import { withSpan } from '../spans.js';

type Method<This, Args extends unknown[], R> = (this: This, ...args: Args) => R;

/**
 * Traces a method (sync or async): a span named `name` (default `Class.method`), the exception recorded and status
 * ERROR when it throws or rejects, and the error rethrown unchanged.
 */
export function traced(name?: string, attributes?: Attributes) {
  return <This, Args extends unknown[], R>(
    target: Method<This, Args, R>,
    context: ClassMethodDecoratorContext<This, Method<This, Args, R>>,
  ): Method<This, Args, R> => {
    let spanName = name;
    context.addInitializer(function (this: This) {
      spanName ??= `${(this as object).constructor.name}.${String(context.name)}`;
    });
    return function (this: This, ...args: Args): R {
      return withSpan(spanName ?? String(context.name), attributes, () => target.apply(this, args));
    };
  };
}
