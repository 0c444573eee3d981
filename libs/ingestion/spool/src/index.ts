export * from './durable-spool';
export * from './spool-error';
export * from './spool-options';
export * from './spool-record';
export * from './spool-warning';
export * from './spool-lock';
