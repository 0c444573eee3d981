export type { ResolveInbound } from './command';
export type {
  Decision,
  IdentityDecision,
  PublishIdentity,
  PublishPreference,
  ReemitPreferences,
  Rejected,
  RejectionCode,
  ResolverIdentityKind,
} from './decision';
export type { ConsentChange } from './preference';
export { isRejected } from './decision';
export { decide } from './decide';
export { reemittedEventId } from './reemit';
