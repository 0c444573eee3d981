export * from './in-flight-responses';
