/** Exhaustiveness guard: a `switch` over a closed union ends here, so a new member fails to compile. */
export const assertNever = (value: never): never => {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
};
