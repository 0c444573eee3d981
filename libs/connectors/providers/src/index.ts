export * from './config';
export * from './deps';
export type { ReliableProviderAdapter } from './adapter';
export { createProvider, createAdapters } from './create-provider';
export { ReliableClient } from './reliability/reliable-client';
export { Semaphore } from './reliability/semaphore';
export type {
  Authenticator,
  AuthResult,
  CallOptions,
  CallResult,
  ReliableClientOptions,
} from './reliability/reliable-client';
export { sendOnce, networkErrorCode, type HttpAttempt, type SendOptions } from './http/send';
export { ATTENTIVE_DEFAULT_TOKEN_PATH } from './attentive/attentive-adapter';
export {
  createConfirmationMailAdapter,
  type ConfirmationMailConfig,
} from './sendgrid/confirmation-mail-adapter';
