export * from './identifiers';
export * from './view';
export * from './ids';
export * from './decide';
export * from './evolve';
export * from './decider';
export * from './batch';
