import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
};

/** Renders every error with the documented body, including Nest's own (unknown route, …). */
@Catch()
export class ReadApiErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const documented =
        typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object'
          ? body
          : { error: { code: CODE_BY_STATUS[status] ?? 'ERROR', reason: exception.message } };
      void reply.status(status).send(documented);
      return;
    }
    void reply.status(500).send({ error: { code: 'INTERNAL_ERROR', reason: 'internal error' } });
  }
}
