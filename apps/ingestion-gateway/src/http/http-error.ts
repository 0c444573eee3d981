import { HttpException } from '@nestjs/common';

/**
 * Every error the gateway answers has the same documented body: `{"error": {"code", "reason"}}` — a
 * stable code for machines and a precise reason for people (docs/ingestion-gateway.md lists the codes).
 */
export function httpError(status: number, code: string, reason: string): HttpException {
  return new HttpException({ error: { code, reason } }, status);
}
