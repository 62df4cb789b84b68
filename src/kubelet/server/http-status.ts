// Kubernetes Status answers from the kubelet server, on a response or (for
// upgrade requests that never became a response) straight on the socket.

import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { endSocketWithStatus } from '../../machinery/socket-status.ts';
import type { Status } from '../../machinery/status.ts';

function failure(code: number, reason: string, message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

export function statusBody(code: number, reason: string, message: string): string {
  return JSON.stringify(failure(code, reason, message));
}

export function writeStatus(res: ServerResponse, code: number, reason: string, message: string): void {
  if (res.headersSent) return void res.end();
  const body = statusBody(code, reason, message);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Answers an upgrade request with an HTTP error and closes the socket. */
export function writeSocketStatus(socket: Duplex, code: number, reason: string, message: string): void {
  endSocketWithStatus(socket, failure(code, reason, message));
}
