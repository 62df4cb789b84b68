// Kubernetes Status answers from the kubelet server, on a response or (for
// upgrade requests that never became a response) straight on the socket.

import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export function statusBody(code: number, reason: string, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

export function writeStatus(res: ServerResponse, code: number, reason: string, message: string): void {
  if (res.headersSent) return void res.end();
  const body = statusBody(code, reason, message);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Answers an upgrade request with an HTTP error and closes the socket. */
export function writeSocketStatus(socket: Duplex, code: number, reason: string, message: string): void {
  if (!socket.writable) return void socket.destroy();
  const body = statusBody(code, reason, message);
  socket.end(
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
