// Splits a chunked byte stream into lines without re-scanning what was already seen.

import { StringDecoder } from 'node:string_decoder';

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private readonly onLine: (line: string) => void;

  constructor(onLine: (line: string) => void) {
    this.onLine = onLine;
  }

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl < 0) {
      this.pending += text;
      return;
    }
    // The first line completes what earlier chunks left over.
    this.emit(this.pending + text.slice(0, nl));
    this.pending = '';
    start = nl + 1;
    while ((nl = text.indexOf('\n', start)) >= 0) {
      this.emit(text.slice(start, nl));
      start = nl + 1;
    }
    this.pending = text.slice(start);
  }

  /** Whatever is left when the stream ends (a last line without newline). */
  end(): void {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    this.emit(rest);
  }

  private emit(line: string): void {
    if (line.trim() !== '') this.onLine(line);
  }
}
