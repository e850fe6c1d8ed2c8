/**
 * The grouping key and the Pushgateway URL path it becomes:
 * `/metrics/job/<job>{/<name>/<value>}`, names sorted.
 */

import { isValidLabelName } from '../model/labels.js';
import { escapeName, isLegacyLabelName } from '../model/names.js';
import { base64url } from './base64.js';
import { PushConfigError } from './errors.js';

/** A grouping key: label names (besides `job`) and values that identify a group. */
export type GroupingKey = Readonly<Record<string, string>>;

/**
 * Checks the job and grouping key, and returns the key's names sorted. Names must be non-empty,
 * well-formed strings without the reserved `__` prefix; `job` belongs in the `job` option.
 */
export function validateGrouping(job: unknown, groupingKey: GroupingKey): string[] {
  if (typeof job !== 'string' || job === '' || !job.isWellFormed()) {
    throw new PushConfigError(
      `the job name must be a non-empty, well-formed string (got ${JSON.stringify(job)})`,
    );
  }
  const names = Object.keys(groupingKey).sort();
  for (const name of names) {
    if (!isValidLabelName(name) || name.startsWith('__')) {
      throw new PushConfigError(
        `invalid grouping-key label name ${JSON.stringify(name)}: it must be a non-empty, well-formed string and not start with "__"`,
      );
    }
    if (name === 'job') {
      throw new PushConfigError(
        'the grouping key must not contain "job"; pass the job name in the job option',
      );
    }
    const value: unknown = groupingKey[name];
    if (typeof value !== 'string' || !value.isWellFormed()) {
      throw new PushConfigError(
        `grouping-key label ${JSON.stringify(name)} must have a well-formed string value (got ${JSON.stringify(value)})`,
      );
    }
  }
  return names;
}

/** The path below the gateway's base URL: `/metrics/job/<job>` then `/<name>/<value>` per sorted name. */
export function groupingPath(job: string, groupingKey: GroupingKey, sortedNames: readonly string[]): string {
  let path = `/metrics/${segment('job', job)}`;
  for (const name of sortedNames) path += `/${segment(name, groupingKey[name]!)}`;
  return path;
}

/**
 * `name/value` for one label. Every value must come out of the URL parser and the gateway's router
 * exactly as given, so the values that would not survive as a percent-encoded path segment are
 * sent as `name@base64/<URL-safe base64>` instead:
 * - the empty value (written `=`): an empty segment breaks the gateway's name/value pairing;
 * - a value containing `/`: the gateway decodes the path before it splits it at `/`;
 * - `.` and `..`: the URL parser removes such dot segments, which retargets the push to another
 *   group (a DELETE for `instance: '..'` would remove the job's group without grouping labels).
 *   encodeURIComponent keeps dots, and it turns `%` into `%25`, so no other value becomes one of
 *   the parser's encoded dot segments (`%2e`).
 * Other values are percent-encoded with encodeURIComponent, not a query escape, because the
 * gateway would read a `+` as a literal plus.
 * A label name outside the legacy set goes in the gateway's "values" escaping (`U__my_2e_label`), which
 * a gateway started with `--push.enable-utf8-names` decodes back to the UTF-8 name.
 */
function segment(label: string, value: string): string {
  const name = groupingPathName(label);
  if (value === '') return `${name}@base64/=`;
  if (value === '.' || value === '..' || value.includes('/')) {
    return `${name}@base64/${base64url(value)}`;
  }
  return `${name}/${encodeURIComponent(value)}`;
}

/** A grouping label name as the path carries it: UTF-8 names in the gateway's "values" escaping. */
export function groupingPathName(label: string): string {
  return isLegacyLabelName(label) ? label : escapeName(label, 'values');
}
