import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, type Any } from './test-helpers.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const cm = (): Any => ({ metadata: { name: 'cfg', namespace: 'default' }, data: { 'app.properties': 'a=1', KEY_NAME: 'x' } });

test('configmaps: valid keys pass, bad keys and oversize fail', () => {
  assert.deepEqual(check('ConfigMap', cm()), []);
  const bad = cm();
  bad['data']['a/b'] = 'x';
  bad['data']['..x'] = 'y';
  const errs = check('ConfigMap', bad);
  assert.match(errs[0] ?? '', /^data\[a\/b\]: Invalid value: "a\/b": a valid config key must consist of alphanumeric characters, '-', '_' or '\.' \(e\.g\. 'key\.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '\[-\._a-zA-Z0-9\]\+'\)$/);
  assert.equal(errs[1], `data[..x]: Invalid value: "..x": must not start with '..'`);
  const big = cm();
  big['data']['big'] = 'x'.repeat(1024 * 1024);
  assert.deepEqual(check('ConfigMap', big), ['data: Too long: may not be more than 1048576 bytes']);
});

test('immutable configmaps and secrets may not change data', () => {
  const old = { ...cm(), immutable: true };
  const next = { ...cm(), immutable: true, data: { KEY_NAME: 'changed' } };
  assert.deepEqual(check('ConfigMap', next, old), ['data: Forbidden: field is immutable when `immutable` is set']);
  assert.deepEqual(check('ConfigMap', { ...cm(), immutable: false }, { ...cm(), immutable: true }), ['immutable: Forbidden: field is immutable when `immutable` is set']);
  const s = { metadata: { name: 's', namespace: 'd' }, immutable: true, data: { a: b64('1') } };
  assert.deepEqual(check('Secret', { ...s, data: { a: b64('2') } }, s), ['data: Forbidden: field is immutable when `immutable` is set']);
});

test('secret types need their keys', () => {
  assert.deepEqual(check('Secret', { metadata: { name: 's', namespace: 'd' }, data: { password: b64('hunter2') } }), []);
  const tls = { metadata: { name: 't', namespace: 'd' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64('cert') } };
  assert.deepEqual(check('Secret', tls), ['data[tls.key]: Required value']);
  const docker = { metadata: { name: 'r', namespace: 'd' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{not json') } };
  assert.match(check('Secret', docker)[0] ?? '', /^data\[\.dockerconfigjson\]: Invalid value: "<secret contents redacted>": /);
  const ok = { metadata: { name: 'r', namespace: 'd' }, type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{"auths":{}}' } };
  assert.deepEqual(check('Secret', ok), []);
  const basic = { metadata: { name: 'b', namespace: 'd' }, type: 'kubernetes.io/basic-auth', data: {} };
  assert.deepEqual(check('Secret', basic), ['data[username]: Required value', 'data[password]: Required value']);
  const sa = { metadata: { name: 'sa', namespace: 'd' }, type: 'kubernetes.io/service-account-token' };
  assert.deepEqual(check('Secret', sa), ['metadata.annotations[kubernetes.io/service-account.name]: Required value']);
});

test('secret type is immutable', () => {
  const old = { metadata: { name: 's', namespace: 'd' }, type: 'Opaque', data: {} };
  const next = { metadata: { name: 's', namespace: 'd' }, type: 'example.com/custom', data: {} };
  assert.deepEqual(check('Secret', next, old), ['type: Invalid value: "example.com/custom": field is immutable']);
});

test('configmaps and secrets: keys named like inherited properties are ordinary keys', () => {
  const names = ['__proto__', 'constructor', 'valueOf', 'toString', 'hasOwnProperty'];
  const data = Object.fromEntries(names.map((k) => [k, 'v']));
  assert.deepEqual(check('ConfigMap', { metadata: { name: 'cfg', namespace: 'default' }, data }), []);
  // Only a key present in both is a duplicate.
  const both = { metadata: { name: 'cfg', namespace: 'default' }, data: JSON.parse('{"constructor":"v"}'), binaryData: JSON.parse('{"constructor":"dg=="}') };
  assert.deepEqual(check('ConfigMap', both), ['data[constructor]: Invalid value: "constructor": duplicate of key present in binaryData']);
  assert.deepEqual(check('Secret', { metadata: { name: 's', namespace: 'default' }, data: Object.fromEntries(names.map((k) => [k, b64('v')])) }), []);
  // A tls Secret needs tls.crt and tls.key; keys it happens to inherit do not count.
  assert.deepEqual(check('Secret', { metadata: { name: 's', namespace: 'default' }, type: 'kubernetes.io/tls', stringData: { constructor: 'x' } }), ['data[tls.crt]: Required value', 'data[tls.key]: Required value']);
});
