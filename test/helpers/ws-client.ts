import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { acceptKey, decodeFrames, encodeFrame } from '../../electron/server/websocket.ts';

// Node 20 has no WebSocket global. This is a small browser-shaped client (onopen, onmessage,
// onclose, onerror, send, close, readyState) over a TCP socket, so panel code written for
// UXP's WebSocket runs unchanged in the tests. Client frames are masked, as RFC 6455 requires.

export class TestWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readyState = TestWebSocket.CONNECTING;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: { message: string }) => void) | null = null;
  private readonly socket: Socket;
  private buffer = Buffer.alloc(0);
  private handshakeDone = false;

  constructor(url: string, extraHeaders: Record<string, string> = {}) {
    const u = new URL(url);
    const key = randomBytes(16).toString('base64');
    this.socket = connect(Number(u.port), u.hostname);
    this.socket.on('connect', () => {
      const headers = { Host: u.host, Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': key, 'Sec-WebSocket-Version': '13', ...extraHeaders };
      this.socket.write(`GET ${u.pathname}${u.search} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`);
    });
    this.socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      if (!this.handshakeDone) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = this.buffer.subarray(0, end).toString('latin1');
        this.buffer = this.buffer.subarray(end + 4);
        if (!/^HTTP\/1\.1 101/.test(head) || !head.includes(acceptKey(key))) {
          this.onerror?.({ message: head.split('\r\n')[0] ?? 'handshake failed' });
          this.finish(1006, 'handshake refused');
          return;
        }
        this.handshakeDone = true;
        this.readyState = TestWebSocket.OPEN;
        this.onopen?.({});
      }
      const { frames, consumed } = decodeFrames(this.buffer, false);
      this.buffer = this.buffer.subarray(consumed);
      for (const f of frames) {
        if (f.opcode === 0x1) this.onmessage?.({ data: f.payload.toString('utf8') });
        else if (f.opcode === 0x8) this.finish(f.payload.length >= 2 ? f.payload.readUInt16BE(0) : 1005, f.payload.subarray(2).toString('utf8'));
      }
    });
    this.socket.on('error', (err) => {
      this.onerror?.({ message: err.message });
      this.finish(1006, err.message);
    });
    this.socket.on('close', () => this.finish(1006, 'connection lost'));
  }

  send(text: string): void {
    if (this.readyState !== TestWebSocket.OPEN) throw new Error('WebSocket is not open');
    this.socket.write(encodeFrame(0x1, Buffer.from(text, 'utf8'), randomBytes(4)));
  }

  close(): void {
    if (this.readyState === TestWebSocket.OPEN) {
      this.readyState = TestWebSocket.CLOSING;
      this.socket.write(encodeFrame(0x8, Buffer.from([0x03, 0xe8]), randomBytes(4)));
    }
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 200).unref();
  }

  private finish(code: number, reason: string): void {
    if (this.readyState === TestWebSocket.CLOSED) return;
    this.readyState = TestWebSocket.CLOSED;
    this.socket.destroy();
    this.onclose?.({ code, reason });
  }
}
