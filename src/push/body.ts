/**
 * The request body of a push, in one of the two formats the Pushgateway parses. OpenMetrics is
 * never sent: the gateway would read it as text 0.0.4 and fail on `# EOF`.
 *
 * Metric and label names outside the legacy character set are sent in the `underscores`
 * escaping (`http.method` as `http_method`), in both formats. A gateway that does not run with
 * `--push.enable-utf8-names` (older ones, 1.5 for example, have no such flag) refuses a UTF-8
 * name in text and in protobuf alike, whatever `escaping=` the Content-Type names (400 "invalid
 * metric name" or "a label with an invalid name"), and a push cannot ask a gateway which kind it
 * is, so the escaped names are the ones every gateway stores.
 */

import { PROTOBUF_CONTENT_TYPE } from '../exposition/negotiate.js';
import { renderProtobuf } from '../exposition/protobuf.js';
import { renderText, TEXT_CONTENT_TYPE } from '../exposition/text.js';
import type { MetricFamily } from '../model/family.js';
import type { EscapingScheme } from '../model/names.js';

/**
 * The body format of a push: `protobuf` is the delimited MetricFamily stream (the only one that
 * carries native histograms), `text` the Prometheus text format 0.0.4.
 */
export type PushFormat = 'protobuf' | 'text';

export interface PushBody {
  readonly body: string | Uint8Array;
  readonly contentType: string;
}

/** How names outside the legacy character set are written into a push body. */
export const PUSH_ESCAPING: EscapingScheme = 'underscores';

export function encodeBody(families: readonly MetricFamily[], format: PushFormat): PushBody {
  switch (format) {
    case 'protobuf':
      return { body: renderProtobuf(families, PUSH_ESCAPING), contentType: PROTOBUF_CONTENT_TYPE };
    case 'text':
      return { body: renderText(families, PUSH_ESCAPING), contentType: TEXT_CONTENT_TYPE };
  }
}
