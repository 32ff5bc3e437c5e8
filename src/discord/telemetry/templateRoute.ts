/**
 * Turns a Discord REST path into a low-cardinality route: snowflakes become `:id`, interaction and webhook tokens
 * `:token`, and the API version prefix is dropped, so `/api/v10/channels/81384788765712384/messages` becomes
 * `/channels/:id/messages`. Ids must never become metric attribute values.
 */
export function templateRoute(path: string): string {
  const clean = path.split('?')[0] ?? '';
  const parts = clean.split('/').filter((p) => p.length > 0);
  let start = 0;
  if (parts[0] === 'api') start++;
  if (/^v\d+$/.test(parts[start] ?? '')) start++;
  const out: string[] = [];
  for (let i = start; i < parts.length; i++) {
    const part = safeDecode(parts[i] ?? '');
    const previous = out[out.length - 1];
    if (/^\d{5,}$/.test(part)) out.push(':id');
    // Interaction and webhook tokens follow an id in /interactions/{id}/{token} and /webhooks/{id}/{token}.
    else if ((parts[i - 2] === 'interactions' || parts[i - 2] === 'webhooks') && previous === ':id') out.push(':token');
    else if (part.length > 32 || /[^A-Za-z0-9@_.-]/.test(part)) out.push(':param');
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
