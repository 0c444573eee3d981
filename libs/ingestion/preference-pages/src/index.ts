export * from './brand';
export * from './html';
export * from './messages';
export * from './center';
export * from './simple-pages';
