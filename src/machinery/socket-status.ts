// A Status answer written straight on a socket: for upgrade requests (exec,
// attach, port-forward) refused before they ever became an HTTP response.

import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Status } from './status.ts';

/** Answers with `status` as an HTTP error and closes the socket (or just destroys it when it cannot be written). */
export function endSocketWithStatus(socket: Duplex, status: Status): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify(status);
  socket.end(
    `HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
