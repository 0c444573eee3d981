/** The local stack as a library, for tests that need a stack of their own (fault and lifecycle tests). */
export * from './settings';
export * from './stack';
export * from './chromium';
