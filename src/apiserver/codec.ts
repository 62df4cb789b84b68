// Request bodies in (JSON, YAML, Kubernetes protobuf) and responses out (JSON, YAML).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseAllDocuments, stringify as yamlStringify } from 'yaml';
import { badRequest, StatusError, tooLarge, unsupportedMediaType, type Status } from '../machinery/status.ts';
import { decodeKubernetesProtobuf } from '../api/protobuf/decode.ts';

export const maxBodyBytes = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes) {
      req.resume();
      reject(tooLarge(`the request body is ${declared} bytes, larger than the limit of ${maxBodyBytes} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > maxBodyBytes) {
        failed = true;
        reject(tooLarge(`the request body is larger than the limit of ${maxBodyBytes} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(badRequest(`error reading the request body: ${e.message}`));
    });
  });
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export type DecodedBody = { value: unknown; text: string | undefined; format: 'json' | 'yaml' | 'protobuf' };

/** Decodes a body of one of the accepted content types; patch types decode as JSON or YAML. */
export function decodeBody(body: Buffer, contentType: string | undefined): DecodedBody {
  const type = mediaType(contentType);
  if (type === 'application/vnd.kubernetes.protobuf') {
    return { value: decodeKubernetesProtobuf(body), text: undefined, format: 'protobuf' };
  }
  const text = body.toString('utf8');
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml' || type === 'text/yaml') {
    return { value: parseYaml(text), text, format: 'yaml' };
  }
  if (
    type === '' ||
    type === 'application/json' ||
    type === 'application/json-patch+json' ||
    type === 'application/merge-patch+json' ||
    type === 'application/strategic-merge-patch+json' ||
    type === '*/*'
  ) {
    return { value: parseJson(text), text, format: 'json' };
  }
  throw unsupportedMediaType(type);
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') throw badRequest('the request body is empty: an object was expected');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`the request body is not valid JSON: ${(e as Error).message}`);
  }
}

export function parseYaml(text: string): unknown {
  if (text.trim() === '') throw badRequest('the request body is empty: an object was expected');
  let docs;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: false });
  } catch (e) {
    throw badRequest(`the request body is not valid YAML: ${(e as Error).message}`);
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const real = list.filter((d) => d.contents !== null);
  if (real.length !== 1) throw badRequest(`the request body must hold exactly one YAML document, found ${real.length}`);
  const doc = real[0]!;
  if (doc.errors.length > 0) throw badRequest(`the request body is not valid YAML: ${doc.errors[0]!.message}`);
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // Unresolvable aliases and alias bombs surface only here.
    throw badRequest(`the request body is not valid YAML: ${(e as Error).message}`);
  }
}

export type ResponseFormat = 'json' | 'yaml';

/** Picks the response encoding from Accept: YAML only when asked for, JSON otherwise. */
export function responseFormat(accept: string | undefined): ResponseFormat {
  if (!accept) return 'json';
  for (const part of accept.split(',')) {
    const t = mediaType(part);
    if (t === 'application/json' || t === '*/*' || t === 'application/vnd.kubernetes.protobuf') return 'json';
    if (t === 'application/yaml') return 'yaml';
  }
  return 'json';
}

export function send(res: ServerResponse, code: number, value: unknown, format: ResponseFormat = 'json', contentType?: string): void {
  if (res.headersSent) return;
  const body = format === 'yaml' ? yamlStringify(value) : JSON.stringify(value);
  res.writeHead(code, {
    'Content-Type': contentType ?? (format === 'yaml' ? 'application/yaml' : 'application/json'),
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache, private',
  });
  res.end(body);
}

/** Sends an already serialized JSON body. */
export function sendRaw(res: ServerResponse, code: number, body: string, contentType = 'application/json'): void {
  if (res.headersSent) return;
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-cache, private' });
  res.end(body);
}

export function sendStatus(res: ServerResponse, err: StatusError | Status, format: ResponseFormat = 'json'): void {
  const status = err instanceof StatusError ? err.status : err;
  if (res.headersSent) {
    res.end();
    return;
  }
  send(res, status.code, status, format);
}
