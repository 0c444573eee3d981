import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

const CODE_BY_STATUS: Record<number, string> = {
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_CONTENT_TYPE',
};

/** Renders every error with the documented body; 503s tell the client when to come back. */
@Catch()
export class GatewayErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const retryAfter = (exception as HttpException & { retryAfterSeconds?: number }).retryAfterSeconds;
      if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
      // Nest's own exceptions (unknown route, …) carry {statusCode, message}; give them our shape too.
      const documented =
        typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object'
          ? body
          : { error: { code: CODE_BY_STATUS[status] ?? 'BAD_REQUEST', reason: exception.message } };
      void reply.status(status).send(documented);
      return;
    }
    void reply.status(500).send({ error: { code: 'INTERNAL_ERROR', reason: 'internal error' } });
  }
}
