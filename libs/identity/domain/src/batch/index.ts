export * from './decide-batch';
