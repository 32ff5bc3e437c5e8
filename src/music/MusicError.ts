/**
 * What the user reads for each music identifier. `{name}` placeholders are filled from the error's context, so a
 * reply can say which limit was hit; the context never carries the user's own text, so nothing they typed is echoed.
 */
export const MusicMessages = {
  'nothing.playing': 'Nothing is playing right now.',
  'queue.empty': 'The queue is empty.',
  'queue.full': 'The queue is full ({limit} tracks). Remove a few or wait for some to play.',
  'queue.index_out_of_range': 'There is no track at position {position}: the queue has {length}.',
  'history.empty': 'There is no previous track to go back to.',
  'track.too_long': 'That is longer than the track length limit of {limit}.',
  'track.not_seekable': 'This track cannot be seeked.',
  'seek.out_of_range': 'That position is past the end of the track ({length}).',
  'playlist.too_large': 'That playlist has {size} tracks; the most I accept at once is {limit}.',
  'member.share_exceeded':
    'You already have {count} tracks waiting, the most one member may queue ({limit}). Let the others have a turn.',
  'volume.out_of_range': 'Volume must be a whole number from 0 to {max}.',
  'filter.unknown': 'I do not know that filter.',
  'load.no_matches': 'I found nothing for that.',
  'load.failed': 'I could not load that: the source refused it or is unavailable right now.',
  'query.empty': 'Tell me what to play: a search or an http(s) link.',
  'query.too_long': 'That is too long for a search or a link: the limit is {limit} characters.',
  'query.control_characters': 'That contains control characters I cannot accept. Type plain text or paste a link.',
  'query.invalid': 'That link is not a valid URL.',
  'query.scheme_not_allowed': 'Only http and https links are supported.',
  'query.url_credentials': 'Links with a user name or password in them are not accepted.',
  'query.url_not_allowed': 'That link points to a private or reserved address, so I will not fetch it.',
  'query.host_unknown': 'I could not find the website in that link.',
  'music.not_configured': 'Music is not set up on this bot: its operators have not configured a Lavalink node.',
  'voice.different_channel': 'I am playing in another voice channel. Join it to control the music.',
} as const;

/** One of the keys of {@link MusicMessages}. */
export type MusicErrorIdentifier = keyof typeof MusicMessages;

/** Context of a {@link MusicError}: flat values for logs and spans. */
export type MusicErrorContext = Readonly<Record<string, string | number | boolean>>;

/**
 * Fills the `{name}` placeholders of `template` from `context`. A placeholder without a value stays as written rather
 * than becoming `undefined`, so a missing field is visible in tests, not to users as garbage.
 */
export function fillPlaceholders(template: string, context: MusicErrorContext): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, key: string) =>
    Object.hasOwn(context, key) ? String(context[key]) : placeholder,
  );
}

/** The message for `identifier` with its placeholders filled from `context` (see {@link fillPlaceholders}). */
export function formatMusicMessage(identifier: MusicErrorIdentifier, context: MusicErrorContext = {}): string {
  return fillPlaceholders(MusicMessages[identifier], context);
}

/**
 * An expected refusal of the music domain: a limit reached, nothing playing, a query that is not acceptable. It is
 * the music layer's sibling of the Discord layer's `UserError` (music cannot import that layer): the interaction
 * boundary maps it to a friendly reply and the `user_error` outcome. It never pages anyone.
 */
export class MusicError extends Error {
  override readonly name = 'MusicError';

  constructor(
    /** Stable identifier, e.g. `queue.full`; the reply text comes from {@link MusicMessages}. */
    readonly identifier: MusicErrorIdentifier,
    /** Values for the message placeholders and extra fields for logs and spans. Never the user's raw input. */
    readonly context: MusicErrorContext = {},
  ) {
    super(formatMusicMessage(identifier, context));
  }
}
