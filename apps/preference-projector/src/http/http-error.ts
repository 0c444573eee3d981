import { HttpException } from '@nestjs/common';

/** Every error the read API answers has the documented body `{"error": {"code", "reason"}}`. */
export function httpError(status: number, code: string, reason: string): HttpException {
  return new HttpException({ error: { code, reason } }, status);
}
