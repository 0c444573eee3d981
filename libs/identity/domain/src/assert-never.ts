/** Compile-time exhaustiveness: a new union member fails the build at every switch that forgot it. */
export const assertNever = (value: never, what: string): never => {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
};
