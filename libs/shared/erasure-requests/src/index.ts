export * from './erasure-request';
