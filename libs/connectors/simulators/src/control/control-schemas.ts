import { z } from 'zod';
import { PROVIDER_NAMES } from '@optstream/connectors-domain';
import { ONESIGNAL_SUBSCRIPTION_TYPES } from '../providers/onesignal';
import type { Fault, ProviderName, RateLimit } from '../types';

const times = z.number().int().positive().optional();
const ids = z.array(z.string()).optional();

export const faultSchema: z.ZodType<Fault> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rate-limit'), retryAfterSeconds: z.number().int().nonnegative(), times }),
  z.object({ kind: z.literal('server-error'), status: z.number().int().min(500).max(599).optional(), times }),
  z.object({ kind: z.literal('slow'), delayMs: z.number().int().nonnegative(), times }),
  z.object({ kind: z.literal('timeout'), times }),
  z.object({ kind: z.literal('down') }),
  z.object({
    kind: z.literal('reject'),
    status: z.number().int().min(400).max(499),
    forExternalIds: ids,
    forEmails: ids,
    forPhones: ids,
  }),
]);

export const rateLimitSchema: z.ZodType<RateLimit> = z.object({
  requestsPerSecond: z.number().positive(),
  burst: z.number().int().positive(),
});

export const seedOnesignalSchema = z.object({
  externalId: z.string().min(1),
  subscriptions: z.array(
    z.object({
      type: z.enum(ONESIGNAL_SUBSCRIPTION_TYPES),
      token: z.string().min(1),
      enabled: z.boolean().optional(),
    }),
  ),
});

export const sendgridGroupSchema = z.object({
  id: z.number().int().positive(),
  name: z.string().max(30).optional(),
});

export const providerSchema = z.enum(PROVIDER_NAMES as [ProviderName, ...ProviderName[]]);
