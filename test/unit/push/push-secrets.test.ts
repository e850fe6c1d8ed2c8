import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import {
  isPushConfigError,
  PushConfigError,
  PushError,
  Pusher,
  type PusherOptions,
} from '../../../src/push/index.js';
import { freePort } from '../../helpers/processes.js';
import { stub } from '../../helpers/push-stub.js';

const base = 'http://127.0.0.1:9091';

/** The PushConfigError `options` cause; neither it nor anything inspect shows of it holds a secret. */
function refusal(options: PusherOptions, secrets: readonly string[]): PushConfigError {
  let caught: unknown;
  try {
    new Pusher(options);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof PushConfigError && isPushConfigError(caught), `got ${String(caught)}`);
  const shown = inspect(caught, { depth: 5 });
  for (const secret of secrets) assert.ok(!shown.includes(secret), `"${secret}" appears in ${shown}`);
  return caught;
}

describe('Pusher configuration errors never repeat credentials', () => {
  test('a URL with credentials and a bad scheme or a query is shown redacted', () => {
    assert.equal(
      refusal({ url: 'ftp://ops:s3cret@gw', job: 'j' }, ['ops', 's3cret']).message,
      'the Pushgateway URL must be http or https (got "ftp://***@gw")',
    );
    assert.equal(
      refusal({ url: 'http://ops:s3cret@gw/?token=t0k', job: 'j' }, ['ops', 's3cret', 't0k']).message,
      'the Pushgateway URL must not have a query or fragment (got http://***@gw/?…)',
    );
  });

  test('a URL that does not parse is quoted without its userinfo', () => {
    assert.equal(
      refusal({ url: 'http://ops:s3cret@gw:99999', job: 'j' }, ['ops', 's3cret']).message,
      'invalid Pushgateway URL "http://***@gw:99999"',
    );
    // A "/" or "?" in the password ends the authority early for a parser; everything up to the last "@" goes.
    assert.equal(
      refusal({ url: 'http://ops:s3/c?ret@gw:1:2', job: 'j' }, ['ops', 's3', 'c?ret']).message,
      'invalid Pushgateway URL "http://***@gw:1:2"',
    );
    assert.equal(
      refusal({ url: 'ops:s3cret@gw with space', job: 'j' }, ['ops', 's3cret']).message,
      'the Pushgateway URL must be http or https (got "***@gw with space")',
    );
  });

  test('a malformed percent-escape in the URL password is a PushConfigError, not a URIError', () => {
    assert.equal(
      refusal({ url: 'http://ops:Zq9%zz@gw', job: 'j' }, ['ops', 'Zq9%zz', 'Zq9']).message,
      'the password in the Pushgateway URL http://***@gw/ has a malformed percent-escape (a "%" must be followed by two hex digits; write a literal "%" as %25)',
    );
    assert.match(
      refusal({ url: 'http://o%E0%A4ps:pw@gw', job: 'j' }, ['o%E0', 'pw']).message,
      /^the username in the Pushgateway URL http:\/\/\*\*\*@gw\/ has a malformed percent-escape/,
    );
  });

  test('a bearer token with CR or LF is refused without the token', () => {
    assert.equal(
      refusal({ url: base, job: 'j', bearerToken: 'tok-9\r\nX-Injected: 1' }, ['tok-9', 'Injected']).message,
      'bearerToken contains CR or LF at index 5; the value is not shown',
    );
    refusal({ url: base, job: 'j', bearerToken: 'tok-9\n' }, ['tok-9']);
    refusal({ url: base, job: 'j', bearerToken: 'tok\u0000-9' }, ['tok']);
    refusal({ url: base, job: 'j', bearerToken: ' tok-9' }, ['tok-9']);
    refusal({ url: base, job: 'j', bearerToken: 'tök€' }, ['tök']);
    assert.match(
      refusal({ url: base, job: 'j', bearerToken: '' }, []).message,
      /bearerToken must not be empty/,
    );
  });

  test('a header value with CR, LF, a control character or a character above U+00FF is refused without the value', () => {
    const bad = ['key-42\n', 'key-42\r\nX-Evil: 1', 'key-42\u0007', 'key-42 ', 'key-42€'];
    for (const value of bad) {
      const message = refusal({ url: base, job: 'j', headers: { 'X-Api-Key': value } }, [
        'key-42',
        'Evil',
      ]).message;
      assert.match(message, /^the value of header "X-Api-Key" (contains|has) .*; the value is not shown$/);
    }
  });

  test('basic-auth credentials with control characters, or a ":" in the username, are refused without them', () => {
    assert.equal(
      refusal({ url: base, job: 'j', basicAuth: { username: 'ops', password: 'pw-7\r\n' } }, ['pw-7'])
        .message,
      'basicAuth: the password contains a control character (such as CR or LF), which basic auth does not allow; the value is not shown',
    );
    assert.match(
      refusal({ url: base, job: 'j', basicAuth: { username: 'o:ps', password: 'pw-7' } }, ['o:ps', 'pw-7'])
        .message,
      /^basicAuth: the username contains ":"/,
    );
    assert.match(
      refusal({ url: 'http://ops:pw-7%0D%0A@gw', job: 'j' }, ['ops', 'pw-7']).message,
      /^the credentials in the Pushgateway URL http:\/\/\*\*\*@gw\/: the password contains a control character/,
    );
  });

  test('bad header names, duplicate headers and two kinds of authentication are refused', () => {
    assert.equal(
      refusal({ url: base, job: 'j', headers: { 'X Api': 'v' } }, []).message,
      'invalid header name "X Api": it must be an HTTP token',
    );
    assert.equal(
      refusal({ url: base, job: 'j', headers: { 'X-A': '1', 'x-a': '2' } }, []).message,
      'the header "x-a" is given twice',
    );
    assert.match(
      refusal({ url: base, job: 'j', headers: { Authorization: 'Bearer t0k' }, bearerToken: 'other' }, [
        't0k',
        'other',
      ]).message,
      /^give only one of basicAuth, bearerToken, credentials in the URL and an Authorization header$/,
    );
  });

  test('Latin-1 header values and UTF-8 basic-auth credentials are sent as given', async (t) => {
    const { base: url, received } = await stub(t, (res) => res.end());
    await new Pusher({
      url,
      job: 'j',
      headers: { 'X-Name': 'Björn\tB' },
      basicAuth: { username: 'ö', password: 'p€ w' },
    }).delete();
    assert.equal(received[0]!.headers['x-name'], 'Björn\tB');
    assert.equal(received[0]!.headers.authorization, `Basic ${Buffer.from('ö:p€ w').toString('base64')}`);
  });

  test('a refusal that echoes the request does not carry the credentials into the error', async (t) => {
    const { base: url, received } = await stub(t, (res, i) => {
      res.statusCode = 400;
      const auth = received[i]!.headers.authorization ?? '';
      const decoded = Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString();
      res.end(
        `bad request; you sent Authorization: ${auth} (${decoded}), key ${received[i]!.headers['x-api-key']}`,
      );
    });
    const cases: [PusherOptions, string[]][] = [
      [{ url, job: 'j', bearerToken: 'Tk-echo-77' }, ['Tk-echo-77']],
      [{ url, job: 'j', basicAuth: { username: 'ops', password: 'Pw-echo-88' } }, ['Pw-echo-88', 'b3BzOlB3']],
      [{ url: url.replace('//', '//ops:Pw-echo-99@'), job: 'j' }, ['Pw-echo-99', 'b3BzOlB3']],
      [{ url, job: 'j', headers: { authorization: 'Token Hd-echo-66' } }, ['Hd-echo-66']],
      [
        { url, job: 'j', headers: { 'X-Api-Key': 'Ak-echo-55', authorization: 'Ak-echo-44' } },
        ['Ak-echo-55', 'Ak-echo-44'],
      ],
    ];
    for (const [options, secrets] of cases) {
      const error = await new Pusher(options).delete().then(
        () => assert.fail('expected a rejection'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof PushError, String(error));
      assert.match(error.body, /^bad request; you sent Authorization: (\S+ )?\*\*\* \(/);
      const shown = inspect(error, { depth: 5 });
      for (const secret of secrets) assert.ok(!shown.includes(secret), `"${secret}" appears in ${shown}`);
    }
  });

  test('a failed request names the URL without its credentials', async () => {
    const port = await freePort();
    const pusher = new Pusher({ url: `http://ops:s3cret@127.0.0.1:${port}`, job: 'j' });
    const error = await pusher.delete().then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => e,
    );
    const shown = inspect(error, { depth: 5 });
    assert.match(shown, /PushRequestError: DELETE http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/j failed/);
    assert.ok(!shown.includes('s3cret') && !shown.includes('ops'), shown);
  });
});
