import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTAINERD_BIN, containerdMissing, startContainerd, writeCniConfig } from './containerd.ts';
import { containerdPaths, renderContainerdConfig } from './containerd-config.ts';
import { renderRegistryHosts, writeRegistryHosts } from './registry-hosts.ts';

const tmp = (): string => mkdtempSync('/tmp/skct-');

describe('containerd config files', () => {
  test('config.toml keeps root, state and socket under the data dir and restricts oom_score_adj', () => {
    const text = renderContainerdConfig(containerdPaths('/d/agent'), 'docker.io/skiff/pause:1');
    assert.match(text, /^root = "\/d\/agent\/containerd\/root"$/m);
    assert.match(text, /^state = "\/d\/agent\/containerd\/state"$/m);
    assert.match(text, /^\s+address = "\/d\/agent\/containerd\/containerd\.sock"$/m);
    assert.match(text, /restrict_oom_score_adj = true/);
    assert.match(text, /SystemdCgroup = false/);
    assert.match(text, /sandbox_image = "docker\.io\/skiff\/pause:1"/);
    assert.match(text, /bin_dir = "\/usr\/lib\/cni"/);
    assert.match(text, /conf_dir = "\/d\/agent\/cni"/);
    assert.match(text, /config_path = "\/d\/agent\/containerd\/certs\.d"/);
  });

  test('hosts.toml: insecure registries over http, mirrors tried before the registry', () => {
    const files = renderRegistryHosts({ insecureRegistries: ['10.0.0.5:5000', 'http://reg.local:80/'], mirrors: { 'docker.io': ['mirror.local:5000', 'http://10.0.0.5:5000'] } });
    assert.deepEqual([...files.keys()].sort(), ['10.0.0.5:5000', 'docker.io', 'reg.local:80']);
    assert.equal(files.get('10.0.0.5:5000'), 'server = "http://10.0.0.5:5000"\n\n[host."http://10.0.0.5:5000"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = true\n');
    const hub = files.get('docker.io')!;
    assert.match(hub, /^server = "https:\/\/registry-1\.docker\.io"/);
    assert.ok(hub.indexOf('[host."https://mirror.local:5000"]') < hub.indexOf('[host."http://10.0.0.5:5000"]'));
    assert.throws(() => renderRegistryHosts({ insecureRegistries: ['bad host/x y'] }), /insecure registry "bad host\/x y" is not a host\[:port\]/);
    const dir = tmp();
    try {
      writeRegistryHosts(join(dir, 'certs.d'), { insecureRegistries: ['a:1'] });
      writeRegistryHosts(join(dir, 'certs.d'), { insecureRegistries: ['b:2'] });
      assert.equal(existsSync(join(dir, 'certs.d', 'a:1')), false, 'a removed flag does not linger');
      assert.match(readFileSync(join(dir, 'certs.d', 'b:2', 'hosts.toml'), 'utf8'), /http:\/\/b:2/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('CNI conflist: bridge + host-local from the pod CIDR + portmap + loopback', () => {
    const dir = tmp();
    try {
      writeCniConfig({ dataDir: dir, podCIDR: '10.88.1.0/24', bridge: 'sk-h1' });
      const conf = JSON.parse(readFileSync(join(dir, 'cni', '10-skiff.conflist'), 'utf8'));
      assert.deepEqual(conf.plugins.map((p: { type: string }) => p.type), ['bridge', 'portmap', 'loopback']);
      assert.equal(conf.plugins[0].bridge, 'sk-h1');
      assert.deepEqual(conf.plugins[0].ipam.ranges, [[{ subnet: '10.88.1.0/24' }]]);
      assert.equal(conf.plugins[0].ipam.dataDir, join(dir, 'cni-ipam'));
      assert.throws(() => writeCniConfig({ dataDir: dir, podCIDR: '10.88.1.0', bridge: 'x' }), /not an IPv4 CIDR/);
      assert.throws(() => writeCniConfig({ dataDir: dir, podCIDR: '10.88.1.0/24', bridge: 'a-bridge-name-too-long' }), /1-15 letters/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('a containerd that dies at start is reported with its log', async () => {
  const dir = tmp();
  try {
    const fakeBin = join(dir, 'containerd');
    writeFileSync(fakeBin, '#!/bin/sh\n[ "$1" = --version ] && { echo "containerd x 9.9.9 y"; exit 0; }\necho "failed to load plugin: boom" >&2\nexit 1\n');
    chmodSync(fakeBin, 0o755);
    await assert.rejects(
      startContainerd({ dataDir: join(dir, 'agent'), log: () => {}, containerdBin: fakeBin }),
      /containerd exited \(code 1\) before it was ready; see .*containerd\.log:\nfailed to load plugin: boom/,
    );
    await assert.rejects(startContainerd({ dataDir: join(dir, 'x'.repeat(120)), log: () => {} }), /longer than 107 bytes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const skip = containerdMissing();
if (skip) console.log(`# containerd process tests skipped: ${skip}`);
test('start, answer on the socket, stop; a leftover containerd from a dead agent is replaced', { skip: skip ?? false }, async () => {
  const dir = tmp();
  const dataDir = join(dir, 'agent');
  const lines: string[] = [];
  try {
    const c = await startContainerd({ dataDir, log: (l) => lines.push(l) });
    assert.equal(c.endpoint, `unix://${join(dataDir, 'containerd', 'containerd.sock')}`);
    assert.match(c.version, /^\d+\.\d+/);
    assert.equal(readFileSync(join(dataDir, 'containerd', 'containerd.pid'), 'utf8').trim(), String(c.pid));
    await c.stop();
    assert.equal(existsSync(`/proc/${c.pid}`), false);

    // An orphan on the same config, as a kill -9'd agent leaves behind.
    const paths = containerdPaths(dataDir);
    const orphan = spawn(CONTAINERD_BIN, ['--config', paths.config], { stdio: 'ignore', detached: true });
    writeFileSync(paths.pidFile, `${orphan.pid}\n`);
    const orphanExit = new Promise((r) => orphan.once('exit', r));
    const again = await startContainerd({ dataDir, log: (l) => lines.push(l) });
    await orphanExit;
    assert.ok(lines.some((l) => l.includes(`stopping the containerd (pid ${orphan.pid})`)));
    await again.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
