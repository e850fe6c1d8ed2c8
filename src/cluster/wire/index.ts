/**
 * The cluster wire codec: how a worker's families travel to the aggregating process. Below the
 * registry, like the exposition encoders: it knows the model and nothing of processes.
 */
export { decodeSnapshot, type LabelSetFactory } from './decode.js';
export { encodeSnapshot } from './encode.js';
export { WireFormatError } from './errors.js';
export { WIRE_VERSION } from './layout.js';
