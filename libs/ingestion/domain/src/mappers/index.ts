export * from './map-result';
export * from './sendgrid';
export * from './twilio-sms';
export * from './mailchimp';
export * from './segment';
export * from './optstream-api';
export * from './preference-link';
