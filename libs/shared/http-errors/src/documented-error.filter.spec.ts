import { ArgumentsHost, NotFoundException } from '@nestjs/common';
import { DocumentedErrorFilter } from './documented-error.filter';
import { httpError } from './http-error';

/** A reply that records what the filter sends, behind the slice of ArgumentsHost the filter uses. */
function render(exception: unknown): { status: number; headers: Record<string, string>; body: unknown } {
  const sent = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return reply;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  new DocumentedErrorFilter().catch(exception, host);
  return sent;
}

describe('DocumentedErrorFilter', () => {
  it('renders our errors as they are, with Retry-After when given', () => {
    expect(render(httpError(503, 'SPOOL_FULL', 'retry later', 30))).toEqual({
      status: 503,
      headers: { 'retry-after': '30' },
      body: { error: { code: 'SPOOL_FULL', reason: 'retry later' } },
    });
  });

  it("gives Nest's own exceptions the documented shape", () => {
    expect(render(new NotFoundException('Cannot GET /nope'))).toEqual({
      status: 404,
      headers: {},
      body: { error: { code: 'NOT_FOUND', reason: 'Cannot GET /nope' } },
    });
  });

  it('never leaks an internal error message', () => {
    const sent = render(new Error('password=hunter2 at db.ts:12'));
    expect(sent.status).toBe(500);
    expect(JSON.stringify(sent.body)).not.toContain('hunter2');
  });
});
