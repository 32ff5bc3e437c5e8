import { about } from './about.js';
import type { Command } from './Command.js';
import { ping } from './ping.js';

/** Every slash command, listed explicitly (never discovered from the file system). */
export const commands: readonly Command[] = [ping, about];
