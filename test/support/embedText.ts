import type { SandboxInteractionResponse } from '../../src/sandbox/discord/interactions/SandboxInteractionResponse.js';

/** The first embed's description of a reply, or ''. */
export const description = (response: Pick<SandboxInteractionResponse, 'embeds'>) =>
  response.embeds[0]?.description ?? '';

/** The first embed's footer text of a reply, or ''. */
export const footer = (response: Pick<SandboxInteractionResponse, 'embeds'>) => response.embeds[0]?.footer?.text ?? '';
