import { HttpException } from '@nestjs/common';
import { SpoolFullError } from '@optstream/ingestion-spool';
import { IntakeOutcome, IntakeRequest } from '../intake/intake.service';
import { GatewayRuntime } from '../gateway-runtime';
import { Endpoint, Outcome } from '../observability/gateway-metrics';
import { httpError } from '@optstream/http-errors';
import { errorMessage } from '@optstream/kafka';

const OUTCOME_BY_STATUS: Record<number, Outcome> = {
  401: 'unauthorized',
  403: 'unauthorized',
  413: 'payload_too_large',
  503: 'unavailable',
};

/** Runs one request's work, counting it per endpoint and outcome, and maps a full spool to 503. */
export async function counted<T>(
  runtime: GatewayRuntime,
  endpoint: Endpoint,
  work: () => Promise<T>,
): Promise<T> {
  try {
    const result = await work();
    runtime.metrics.invocations.inc({ endpoint, outcome: 'accepted' });
    return result;
  } catch (error) {
    const mapped =
      error instanceof SpoolFullError
        ? retryLater()
        : error instanceof HttpException
          ? error
          : (runtime.log.error({ err: errorMessage(error), endpoint }, 'request failed'),
            httpError(500, 'INTERNAL_ERROR', 'internal error'));
    const status = mapped.getStatus();
    runtime.metrics.invocations.inc({ endpoint, outcome: OUTCOME_BY_STATUS[status] ?? 'bad_request' });
    throw mapped;
  }
}

function retryLater(): HttpException {
  return httpError(503, 'SPOOL_FULL', 'Kafka is unreachable and the local spool is full; retry later', 30);
}

/** Intake, then either the accepted outcome or a 400 with the first rejection's code and reason. */
export async function intakeOrReject(
  runtime: GatewayRuntime,
  request: IntakeRequest,
): Promise<Extract<IntakeOutcome, { kind: 'accepted' }>> {
  const outcome = await runtime.intake.intake(request);
  if (outcome.kind === 'rejected') throw httpError(400, outcome.rejection.code, outcome.rejection.reason);
  return outcome;
}
