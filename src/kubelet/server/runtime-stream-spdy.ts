// RuntimeStream over SPDY/3.1 to the runtime's streaming server (the URL CRI
// Exec/Attach answer), the way kubectl talks to a kubelet: one stream per
// standard stream, each named by a `streamtype` header. Unlike the WebSocket
// protocol it can half-close stdin (FIN on that stream), which commands
// reading stdin to its end (`cat`, `tar x` under `kubectl cp`) need.

import { PassThrough, type Readable } from 'node:stream';
import { parseStatus, successStatus, type OpenRuntimeStream, type RuntimeStream } from './runtime-stream.ts';
import { upgradeToSpdy } from './spdy/upgrade.ts';
import type { SpdyStream } from './spdy/stream.ts';

const protocols = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

export const openRuntimeStreamSpdy: OpenRuntimeStream = async (url, opts) => {
  const { session, protocol } = await upgradeToSpdy(url, { protocols });
  try {
    // The error stream first, as kubectl does; we never write on it.
    const error = await session.openStream({ streamtype: 'error' });
    error.end();
    const stderrWanted = opts.stderr && !opts.tty; // with a tty, stderr is merged into stdout
    const [stdin, stdout, stderr, resize] = await Promise.all([
      opts.stdin ? session.openStream({ streamtype: 'stdin' }) : undefined,
      opts.stdout ? session.openStream({ streamtype: 'stdout' }) : undefined,
      stderrWanted ? session.openStream({ streamtype: 'stderr' }) : undefined,
      opts.tty && protocol !== 'v2.channel.k8s.io' && protocol !== 'channel.k8s.io' ? session.openStream({ streamtype: 'resize' }) : undefined,
    ]);
    for (const s of [error, stdin, stdout, stderr, resize]) s?.on('error', () => undefined);
    stdout?.end();
    stderr?.end();
    const done = readStatus(error, protocol).then((status) => {
      void session.close();
      return status;
    });
    const stream: RuntimeStream = {
      ...(stdin ? { stdin } : {}),
      ...(stdout ? { stdout: readOnly(stdout) } : {}),
      ...(stderr ? { stderr: readOnly(stderr) } : {}),
      resize(width, height) {
        // Go's server decodes a stream of JSON values from this stream.
        resize?.write(`${JSON.stringify({ Width: width, Height: height })}\n`);
      },
      done,
      close() {
        session.destroy();
      },
    };
    return stream;
  } catch (e) {
    session.destroy();
    throw new Error(`cannot open the streams of ${url}: ${(e as Error).message}`);
  }
};

/** The readable half only, so callers piping it somewhere cannot write into the stream. */
function readOnly(s: SpdyStream): Readable {
  const out = new PassThrough();
  s.pipe(out);
  return out;
}

/** v4 sends a JSON Status on the error stream only on failure; older protocols send error text. */
async function readStatus(error: SpdyStream, protocol: string): Promise<object> {
  const chunks: Buffer[] = [];
  try {
    for await (const c of error) chunks.push(c as Buffer);
  } catch {
    // a reset after the status was sent: what arrived is what counts
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  return text === '' ? { ...successStatus } : parseStatus(protocol, text);
}
