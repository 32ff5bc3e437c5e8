/** Longest reason or detail an answer carries; longer text is cut, because probe output is read in one line. */
export const MaxReasonLength = 200;

/**
 * Makes arbitrary text (often an error message) safe to print as one line of probe output: control characters and
 * line breaks become spaces, runs of whitespace collapse, and the result is cut to `maxLength` characters.
 */
export function sanitizeText(text: string, maxLength = MaxReasonLength): string {
  const oneLine = text
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (oneLine.length <= maxLength) return oneLine;
  return `${oneLine.slice(0, maxLength - 1).trimEnd()}…`;
}
