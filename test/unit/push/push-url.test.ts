import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { labelSet, type MetricFamily } from '../../../src/index.js';
import { isPushConfigError, PushConfigError, Pusher } from '../../../src/push/index.js';

const base = 'http://127.0.0.1:9091';

describe('Pusher URL', () => {
  test('puts the job first and the grouping key in sorted order', () => {
    const p = new Pusher({
      url: base,
      job: 'backup',
      groupingKey: { zone: 'eu', instance: 'db-1', app: 'x' },
    });
    assert.equal(p.url, 'http://127.0.0.1:9091/metrics/job/backup/app/x/instance/db-1/zone/eu');
  });

  test('encodes a value containing "/" as URL-safe base64 without padding', () => {
    const p = new Pusher({ url: base, job: 'j', groupingKey: { path: '/var/tmp', odd: '/~~~' } });
    assert.equal(p.url, `${base}/metrics/job/j/odd@base64/L35-fg/path@base64/L3Zhci90bXA`);
  });

  test('sends a grouping label name outside the legacy set in the gateway\'s "values" escaping', () => {
    const p = new Pusher({ url: base, job: 'j', groupingKey: { 'dc.name': 'eu/1', zone: 'a' } });
    assert.equal(p.url, `${base}/metrics/job/j/U__dc_2e_name@base64/ZXUvMQ/zone/a`);
  });

  test('writes an empty value as base64 "="', () => {
    const p = new Pusher({ url: base, job: 'j', groupingKey: { instance: '' } });
    assert.equal(p.url, `${base}/metrics/job/j/instance@base64/=`);
  });

  test('percent-encodes spaces, plus signs and non-ASCII text', () => {
    const p = new Pusher({
      url: base,
      job: 'my job',
      groupingKey: { a: 'x+y', b: 'Björn 佖', c: "it's?#%" },
    });
    assert.equal(p.url, `${base}/metrics/job/my%20job/a/x%2By/b/Bj%C3%B6rn%20%E4%BD%96/c/it's%3F%23%25`);
  });

  test('encodes a job containing "/" as base64 too', () => {
    assert.equal(new Pusher({ url: base, job: 'a/b' }).url, `${base}/metrics/job@base64/YS9i`);
    assert.equal(
      new Pusher({ url: base, job: 'j', groupingKey: { k: 'ü/ß' } }).url,
      `${base}/metrics/job/j/k@base64/w7wvw58`,
    );
  });

  test('sends dot-segment values as base64, so the URL parser cannot remove them', () => {
    assert.equal(
      new Pusher({ url: base, job: 'nightly', groupingKey: { instance: '..' } }).url,
      `${base}/metrics/job/nightly/instance@base64/Li4`,
    );
    assert.equal(
      new Pusher({ url: base, job: 'nightly', groupingKey: { instance: '.' } }).url,
      `${base}/metrics/job/nightly/instance@base64/Lg`,
    );
    assert.equal(new Pusher({ url: base, job: '..' }).url, `${base}/metrics/job@base64/Li4`);
    assert.equal(new Pusher({ url: base, job: '.' }).url, `${base}/metrics/job@base64/Lg`);
  });

  test('values that only look like dot segments or base64 stay percent-encoded', () => {
    const p = new Pusher({
      url: base,
      job: '...',
      groupingKey: { a: '%2e%2e', b: '.%2E', c: '@base64', d: 'Li4', e: '=' },
    });
    assert.equal(p.url, `${base}/metrics/job/.../a/%252e%252e/b/.%252E/c/%40base64/d/Li4/e/%3D`);
  });

  test('property: the URL parser keeps every segment, and the gateway reads back exactly the job and key', () => {
    const awkward = fc.constantFrom(
      '.',
      '..',
      '...',
      '',
      '/',
      '//',
      './',
      '/..',
      '%',
      '%2e',
      '.%2e',
      '%2E%2E',
      '%2f',
      '@base64',
      'x@base64',
      'Lg',
      '=',
      '+',
      ' ',
      '\\',
      '\\..',
      '?',
      '#',
      ';',
      'ü',
      '佖',
      '😀',
      '\t',
      '\n',
    );
    const value = fc
      .oneof(
        awkward,
        fc.string({ unit: 'grapheme', maxLength: 6 }),
        fc.string({ unit: 'binary', maxLength: 6 }),
      )
      .filter((v) => v.isWellFormed());
    const labelName = fc
      .stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,6}$/)
      .filter((n) => !n.startsWith('__') && n !== 'job');
    const prefix = fc.constantFrom('', '/pg', '/a/b/');
    fc.assert(
      fc.property(
        value.filter((v) => v !== ''),
        fc.dictionary(labelName, value, { maxKeys: 4 }),
        prefix,
        (job, groupingKey, pathPrefix) => {
          const pusher = new Pusher({ url: `${base}${pathPrefix}`, job, groupingKey });
          const parsed = new URL(pusher.url);
          assert.equal(parsed.href, pusher.url, 'the URL changes when parsed again');
          const read = readGroupingPath(parsed.pathname.slice(pathPrefix.replace(/\/$/, '').length));
          assert.deepEqual(read, { job, groupingKey: { ...groupingKey } });
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('keeps a path prefix of the base URL, with or without a trailing slash', () => {
    assert.equal(
      new Pusher({ url: 'https://proxy.example/pushgateway', job: 'j' }).url,
      'https://proxy.example/pushgateway/metrics/job/j',
    );
    assert.equal(
      new Pusher({ url: 'https://proxy.example/pg/', job: 'j', groupingKey: { i: '1' } }).url,
      'https://proxy.example/pg/metrics/job/j/i/1',
    );
  });

  test('the path option replaces the group path and keeps the prefix', () => {
    const p = new Pusher({ url: 'http://vm:8428/prefix', job: 'j', path: '/api/v1/import/prometheus' });
    assert.equal(p.url, 'http://vm:8428/prefix/api/v1/import/prometheus');
  });

  test('takes credentials out of the URL', () => {
    const p = new Pusher({ url: 'http://user:p%40ss@gw:9091', job: 'j' });
    assert.equal(p.url, 'http://gw:9091/metrics/job/j');
  });
});

describe('Pusher options validation', () => {
  const refuses = (options: ConstructorParameters<typeof Pusher>[0], message: RegExp): void => {
    assert.throws(
      () => new Pusher(options),
      (e: unknown) => {
        assert.ok(e instanceof PushConfigError);
        assert.ok(isPushConfigError(e));
        assert.equal(e.name, 'PushConfigError');
        assert.match(e.message, message);
        return true;
      },
    );
  };

  test('refuses an empty job', () => {
    refuses({ url: base, job: '' }, /^the job name must be a non-empty, well-formed string \(got ""\)$/);
  });

  test('refuses empty and ill-formed grouping-key names', () => {
    refuses({ url: base, job: 'j', groupingKey: { '': 'x' } }, /invalid grouping-key label name ""/);
    refuses({ url: base, job: 'j', groupingKey: { 'a\uD800': 'x' } }, /invalid grouping-key label name/);
  });

  test('refuses the reserved "__" prefix', () => {
    refuses({ url: base, job: 'j', groupingKey: { __name__: 'x' } }, /"__name__".*not start with "__"/);
  });

  test('refuses "job" in the grouping key', () => {
    refuses({ url: base, job: 'j', groupingKey: { job: 'x' } }, /must not contain "job"/);
  });

  test('refuses a value with a lone surrogate', () => {
    refuses(
      { url: base, job: 'j', groupingKey: { a: '\ud800' } },
      /grouping-key label "a" must have a well-formed/,
    );
  });

  test('refuses bad URLs', () => {
    refuses({ url: 'not a url', job: 'j' }, /invalid Pushgateway URL "not a url"/);
    refuses({ url: 'ftp://gw', job: 'j' }, /must be http or https/);
    refuses({ url: 'http://gw/?x=1', job: 'j' }, /must not have a query/);
  });

  test('refuses more than one kind of authentication', () => {
    refuses(
      { url: base, job: 'j', bearerToken: 't', basicAuth: { username: 'u', password: 'p' } },
      /only one of basicAuth, bearerToken/,
    );
  });

  test('refuses bad timeout and retry settings', () => {
    refuses({ url: base, job: 'j', timeoutMs: 0 }, /timeoutMs must be a positive finite number \(got 0\)/);
    refuses({ url: base, job: 'j', retries: 1.5 }, /retries must be a non-negative integer \(got 1.5\)/);
    refuses({ url: base, job: 'j', retryDelayMs: -1 }, /retryDelayMs must be a positive/);
  });

  test('refuses a path that does not start with "/"', () => {
    refuses({ url: base, job: 'j', path: 'api' }, /the path option must start with "\/"/);
    refuses(
      { url: base, job: 'j', path: '/api/v1/import?token=x' },
      /^the path option must not contain a query or fragment \("\?" or "#"\)$/,
    );
  });

  test('replace and delete are refused when pushing to a path', async () => {
    const p = new Pusher({ url: base, job: 'j', path: '/api/v1/import/prometheus' });
    const families: MetricFamily[] = [
      { name: 'g', help: '', type: 'gauge', points: [{ labels: labelSet(), value: 1 }] },
    ];
    await assert.rejects(p.replace(families), /replace needs a Pushgateway group.*only add is available/);
    await assert.rejects(p.delete(), /^PushConfigError: delete needs a Pushgateway group/);
  });
});

/**
 * Reads a group path the way the Pushgateway does: the whole path is percent-decoded first, then
 * split at `/` into name/value pairs; a name ending in `@base64` takes a URL-safe base64 value
 * (padding optional, `=` alone for the empty value).
 */
function readGroupingPath(path: string): { job: string; groupingKey: Record<string, string> } {
  const decoded = decodeURIComponent(path);
  assert.ok(decoded.startsWith('/metrics/'), `path ${path} is not below /metrics/`);
  const parts = decoded.slice('/metrics/'.length).split('/');
  assert.equal(parts.length % 2, 0, `odd number of segments in ${path}`);
  const labels: Record<string, string> = {};
  for (let i = 0; i < parts.length; i += 2) {
    const [rawName, rawValue] = [parts[i]!, parts[i + 1]!];
    const base64 = rawName.endsWith('@base64');
    const name = base64 ? rawName.slice(0, -'@base64'.length) : rawName;
    assert.ok(!(name in labels), `label ${name} given twice in ${path}`);
    if (base64) {
      const text = rawValue.replace(/=+$/, '');
      assert.match(text, /^[A-Za-z0-9_-]*$/, `bad base64 in ${path}`);
      labels[name] = Buffer.from(text, 'base64url').toString('utf8');
    } else {
      assert.notEqual(rawValue, '', `empty value segment in ${path}`);
      labels[name] = rawValue;
    }
  }
  const { job, ...groupingKey } = labels;
  assert.ok(job !== undefined && job !== '', `no job in ${path}`);
  return { job, groupingKey };
}
