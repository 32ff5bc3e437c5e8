import type { RESTOptions, ResponseLike } from 'discord.js';
import type { Instruments } from '../../telemetry/Instruments.js';
import { AttributeNames } from '../../telemetry/TelemetryNames.js';
import { templateRoute } from './templateRoute.js';

type MakeRequest = RESTOptions['makeRequest'];

/** The `scope` of a 429, from Discord's `X-RateLimit-Scope` header (`global` if the global header is set). */
function rateLimitScope(headers: ResponseLike['headers']): string {
  if (headers.get('x-ratelimit-global') === 'true') return 'global';
  const scope = headers.get('x-ratelimit-scope');
  return scope === 'global' || scope === 'shared' ? scope : 'user';
}

/**
 * Wraps discord.js' `makeRequest` so every REST request is measured: `metronome.discord.rest.requests` and
 * `.duration` by templated route and method, and every 429 counted in `.rate_limits`. Wrapping the request function
 * rather than listening to `rateLimited` is deliberate: that event misses 429s the client did not predict.
 */
export function instrumentMakeRequest(makeRequest: MakeRequest, instruments: () => Instruments): MakeRequest {
  return async (url, init) => {
    const started = performance.now();
    const route = templateRoute(url);
    const method = (init.method ?? 'GET').toUpperCase();
    const { restRequests, restDuration, restRateLimits } = instruments();
    let status = 0;
    try {
      const response = await makeRequest(url, init);
      status = response.status;
      if (status === 429) {
        restRateLimits.add(1, {
          [AttributeNames.Route]: route,
          [AttributeNames.Scope]: rateLimitScope(response.headers),
        });
      }
      return response;
    } finally {
      restRequests.add(1, {
        [AttributeNames.Route]: route,
        [AttributeNames.Method]: method,
        [AttributeNames.StatusCode]: status === 0 ? 'error' : String(status),
      });
      restDuration.record((performance.now() - started) / 1000, {
        [AttributeNames.Route]: route,
        [AttributeNames.Method]: method,
      });
    }
  };
}
