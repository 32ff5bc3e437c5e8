/** Discord's `allowed_mentions` that pings nobody: every message the music layer sends uses it. */
export const NoMentions = Object.freeze({ parse: [] as never[] });

// Emphasis, code, spoilers, strikethrough, quotes, headings, lists, masked links, mentions and escapes themselves.
const MarkdownCharacters = /[\\*_~|`>#\-[\]<]/g;

/** How long a title or author may get in a line of a reply, in characters, before it is cut with `…`. */
export const DefaultTextLimit = 80;

/**
 * Makes text from outside (a track title, an author, a display name) safe to put into a message: cut to `limit`
 * (before escaping, so an escape is never cut in half), every markdown character backslash-escaped, and `@`
 * defused with a zero-width space so `@everyone` or `<@id>` show as text instead of turning into mentions.
 *
 * discord.js' `escapeMarkdown` is not enough on its own: it leaves runs like `*********` partly unescaped and does
 * not escape the brackets that would end our own `[title](link)`. Discord drops a backslash before any punctuation,
 * so escaping every markdown character renders exactly the original text.
 */
export function safeText(text: string, limit = DefaultTextLimit): string {
  const cut = truncate(text.replace(/\s+/g, ' ').trim(), limit);
  return cut.replace(MarkdownCharacters, (c) => `\\${c}`).replace(/@/g, '@\u200b');
}

/**
 * Text cut to `limit` UTF-16 units (how Discord measures its limits) with `…` when longer, never splitting a
 * surrogate pair.
 */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = text.slice(0, Math.max(0, limit - 1));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** A link target we are willing to render: http(s) only, with `)` encoded so it cannot end the markdown link. */
export function safeUrl(uri: string | null | undefined): string | null {
  if (!uri) return null;
  try {
    const url = new URL(uri);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return url.href.replace(/\)/g, '%29').replace(/\(/g, '%28');
  } catch {
    // Not a URL at all: show the title without a link rather than a broken one.
    return null;
  }
}

/**
 * Longest link a title carries. Real track links are under 100 characters; a longer one (a query link padded to the
 * 500-character limit, and percent-encoded to several times that) would overflow the 4096-character embed of a page
 * of ten and break `/queue` and `/history` for the whole server, so it is left off and the title shown alone.
 */
export const MaxLinkLength = 200;

/** Discord's limit on an embed description. */
export const EmbedDescriptionLimit = 4096;

/** `[title](uri)` when the track has a usable link of at most {@link MaxLinkLength}, else the escaped title alone. */
export function linkedTitle(track: { readonly title: string; readonly uri: string | null }, limit?: number): string {
  const title = safeText(track.title || 'Untitled', limit);
  const url = safeUrl(track.uri);
  return url && url.length <= MaxLinkLength ? `[${title}](${url})` : title;
}
