import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  generateNameSuffix,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  nameIsDNSSubdomain,
  nameIsPathSegment,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './names.ts';
import { formatFieldError } from './status.ts';

const fmt = (errs: Parameters<typeof formatFieldError>[0][]): string[] => errs.map(formatFieldError);

test('DNS-1123 subdomain accepts dotted names and rejects upper case with the Kubernetes message', () => {
  assert.deepEqual(isDNS1123Subdomain('web.example.com'), []);
  assert.deepEqual(isDNS1123Subdomain('Web'), [
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  assert.deepEqual(isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters']);
});

test('DNS-1123 label rejects dots and long names, keeping the double space of Kubernetes', () => {
  assert.deepEqual(isDNS1123Label('kube-system'), []);
  const [msg] = isDNS1123Label('a.b');
  assert.equal(
    msg,
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  );
  assert.deepEqual(isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
});

test('DNS-1035 label must start with a letter', () => {
  assert.deepEqual(isDNS1035Label('web'), []);
  assert.match(isDNS1035Label('1web')[0] ?? '', /^a DNS-1035 label must consist/);
});

test('qualified names: prefix and name parts', () => {
  assert.deepEqual(isQualifiedName('app.kubernetes.io/name'), []);
  assert.deepEqual(isQualifiedName('app'), []);
  assert.deepEqual(isQualifiedName('/x'), ['prefix part must be non-empty']);
  assert.match(isQualifiedName('a/b/c')[0] ?? '', /^a qualified name must consist of/);
  assert.match(isQualifiedName('-bad')[0] ?? '', /^name part must consist of alphanumeric/);
  assert.deepEqual(isQualifiedName(`x/${'a'.repeat(64)}`), ['name part must be no more than 63 characters']);
});

test('label values may be empty but not start with a dash', () => {
  assert.deepEqual(isValidLabelValue(''), []);
  assert.deepEqual(isValidLabelValue('v1.2_x'), []);
  assert.match(isValidLabelValue('-x')[0] ?? '', /^a valid label must be an empty string/);
});

test('port names', () => {
  assert.deepEqual(isValidPortName('http'), []);
  assert.deepEqual(isValidPortName('80'), ['must contain at least one letter (a-z)']);
  assert.deepEqual(isValidPortName('a--b'), ['must not contain consecutive hyphens']);
});

test('generateName may end in a dash; path segments forbid slashes', () => {
  assert.deepEqual(nameIsDNSSubdomain('web-', true), []);
  assert.equal(nameIsDNSSubdomain('web-', false).length, 1);
  assert.deepEqual(nameIsPathSegment('system:admin', false), []);
  assert.deepEqual(nameIsPathSegment('a/b', false), ["may not contain '/'"]);
  assert.deepEqual(nameIsPathSegment('..', false), ["may not be '..'"]);
});

test('validateObjectMeta: a realistic object is valid', () => {
  const errs = validateObjectMeta(
    {
      name: 'web',
      namespace: 'default',
      labels: { app: 'web', 'app.kubernetes.io/version': '1.0' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1', controller: true }],
      finalizers: ['kubernetes.io/pvc-protection'],
    },
    true,
    nameIsDNSSubdomain,
  );
  assert.deepEqual(errs, []);
});

test('validateObjectMeta: each rule', () => {
  assert.deepEqual(fmt(validateObjectMeta({ namespace: 'default' }, true, nameIsDNSSubdomain)), [
    'metadata.name: Required value: name or generateName is required',
  ]);
  assert.deepEqual(fmt(validateObjectMeta({ name: 'x' }, true, nameIsDNSSubdomain)), ['metadata.namespace: Required value']);
  assert.deepEqual(fmt(validateObjectMeta({ name: 'x', namespace: 'default' }, false, nameIsDNSSubdomain)), [
    'metadata.namespace: Forbidden: not allowed on this type',
  ]);
  const labels = fmt(validateObjectMeta({ name: 'x', labels: { app: '-bad' } }, false, nameIsDNSSubdomain));
  assert.equal(labels.length, 1);
  assert.match(labels[0] ?? '', /^metadata\.labels: Invalid value: "-bad": a valid label must be/);
  const big = fmt(validateObjectMeta({ name: 'x', annotations: { a: 'x'.repeat(256 * 1024) } }, false, nameIsDNSSubdomain));
  assert.deepEqual(big, ['metadata.annotations: Too long: may not be more than 262144 bytes']);
  const owners = fmt(
    validateObjectMeta(
      {
        name: 'x',
        ownerReferences: [
          { apiVersion: 'v1', kind: 'A', name: 'a', uid: '1', controller: true },
          { apiVersion: '', kind: 'B', name: 'b', uid: '2', controller: true },
        ],
      },
      false,
      nameIsDNSSubdomain,
    ),
  );
  assert.equal(owners[0], 'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty');
  assert.match(owners[1] ?? '', /Only one reference can have Controller set to true\. Found "true" in references for A\/a and B\/b$/);
  assert.match(fmt(validateObjectMeta({ name: 'x', finalizers: ['a/b/c'] }, false, nameIsDNSSubdomain))[0] ?? '', /^metadata\.finalizers: Invalid value: "a\/b\/c"/);
});

test('validateObjectMetaUpdate: name and uid are immutable', () => {
  assert.deepEqual(validateObjectMetaUpdate({ name: 'a', uid: '1' }, { name: 'a', uid: '1' }), []);
  assert.deepEqual(fmt(validateObjectMetaUpdate({ name: 'b', uid: '2' }, { name: 'a', uid: '1' })), [
    'metadata.name: Invalid value: "b": field is immutable',
    'metadata.uid: Invalid value: "2": field is immutable',
  ]);
});

test('generateNameSuffix uses only the Kubernetes alphabet', () => {
  for (let i = 0; i < 50; i++) assert.match(generateNameSuffix(), /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
});
