export * from './verification';
export * from './sendgrid';
export * from './twilio';
export * from './optstream-api';
