import type { GuildQueue } from './GuildQueue.js';
import type { QueuePage } from './MusicServiceApi.js';

/** Tracks per `/queue` page unless the caller says otherwise. */
export const DefaultPageSize = 10;

/**
 * Page `page` (1-based, clamped to the pages there are) of the waiting tracks of `queue`; a guild without a queue
 * reads as an empty first page, so `/queue` can always answer.
 */
export function pageOf(queue: GuildQueue | undefined, page: number, pageSize = DefaultPageSize): QueuePage {
  const upcoming = queue?.upcoming ?? [];
  const size = Math.max(1, Math.floor(pageSize) || DefaultPageSize);
  const pages = Math.max(1, Math.ceil(upcoming.length / size));
  const shown = Math.min(pages, Math.max(1, Math.floor(page) || 1));
  const start = (shown - 1) * size;
  return {
    current: queue?.current ?? null,
    tracks: upcoming.slice(start, start + size),
    page: shown,
    pages,
    total: upcoming.length,
    totalLengthMs: queue?.upcomingLengthMs ?? 0,
    loop: queue?.loop ?? 'off',
    firstPosition: start + 1,
  };
}
