/**
 * The request body of a push, in one of the two formats the Pushgateway parses. OpenMetrics is
 * never sent: the gateway would read it as text 0.0.4 and fail on `# EOF`.
 */

import { PROTOBUF_CONTENT_TYPE } from '../exposition/negotiate.js';
import { renderProtobuf } from '../exposition/protobuf.js';
import { renderText, TEXT_CONTENT_TYPE } from '../exposition/text.js';
import type { MetricFamily } from '../model/family.js';

/**
 * The body format of a push: `protobuf` is the delimited MetricFamily stream (the only one that
 * carries native histograms), `text` the Prometheus text format 0.0.4.
 */
export type PushFormat = 'protobuf' | 'text';

export interface PushBody {
  readonly body: string | Uint8Array;
  readonly contentType: string;
}

export function encodeBody(families: readonly MetricFamily[], format: PushFormat): PushBody {
  switch (format) {
    case 'protobuf':
      return { body: renderProtobuf(families), contentType: PROTOBUF_CONTENT_TYPE };
    case 'text':
      return { body: renderText(families), contentType: TEXT_CONTENT_TYPE };
  }
}
