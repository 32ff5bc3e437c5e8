import { about } from './about.js';
import { alwaysOn } from './alwaysOn.js';
import type { Command } from './Command.js';
import { clear } from './clear.js';
import { filter } from './filter.js';
import { history } from './history.js';
import { leave } from './leave.js';
import { loop } from './loop.js';
import { move } from './move.js';
import { nowplaying } from './nowplaying.js';
import { pause } from './pause.js';
import { ping } from './ping.js';
import { play } from './play.js';
import { queue } from './queue.js';
import { remove } from './remove.js';
import { resume } from './resume.js';
import { search } from './search.js';
import { seek } from './seek.js';
import { settings } from './settings.js';
import { shuffle } from './shuffle.js';
import { skip } from './skip.js';
import { stop } from './stop.js';
import { volume } from './volume.js';

/** Every slash command, listed explicitly (never discovered from the file system). */
export const commands: readonly Command[] = [
  ping,
  about,
  play,
  search,
  pause,
  resume,
  skip,
  stop,
  queue,
  nowplaying,
  volume,
  seek,
  loop,
  shuffle,
  remove,
  move,
  clear,
  filter,
  leave,
  alwaysOn,
  history,
  settings,
];
