/**
 * The resolver could not answer for a host (timeout, server failure), as opposed to answering that the host does not
 * exist. It is an infrastructure error: the user gets the generic reply with a trace reference, and operators see
 * the host and the resolver's error code here.
 */
export class HostResolutionError extends Error {
  override readonly name = 'HostResolutionError';

  constructor(
    /** The host being resolved (no path, query or credentials of the URL). */
    readonly hostname: string,
    /** The resolver's error code (`EAI_AGAIN`, `ESERVFAIL`, `ETIMEOUT`...), or `unknown`. */
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(`could not resolve ${hostname}: ${code}`, options);
  }
}
