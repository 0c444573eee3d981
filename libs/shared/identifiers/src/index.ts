export * from './blocked-values';
export * from './external-id';
