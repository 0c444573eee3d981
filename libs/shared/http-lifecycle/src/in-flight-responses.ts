import type { Server, ServerResponse } from 'node:http';

export interface InFlightResponses {
  /** Responses not finished yet. */
  readonly count: number;
  /**
   * Call just before closing the server: every response still to be written will say
   * `Connection: close`, so its keep-alive client lets go once answered. Returns how many there were.
   */
  answerWithClose(): number;
}

/**
 * Tracks the responses a server is writing, so that closing it does not wait on keep-alive clients:
 * Node closes only the connections idle when closing starts, and a connection whose request was still
 * being answered stays open after its answer until the keep-alive timeout (72 s with Fastify), far past a
 * Kubernetes grace period. Start it right after the server listens.
 */
export function trackInFlightResponses(server: Server): InFlightResponses {
  const open = new Set<ServerResponse>();
  let closing = false;
  server.on('request', (_request, response: ServerResponse) => {
    // A request that slips in while the listener is closing is answered with close too (unless the
    // framework already refused it: Fastify answers 503 while closing, in its own listener, first).
    if (closing && !response.headersSent) response.setHeader('connection', 'close');
    open.add(response);
    response.once('close', () => open.delete(response));
  });
  return {
    get count() {
      return open.size;
    },
    answerWithClose() {
      closing = true;
      for (const response of open) if (!response.headersSent) response.setHeader('connection', 'close');
      return open.size;
    },
  };
}
