/** A request path with Discord interaction and webhook tokens replaced (`/interactions/{id}/[redacted]/callback`). */
export function scrubPath(path: string): string {
  // Runs on every outbound request: index searches, no regex (most paths carry no token at all).
  return scrubAfter(scrubAfter(path, '/interactions/'), '/webhooks/');
}

/** `path` with the segment after `{marker}{numeric id}/` replaced by `[redacted]`, if there is one. */
function scrubAfter(path: string, marker: string): string {
  const at = path.indexOf(marker);
  if (at === -1) return path;
  const idStart = at + marker.length;
  let idEnd = idStart;
  while (idEnd < path.length && path.charCodeAt(idEnd) >= 48 && path.charCodeAt(idEnd) <= 57) idEnd++;
  if (idEnd === idStart || path[idEnd] !== '/') return path;
  let tokenEnd = idEnd + 1;
  while (tokenEnd < path.length && path[tokenEnd] !== '/' && path[tokenEnd] !== '?') tokenEnd++;
  if (tokenEnd === idEnd + 1) return path;
  return `${path.slice(0, idEnd + 1)}[redacted]${path.slice(tokenEnd)}`;
}
