/** What an encoder returns: the uncompressed request and how much of the queue it holds. */
export interface EncodedBatch {
  /** The protobuf message, before compression. */
  readonly body: Uint8Array;
  /** How many series (one sample or native histogram each) it holds. */
  readonly taken: number;
  readonly exemplars: number;
}
