export * from './database';
export * from './queryable';
export * from './delivery-log';
export * from './parking-lot';
export * from './erasure-log';
