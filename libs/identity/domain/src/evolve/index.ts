export * from './evolve';
export * from './evolve-all';
