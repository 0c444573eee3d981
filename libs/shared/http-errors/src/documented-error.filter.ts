import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DocumentedHttpError } from './http-error';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_CONTENT_TYPE',
};

/**
 * Renders every error with the documented body — Nest's own exceptions (unknown route, oversize body, …)
 * included — and never leaks an internal error's message.
 */
@Catch()
export class DocumentedErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (!(exception instanceof HttpException)) {
      void reply.status(500).send({ error: { code: 'INTERNAL_ERROR', reason: 'internal error' } });
      return;
    }
    const status = exception.getStatus();
    if (exception instanceof DocumentedHttpError && exception.retryAfterSeconds !== undefined) {
      void reply.header('retry-after', String(exception.retryAfterSeconds));
    }
    const body = exception.getResponse();
    const documented =
      exception instanceof DocumentedHttpError
        ? body
        : {
            error: {
              code: CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'),
              reason: exception.message,
            },
          };
    void reply.status(status).send(documented);
  }
}
