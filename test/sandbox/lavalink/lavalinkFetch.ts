import type { SandboxLavalink } from '../../../src/sandbox/lavalink/index.js';

/** A REST answer: status, headers and the parsed JSON (or text) body. */
export interface LavalinkAnswer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** What to send; the node's password is used unless `password` says otherwise (null: no header). */
export interface LavalinkFetchInit {
  readonly method?: string;
  readonly body?: unknown;
  readonly password?: string | null;
}

/** Calls a sandbox node's REST API the way a Lavalink client does. */
export async function lavalinkFetch<T = unknown>(
  node: SandboxLavalink,
  path: string,
  init: LavalinkFetchInit = {},
): Promise<LavalinkAnswer<T>> {
  const password = init.password === undefined ? node.password : init.password;
  const headers: Record<string, string> = {};
  if (password !== null) headers.Authorization = password;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${node.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
  return { status: response.status, headers: response.headers, body: (isJson ? JSON.parse(text) : text) as T };
}
