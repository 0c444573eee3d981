export * from './csv-field';
