import type { Track } from '../../music/Track.js';
import type { DisconnectReason } from '../MusicPort.js';
import { type MusicMessage, textMessage } from './MusicMessage.js';
import { safeText } from './safeText.js';

/** Posted when the queue ran out. */
export function queueEndNotice(): MusicMessage {
  return textMessage('✅ The queue is finished. Add more with /play.');
}

/**
 * Posted when the bot left the voice channel on its own. Null when the member caused it (`/stop`, `/leave`: their
 * reply already says so) or when there is nowhere left to post (the guild is gone). `resumesLater`: the queue is kept
 * and comes back by itself when a music node does (a Lavalink outage with no other node).
 */
export function disconnectNotice(reason: DisconnectReason, resumesLater = false): MusicMessage | null {
  switch (reason) {
    case 'node_lost':
      return textMessage(
        resumesLater
          ? '⚠️ The music node went away and no other node could take over, so playback stopped. I kept the queue and will pick up where I left off as soon as a node is back.'
          : '⚠️ The music node went away and no other node could take over, so playback stopped. Use /play to start again.',
      );
    case 'idle':
      return textMessage('👋 I left the voice channel because nothing was playing for a while.');
    case 'alone':
      return textMessage('👋 I left the voice channel because everyone else left.');
    case 'channel_gone':
      return textMessage('👋 The voice channel was deleted, so I stopped playing.');
    case 'disconnected':
      return textMessage(
        '👋 Someone disconnected me from the voice channel, so I stopped playing. Use /play to start again.',
      );
    case 'guild_gone':
    case 'left':
    case 'stopped':
      return null;
  }
}

/**
 * Posted when a track could not be played; `kind` is the player's low-cardinality failure kind. The title is not
 * linked: a link in plain content would make Discord add a preview of it.
 */
export function trackErrorNotice(track: Track, kind: string): MusicMessage {
  const why =
    kind === 'stuck'
      ? 'it got stuck'
      : kind === 'exception'
        ? 'the source failed to deliver it'
        : 'it could not be loaded';
  return textMessage(`⚠️ I could not play **${safeText(track.title || 'Untitled')}** (${why}), so I moved on.`);
}

/**
 * Posted after a restart when the guild's music could not be brought back (`failure` as the restorer names it); the
 * queue is gone with it.
 */
export function restoreFailedNotice(failure: string, track: Track | null): MusicMessage {
  const what = track ? `**${safeText(track.title || 'Untitled')}**` : 'the music';
  const why = failure === 'channel_gone' ? 'the voice channel I was playing in is gone' : 'it could not be played';
  return textMessage(`⚠️ I restarted but could not bring back ${what}: ${why}. Use /play to start again.`);
}

/**
 * Posted once when the bot joined a stage channel as a listener and may not make itself a speaker (it lacks Mute
 * Members there); it asked to speak instead, which a stage moderator must accept, or, when it may not even ask
 * (Request to Speak denied), says so.
 */
export function stageSpeakerNotice(stageChannelId: string, asked: boolean): MusicMessage {
  const ask = asked ? 'I asked to speak: a stage moderator' : 'I may not even ask to speak there: a stage moderator';
  return textMessage(
    `🎙️ I joined <#${stageChannelId}> as a listener, so nobody can hear me yet. ${ask} can make me a speaker, or a server admin can give me Mute Members there.`,
  );
}
