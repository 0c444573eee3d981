// Generated from schemas/*.avsc by tools/codegen/avro-to-ts.ts — do not edit.

import type { SchemaName } from '../topics';
import { ContactInboundSchema } from './contact-inbound.v1';
import { ContactPreferencesStateSchema } from './contact-preferences-state.v1';
import { DeadLetterSchema } from './dead-letter.v1';
import { IdentityEventSchema } from './identity.v1';
import { MarketingPreferenceUpdatedSchema } from './marketing-preference-updated.v1';

export * from './common';
export * from './contact-inbound.v1';
export * from './contact-preferences-state.v1';
export * from './dead-letter.v1';
export * from './identity.v1';
export * from './marketing-preference-updated.v1';

/** Every value schema by name. `satisfies` fails the build when topics.ts and schemas/ disagree. */
export const SCHEMAS = {
  'contact-inbound.v1': ContactInboundSchema,
  'contact-preferences-state.v1': ContactPreferencesStateSchema,
  'dead-letter.v1': DeadLetterSchema,
  'identity.v1': IdentityEventSchema,
  'marketing-preference-updated.v1': MarketingPreferenceUpdatedSchema,
} as const satisfies Record<SchemaName, object>;
