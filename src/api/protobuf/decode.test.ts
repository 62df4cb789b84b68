import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import './fixture-types.ts';
import { testApiVersion } from './fixture-types.ts';
import { decodeKubernetesProtobuf } from './decode.ts';
import { bool, bytesField, concat, double, entry, envelope, int, msg, packed, str, stringEntry } from './test-encoder.ts';
import { StatusError } from '../../machinery/status.ts';

const body = (kind: string, ...fields: Uint8Array[]) => envelope(testApiVersion, kind, concat(...fields));
const empty = new Uint8Array(0);
/** ObjectMeta as Go writes it: every non-pointer string, a zero creationTimestamp. */
const meta = (name: string, ...extra: Uint8Array[]) =>
  msg(1, str(1, name), str(2, ''), str(3, ''), str(5, ''), str(6, ''), int(7, 0), msg(8), ...extra);

function badRequestOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected a StatusError, got ${String(e)}`);
    assert.equal(e.code, 400);
    return e.message;
  }
  assert.fail('expected an error');
}

describe('decodeKubernetesProtobuf', () => {
  it('decodes a Deployment as kubectl create deployment sends it', () => {
    const labels = stringEntry(11, 'app', 'web');
    const container = msg(2, str(1, 'nginx'), str(2, 'nginx:1.27'), msg(8), str(14, ''));
    const spec = msg(
      2,
      int(1, 3),
      msg(2, stringEntry(1, 'app', 'web')),
      msg(3, meta('', labels), msg(2, container, str(3, ''))),
      msg(4, str(1, '')),
      int(5, 0),
      bool(7, false),
    );
    const obj = decodeKubernetesProtobuf(body('Deployment', meta('web', labels), spec, msg(3)));
    assert.deepEqual(obj, {
      apiVersion: testApiVersion,
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', resources: {} }] } },
        strategy: {},
      },
      status: {},
    });
  });

  it('decodes a ConfigMap with string and binary data, keeping empty values', () => {
    const obj = decodeKubernetesProtobuf(
      body('ConfigMap', meta('cfg'), stringEntry(2, 'a', '1'), stringEntry(2, 'empty', ''), entry(3, 'bin', bytesField(2, new Uint8Array([0, 1, 2, 255])))),
    );
    assert.deepEqual(obj['data'], { a: '1', empty: '' });
    assert.deepEqual(obj['binaryData'], { bin: 'AAEC/w==' });
  });

  it('decodes Secret data bytes to base64', () => {
    const obj = decodeKubernetesProtobuf(
      body('Secret', meta('s'), entry(2, 'password', bytesField(2, new TextEncoder().encode('hunter2'))), str(3, 'Opaque')),
    );
    assert.deepEqual(obj['data'], { password: Buffer.from('hunter2').toString('base64') });
    assert.equal(obj['type'], 'Opaque');
    assert.equal(obj.metadata.name, 's');
  });

  it('decodes a Namespace with an empty spec and a Job with negative and repeated values', () => {
    const ns = decodeKubernetesProtobuf(body('Namespace', meta('team-a'), msg(2)));
    assert.deepEqual(ns, { apiVersion: testApiVersion, kind: 'Namespace', metadata: { name: 'team-a' }, spec: {} });

    const container = msg(2, str(1, 'pi'), str(2, 'perl'), str(3, 'perl'), str(3, '-e'), str(3, ''), str(4, 'x'));
    const job = decodeKubernetesProtobuf(body('Job', meta('pi'), msg(2, int(1, -1), msg(6, msg(1), msg(2, container, str(3, 'Never'))), int(7, 4))));
    const spec = job['spec'] as Record<string, unknown>;
    assert.equal(spec['parallelism'], -1, 'a negative int32 travels as a 10-byte varint');
    assert.equal(spec['backoffLimit'], 4);
    assert.deepEqual(spec['template'], {
      metadata: {},
      spec: { containers: [{ name: 'pi', image: 'perl', command: ['perl', '-e', ''], args: ['x'] }], restartPolicy: 'Never' },
    });
  });

  it('decodes Service targetPort as a number or a string', () => {
    const port = (target: Uint8Array) => msg(1, str(1, ''), str(2, 'TCP'), int(3, 80), msg(4, ...[target].flat()), int(5, 0));
    const obj = decodeKubernetesProtobuf(
      body(
        'Service',
        meta('web'),
        msg(2, port(concat(int(1, 0), int(2, 8080), str(3, ''))), port(concat(int(1, 1), int(2, 0), str(3, 'http'))), stringEntry(2, 'app', 'web'), str(4, 'ClusterIP')),
      ),
    );
    assert.deepEqual(obj['spec'], {
      ports: [
        { protocol: 'TCP', port: 80, targetPort: 8080 },
        { protocol: 'TCP', port: 80, targetPort: 'http' },
      ],
      selector: { app: 'web' },
      type: 'ClusterIP',
    });
  });

  it('decodes a ServiceAccount keeping an explicit false', () => {
    const obj = decodeKubernetesProtobuf(body('ServiceAccount', meta('robot'), msg(2, str(1, 'Secret'), str(3, 'tok')), bool(4, false)));
    assert.deepEqual(obj['secrets'], [{ kind: 'Secret', name: 'tok' }]);
    assert.equal(obj['automountServiceAccountToken'], false);
  });

  it('decodes a CronJob with a nested job template', () => {
    const podSpec = msg(2, msg(2, str(1, 'c'), str(2, 'busybox')), str(3, 'OnFailure'));
    const obj = decodeKubernetesProtobuf(
      body('CronJob', meta('tick'), msg(2, str(1, '*/1 * * * *'), bool(4, false), msg(5, meta(''), msg(2, msg(6, msg(1), podSpec))))),
    );
    const spec = obj['spec'] as Record<string, unknown>;
    assert.equal(spec['schedule'], '*/1 * * * *');
    assert.equal(spec['suspend'], false);
    assert.deepEqual(spec['jobTemplate'], {
      metadata: {},
      spec: { template: { metadata: {}, spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'OnFailure' } } },
    });
    assert.equal('timeZone' in spec, false);
  });

  it('decodes times, micro times, quantities, raw JSON and packed lists', () => {
    const managed = msg(17, str(1, 'kubectl'), str(2, 'Update'), msg(4, int(1, 1795687200)), str(6, 'FieldsV1'), msg(7, str(1, '{"f:data":{}}')));
    const created = msg(8, int(1, 1795687200), int(2, 999));
    const obj = decodeKubernetesProtobuf(
      body(
        'Event',
        msg(1, str(1, 'e'), created, managed),
        msg(2, int(1, 1795687200), int(2, 123456789)),
        msg(3, str(1, '{"a":[1,"b"]}')),
        packed(4, [1, 2, 300]),
        int(4, 7),
      ),
    );
    assert.equal(obj.metadata.creationTimestamp, '2026-11-26T10:00:00Z', 'Time keeps seconds only');
    assert.deepEqual(obj.metadata.managedFields, [
      { manager: 'kubectl', operation: 'Update', time: '2026-11-26T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } },
    ]);
    assert.equal(obj['eventTime'], '2026-11-26T10:00:00.123456Z');
    assert.deepEqual(obj['payload'], { a: [1, 'b'] });
    assert.deepEqual(obj['ratios'], [1, 2, 300, 7], 'packed and unpacked occurrences both append');
  });

  it('decodes quantities in maps and skips unknown fields and doubles', () => {
    const container = msg(2, str(1, 'c'), msg(8, entry(1, 'cpu', msg(2, str(1, '500m'))), entry(2, 'memory', msg(2, str(1, '64Mi')))), double(99, 1.5), str(98, 'x'));
    const obj = decodeKubernetesProtobuf(body('Deployment', meta('q'), msg(2, msg(3, msg(2, container)))));
    const tpl = (obj['spec'] as { template: { spec: { containers: unknown[] } } }).template;
    assert.deepEqual(tpl.spec.containers, [{ name: 'c', resources: { limits: { cpu: '500m' }, requests: { memory: '64Mi' } } }]);
  });

  it('keeps map keys named like inherited properties as keys', () => {
    const obj = decodeKubernetesProtobuf(body('ConfigMap', meta('cfg', stringEntry(11, 'constructor', 'l')), stringEntry(2, '__proto__', 'p'), stringEntry(2, 'toString', 't')));
    assert.deepEqual(Object.entries(obj['data'] as object), [['__proto__', 'p'], ['toString', 't']]);
    assert.equal(Object.getPrototypeOf(obj['data']), Object.prototype);
    assert.deepEqual(Object.entries(obj.metadata.labels ?? {}), [['constructor', 'l']]);
  });

  it('rejects bodies without the magic, truncated or of unknown kinds with 400s', () => {
    assert.match(badRequestOf(() => decodeKubernetesProtobuf(new TextEncoder().encode('{"kind":"Pod"}'))), /missing the "k8s\\x00" prefix/);
    const good = body('ConfigMap', meta('cfg'), stringEntry(2, 'a', '1'));
    assert.match(badRequestOf(() => decodeKubernetesProtobuf(good.subarray(0, good.length - 3))), /truncated/);
    assert.match(badRequestOf(() => decodeKubernetesProtobuf(envelope('v1', 'Nope', empty))), /no kind "Nope" is registered for version "v1"/);
    assert.match(badRequestOf(() => decodeKubernetesProtobuf(envelope(testApiVersion, '', empty))), /Kind/);
    assert.match(badRequestOf(() => decodeKubernetesProtobuf(body('ConfigMap', int(1, 5)))), /unexpected wire type 0/);
    assert.match(badRequestOf(() => decodeKubernetesProtobuf(envelope(testApiVersion, 'ConfigMap', empty, str(3, 'gzip')))), /contentEncoding "gzip"/);
    assert.match(badRequestOf(() => decodeKubernetesProtobuf(body('Event', msg(3, str(1, '{nope'))))), /invalid JSON/);
  });

  it('rejects hostile nesting without overflowing the stack', () => {
    let inner: Uint8Array = str(1, '{"a":1}');
    for (let i = 0; i < 300; i++) inner = msg(3, msg(1, envelope(testApiVersion, 'Event', inner)));
    assert.match(badRequestOf(() => decodeKubernetesProtobuf(envelope(testApiVersion, 'Event', inner))), /nesting deeper than 100/);
  });

  it('answers only 400s to random input (fuzz)', () => {
    const good = body('Deployment', meta('web', stringEntry(11, 'app', 'web')), msg(2, int(1, 3), msg(3, msg(2, msg(2, str(1, 'c'))))));
    const check = (bytes: Uint8Array) => {
      try {
        decodeKubernetesProtobuf(bytes);
      } catch (e) {
        if (!(e instanceof StatusError) || e.code !== 400) throw e;
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => check(b)), { numRuns: 2000 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => check(concat(good.subarray(0, 4), b))), { numRuns: 2000 });
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(good.length), (at, v, cut) => {
        const m = good.slice(0, Math.max(cut, 5));
        if (at < m.length) m[at] = v;
        check(m);
      }),
      { numRuns: 3000 },
    );
  });
});
