// The `skiff` command: one entry point for every component.

// Each command loads only what it runs, so `skiff version` starts at once.
import { simUsage } from './sim-usage.ts';
import { componentsUsage } from './components-usage.ts';
import { tuneGarbageCollector } from './gc-tuning.ts';

const usage = `skiff: a light, readable Kubernetes.

Usage:
  skiff server [--data-dir DIR] [--port 6443] [--bind 127.0.0.1] [--disable-agent]
      Run the control plane and a node; writes DIR/kubeconfig.yaml for kubectl.
  skiff agent --server URL --token TOKEN [--node-name N] [--data-dir DIR]
      Join this machine to a cluster as a node (containerd + kubelet).
  skiff image import [--data-dir DIR | --address SOCK] FILE.tar...   |   skiff image ls
      Load OCI or docker image archives into a node's containerd (or list its images).
${simUsage}${componentsUsage}  skiff version
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'server':
      return (await import('./server.ts')).runServer(rest);
    case 'agent':
      return (await import('./agent.ts')).runAgent(rest);
    case 'sim':
      return (await import('./sim.ts')).runSim(rest);
    case 'image':
      return (await import('./image.ts')).runImage(rest);
    case 'scheduler':
    case 'controller-manager':
      return (await import('./components.ts')).runComponent(command, rest);
    case 'version':
      console.log('skiff v0.1.0 (Kubernetes API v1.32)');
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(usage);
      return 0;
    default:
      process.stderr.write(`skiff: unknown command ${JSON.stringify(command)}\n\n${usage}`);
      return 2;
  }
}

tuneGarbageCollector();
main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`skiff: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
