import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * Replaces Fastify's parsers with one that keeps every body as the exact bytes received: SendGrid and
 * Twilio sign the raw body, and our own parsing gives precise errors instead of a generic 400. Oversize
 * bodies and other transport errors get the gateway's documented error body.
 */
export function keepRawBodies(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) =>
    done(null, body),
  );
  fastify.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500;
    const code =
      status === 413 ? 'PAYLOAD_TOO_LARGE' : status >= 500 ? 'INTERNAL_ERROR' : (error.code ?? 'BAD_REQUEST');
    const reason =
      status === 413
        ? `the body exceeds the ${bodyLimit}-byte limit`
        : status >= 500
          ? 'internal error'
          : error.message;
    void reply.status(status).send({ error: { code, reason } });
  });
}
