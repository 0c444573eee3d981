import { createServer, request as httpRequest, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trackInFlightResponses } from './in-flight-responses';

/**
 * A keep-alive client with a request still being answered when the server starts closing: with
 * `answerWithClose()` the answer carries `Connection: close` and the close completes as soon as the answer
 * is written; without it, the answered connection would stay open until the keep-alive timeout.
 */
describe('trackInFlightResponses', () => {
  async function closeWhileAnswering(markClose: boolean) {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let received!: () => void;
    const arrived = new Promise<void>((resolve) => (received = resolve));
    const server = createServer((_req, res) => {
      received();
      void held.then(() => res.end('ok'));
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const inFlight = trackInFlightResponses(server);
    const agent = new Agent({ keepAlive: true });
    const answer = new Promise<{ connection: string | undefined }>((resolve, reject) => {
      const req = httpRequest(
        { port: (server.address() as AddressInfo).port, host: '127.0.0.1', agent, path: '/' },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ connection: res.headers.connection }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    await arrived;
    expect(inFlight.count).toBe(1);
    const marked = markClose ? inFlight.answerWithClose() : 0;
    let closed = false;
    const closing = new Promise<void>((resolve) => server.close(() => resolve())).then(() => (closed = true));
    release();
    const { connection } = await answer;
    // Whether the close can finish is decided once the answer is out: give the server a turn to see it.
    await Promise.race([closing, new Promise((resolve) => setImmediate(() => setImmediate(resolve)))]);
    const result = { marked, connection, closedRightAfterAnswer: closed };
    agent.destroy(); // lets an unmarked close finish too
    await closing;
    return result;
  }

  it('marks the responses in flight so that closing does not wait for the keep-alive timeout', async () => {
    const result = await closeWhileAnswering(true);
    expect(result).toEqual({ marked: 1, connection: 'close', closedRightAfterAnswer: true });
  });

  it('(the problem it solves) unmarked, the answered keep-alive connection holds the close open', async () => {
    const result = await closeWhileAnswering(false);
    expect(result).toEqual({ marked: 0, connection: 'keep-alive', closedRightAfterAnswer: false });
  });
});
