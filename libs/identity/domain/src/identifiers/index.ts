export * from './identifier';
export * from './blocked';
