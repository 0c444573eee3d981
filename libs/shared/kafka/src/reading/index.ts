export * from './reader';
export * from './bounded-read';
export * from './decode-record';
