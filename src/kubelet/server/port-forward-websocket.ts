// The older WebSocket port-forward protocol (client libraries such as
// @kubernetes/client-node): `?ports=80,8080`, one WebSocket per connection;
// port i uses channel 2i for data and 2i+1 for errors, every message starts
// with its channel byte, and the server first sends each channel its port
// as two little-endian bytes.

import { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { PortForwardUpstream } from './port-forward-upstream.ts';

export function servePortForwardWebSocket(ws: WebSocket, ports: number[], upstream: PortForwardUpstream, log: (line: string) => void): void {
  const send = (channel: number, data: Buffer): void => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), data]));
  };
  const inbound = new Map<number, Duplex>();
  let open = ports.length;
  ports.forEach((port, i) => {
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16LE(port);
    send(2 * i, portBytes);
    send(2 * i + 1, portBytes);
    // A duplex whose writes go out on the data channel and whose reads are the client's messages.
    const data = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        send(2 * i, chunk);
        cb();
      },
    });
    inbound.set(2 * i, data);
    void upstream.forward({
      port,
      requestId: String(i),
      data,
      writeError: (text) => send(2 * i + 1, Buffer.from(text)),
      end: () => {
        if (--open === 0) ws.close(1000);
      },
    });
  });
  ws.on('message', (msg: Buffer, isBinary: boolean) => {
    if (!isBinary || msg.length < 1) return;
    const target = inbound.get(msg[0]!);
    if (!target) return log(`port-forward: message on unknown channel ${msg[0]}`);
    if (msg.length > 1) target.push(msg.subarray(1));
  });
  ws.on('close', () => {
    for (const d of inbound.values()) d.push(null);
    upstream.close();
  });
  ws.on('error', () => undefined);
}
