export * from './identity-view';
