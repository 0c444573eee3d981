export * from './topics';
export * from './generated';
