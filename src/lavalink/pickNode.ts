import type { Node } from 'shoukaku';

/**
 * The node a player should go to: one in the voice region of the guild when any is (config `region`, matched against
 * the region shoukaku reads off the voice endpoint), then the lowest shoukaku penalty (players, CPU, frame deficit
 * from the last stats) plus the players already sent there since those stats. Undefined when there is no candidate.
 */
export function pickNode(
  candidates: readonly Node[],
  options: { readonly region?: string | null; readonly pending?: ReadonlyMap<Node, number> } = {},
): Node | undefined {
  const { region, pending } = options;
  const local = region ? candidates.filter((node) => node.group === region) : [];
  const pool = local.length > 0 ? local : candidates;
  let best: Node | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const node of pool) {
    const score = node.penalties + (pending?.get(node) ?? 0);
    if (score < bestScore) {
      best = node;
      bestScore = score;
    }
  }
  return best;
}
