import { connect } from 'node:net';
import { waitFor } from './wait-for';

/** A request the server has begun (it answered `100 Continue`) whose body the test still holds back. */
export interface HeldRequest {
  /** Sends the body; resolves with the answer's status and everything the server sent after it. */
  release(): Promise<{ status: number; text: string }>;
  destroy(): void;
}

/**
 * Starts a request with `Expect: 100-continue` and waits for the server's `100 Continue`: Node answers it
 * just before it hands the request to the application, so from then on the request is in flight on the
 * server, and stays so until `release()` sends the body. A deterministic request in flight, e.g. for a
 * shutdown test (waiting for "a first answer" of a burst and hoping others are still open is a race).
 */
export async function holdRequest(
  url: string,
  {
    method = 'POST',
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body: string },
): Promise<HeldRequest> {
  const target = new URL(url);
  const socket = connect(Number(target.port), target.hostname);
  let received = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('close', () => (closed = true));
  socket.on('error', () => (closed = true));
  const head = [
    `${method} ${target.pathname}${target.search} HTTP/1.1`,
    `Host: ${target.host}`,
    'Expect: 100-continue',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  socket.write(head);
  try {
    await waitFor(
      () => {
        if (closed) throw new Error(`the connection closed before 100 Continue: ${received}`);
        return received.startsWith('HTTP/1.1 100 Continue\r\n\r\n');
      },
      { timeoutMs: 30_000, intervalMs: 10, description: `100 Continue from ${url} (got "${received}")` },
    );
  } catch (error) {
    socket.destroy();
    throw error;
  }
  received = received.slice('HTTP/1.1 100 Continue\r\n\r\n'.length);
  return {
    async release() {
      socket.write(body);
      const answered = await waitFor(
        () => {
          const status = /^HTTP\/1\.1 (\d{3}) /.exec(received);
          const end = received.indexOf('\r\n\r\n');
          if (!status || end < 0) {
            if (closed) throw new Error(`the connection closed without an answer: ${received}`);
            return undefined;
          }
          const length = /\r\ncontent-length: (\d+)\r\n/i.exec(received.slice(0, end + 2));
          const text = received.slice(end + 4);
          const complete = length ? Buffer.byteLength(text, 'latin1') >= Number(length[1]) : closed;
          return complete ? { status: Number(status[1]), text } : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 10, description: `the answer from ${url}` },
      );
      socket.destroy();
      return answered;
    },
    destroy: () => socket.destroy(),
  };
}
