import type { ComponentHandler } from './ComponentHandler.js';
import { historyPaging } from './historyPaging.js';
import { nowPlayingControls } from './nowPlayingControls.js';
import { queuePaging } from './queuePaging.js';
import { searchPick } from './searchPick.js';

/** Every button and select menu handler, listed explicitly; their kinds are the custom id prefixes. */
export const components: readonly ComponentHandler[] = [nowPlayingControls, queuePaging, searchPick, historyPaging];
