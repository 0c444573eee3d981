export * from './http-error';
export * from './documented-error.filter';
