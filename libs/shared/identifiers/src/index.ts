export * from './blocked-values';
