/** Compile-time exhaustiveness for switches over closed unions and enums. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
