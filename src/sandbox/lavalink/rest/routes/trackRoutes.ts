import { setTimeout as sleep } from 'node:timers/promises';
import { decodeTrack, TrackDecodeError, trackJson } from '../../catalogue/trackCodec.js';
import type { LavalinkTrack } from '../../protocol/LavalinkTrack.js';
import { LavalinkErrors } from '../LavalinkApiError.js';
import type { LavalinkRoute } from '../Router.js';
import type { RouteContext } from './RouteContext.js';

/** `/v4/loadtracks`, `/v4/decodetrack` and `/v4/decodetracks`. */
export function trackRoutes(context: RouteContext): LavalinkRoute[] {
  return [
    {
      method: 'GET',
      pattern: '/v4/loadtracks',
      async handle({ query }) {
        const identifier = query.get('identifier');
        if (identifier === null) throw LavalinkErrors.badRequest("Required parameter 'identifier' is not present.");
        const latency = context.loadLatencyMs();
        if (latency > 0) await sleep(latency);
        return { status: 200, body: context.catalogue.load(identifier) };
      },
    },
    {
      method: 'GET',
      pattern: '/v4/decodetrack',
      handle({ query }) {
        // `track` is the pre-v4 name, which Lavalink still accepts and shoukaku 4.3 still sends.
        const encoded = query.get('encodedTrack') ?? query.get('track');
        if (encoded === null) throw LavalinkErrors.badRequest('No track to decode provided');
        return { status: 200, body: decode(encoded) };
      },
    },
    {
      method: 'POST',
      pattern: '/v4/decodetracks',
      handle({ body }) {
        if (!Array.isArray(body) || !body.every((t) => typeof t === 'string')) {
          throw LavalinkErrors.badRequest('Expected an array of encoded tracks');
        }
        if (body.length === 0) throw LavalinkErrors.badRequest('No tracks to decode provided');
        return { status: 200, body: body.map(decode) };
      },
    },
  ];
}

function decode(encoded: string): LavalinkTrack {
  try {
    return trackJson(encoded, decodeTrack(encoded));
  } catch (error) {
    if (error instanceof TrackDecodeError) throw LavalinkErrors.badRequest(error.message);
    throw error;
  }
}
