export * from './external-sorter';
export * from './fields';
export * from './line-file';
