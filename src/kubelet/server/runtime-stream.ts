// A stream to a process in a container through the runtime's streaming
// server (the one-use URL CRI Exec/Attach answer), and its WebSocket
// implementation. containerd speaks `v4.channel.k8s.io` there: every binary
// message starts with its channel (0 stdin, 1 stdout, 2 stderr, 3 status,
// 4 resize). It cannot signal the end of stdin: that needs the SPDY
// implementation (runtime-stream-spdy.ts).

import { PassThrough, Writable, type Readable } from 'node:stream';
import { WebSocket } from 'ws';

export type RuntimeStream = {
  stdin?: Writable;
  stdout?: Readable;
  stderr?: Readable;
  resize(width: number, height: number): void;
  /** Resolves with the runtime's final Status object (success, or NonZeroExitCode with details.causes ExitCode). */
  done: Promise<object>;
  close(): void;
};

export type RuntimeStreamOptions = { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean };

export type OpenRuntimeStream = (url: string, opts: RuntimeStreamOptions) => Promise<RuntimeStream>;

export const successStatus = { metadata: {}, status: 'Success' } as const;

export function failureStatus(message: string): object {
  return { metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 };
}

const channel = { stdin: 0, stdout: 1, stderr: 2, status: 3, resize: 4 } as const;

export const openRuntimeStreamWebSocket: OpenRuntimeStream = (url, opts) =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), ['v4.channel.k8s.io', 'channel.k8s.io']);
    ws.binaryType = 'nodebuffer';
    const stdout = opts.stdout ? new PassThrough() : undefined;
    const stderr = opts.stderr && !opts.tty ? new PassThrough() : undefined;
    let status: object | undefined;
    let settle!: (s: object) => void;
    const done = new Promise<object>((r) => (settle = r));
    const finish = (s: object): void => {
      stdout?.end();
      stderr?.end();
      settle(s);
    };
    const send = (ch: number, data: Buffer): void => {
      if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat([Buffer.from([ch]), data]));
    };
    const stdin = opts.stdin
      ? new Writable({
          write(chunk: Buffer, _enc, cb) {
            send(channel.stdin, chunk);
            cb();
          },
          // No way to say "stdin ended" on this protocol; the process keeps its stdin open.
          final(cb) {
            cb();
          },
        })
      : undefined;
    ws.on('message', (raw: Buffer) => {
      if (raw.length < 1) return;
      const ch = raw[0]!;
      const data = raw.subarray(1);
      if (data.length === 0) return; // readiness frames
      if (ch === channel.stdout) stdout?.write(data);
      else if (ch === channel.stderr) (stderr ?? stdout)?.write(data);
      else if (ch === channel.status) status = parseStatus(ws.protocol, data.toString('utf8'));
    });
    ws.once('open', () =>
      resolve({
        ...(stdin ? { stdin } : {}),
        ...(stdout ? { stdout } : {}),
        ...(stderr ? { stderr } : {}),
        resize(width, height) {
          send(channel.resize, Buffer.from(JSON.stringify({ Width: width, Height: height })));
        },
        done,
        close() {
          ws.terminate();
        },
      }),
    );
    ws.once('error', (e) => {
      reject(new Error(`could not open the runtime stream ${url}: ${e.message}`));
      finish(status ?? failureStatus(`runtime stream failed: ${e.message}`));
    });
    ws.once('close', () => finish(status ?? successStatus));
  });

/** The runtime's final word on a stream: v4/v5 send a JSON Status, the older protocols an error text. */
export function parseStatus(protocol: string, text: string): object {
  if (protocol.startsWith('v4.') || protocol.startsWith('v5.')) {
    try {
      return JSON.parse(text) as object;
    } catch {
      return failureStatus(text);
    }
  }
  return failureStatus(text);
}
