/** Types for the `snappyjs` package (it ships none): the parts the tests and benchmarks use. */
declare module 'snappyjs' {
  export function compress(input: Uint8Array): Uint8Array;
  export function uncompress(input: Uint8Array): Uint8Array;
}
