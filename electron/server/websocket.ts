import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

// A small RFC 6455 server side: enough for the bridge's event stream (text frames, ping/pong,
// close), with a size cap so a client cannot make the server buffer without bound.

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_MESSAGE_BYTES = 1 << 20;

export function acceptKey(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

export interface WebSocketConnection {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  onMessage(listener: (text: string) => void): void;
  onClose(listener: () => void): void;
  readonly isOpen: boolean;
}

/** Completes the upgrade handshake, or answers 400 and returns null when it is not a valid one. */
export function upgradeToWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer): WebSocketConnection | null {
  const key = req.headers['sec-websocket-key'];
  const version = req.headers['sec-websocket-version'];
  const upgrade = req.headers.upgrade;
  if (typeof key !== 'string' || !/^[A-Za-z0-9+/]{22}==$/.test(key) || version !== '13' || upgrade?.toLowerCase() !== 'websocket') {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return null;
  }
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
  );
  return new Connection(socket, head);
}

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Encodes one unmasked (server → client) or masked (client → server) frame. */
export function encodeFrame(opcode: number, payload: Buffer, mask?: Buffer): Buffer {
  const len = payload.length;
  const headerLen = 2 + (len < 126 ? 0 : len < 65536 ? 2 : 8) + (mask ? 4 : 0);
  const out = Buffer.alloc(headerLen + len);
  out[0] = 0x80 | opcode;
  let o = 2;
  if (len < 126) out[1] = len;
  else if (len < 65536) {
    out[1] = 126;
    out.writeUInt16BE(len, 2);
    o = 4;
  } else {
    out[1] = 127;
    out.writeBigUInt64BE(BigInt(len), 2);
    o = 10;
  }
  if (mask) {
    out[1] = out[1]! | 0x80;
    mask.copy(out, o);
    o += 4;
    for (let i = 0; i < len; i++) out[o + i] = payload[i]! ^ mask[i & 3]!;
  } else payload.copy(out, o);
  return out;
}

/**
 * Parses as many whole frames as `buf` holds. Returns them and the bytes consumed; throws on
 * frames the protocol forbids (unmasked client frames, oversized payloads).
 */
export function decodeFrames(buf: Buffer, requireMask: boolean): { frames: Frame[]; consumed: number } {
  const frames: Frame[] = [];
  let pos = 0;
  while (buf.length - pos >= 2) {
    const b0 = buf[pos]!;
    const b1 = buf[pos + 1]!;
    if (b0 & 0x70) throw new Error('WebSocket frame uses reserved bits');
    const masked = (b1 & 0x80) !== 0;
    if (requireMask && !masked) throw new Error('WebSocket client frame is not masked');
    let len = b1 & 0x7f;
    let o = pos + 2;
    if (len === 126) {
      if (buf.length < o + 2) break;
      len = buf.readUInt16BE(o);
      o += 2;
    } else if (len === 127) {
      if (buf.length < o + 8) break;
      const big = buf.readBigUInt64BE(o);
      if (big > BigInt(MAX_MESSAGE_BYTES)) throw new Error('WebSocket message too large');
      len = Number(big);
      o += 8;
    }
    if (len > MAX_MESSAGE_BYTES) throw new Error('WebSocket message too large');
    const maskLen = masked ? 4 : 0;
    if (buf.length < o + maskLen + len) break;
    const payload = Buffer.from(buf.subarray(o + maskLen, o + maskLen + len));
    if (masked) {
      const mask = buf.subarray(o, o + 4);
      for (let i = 0; i < len; i++) payload[i] = payload[i]! ^ mask[i & 3]!;
    }
    frames.push({ fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload });
    pos = o + maskLen + len;
  }
  return { frames, consumed: pos };
}

class Connection implements WebSocketConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentBytes = 0;
  private open = true;
  private readonly messageListeners: Array<(text: string) => void> = [];
  private readonly closeListeners: Array<() => void> = [];

  constructor(private readonly socket: Duplex, head: Buffer) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.finish());
    socket.on('error', () => this.finish());
    if (head.length) this.receive(head);
  }

  get isOpen(): boolean {
    return this.open;
  }

  send(text: string): void {
    if (this.open) this.socket.write(encodeFrame(0x1, Buffer.from(text, 'utf8')));
  }

  close(code = 1000, reason = ''): void {
    if (!this.open) return;
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    this.socket.write(encodeFrame(0x8, payload));
    this.socket.end();
    // Give the close frame a moment to flush before the socket is torn down.
    setTimeout(() => this.socket.destroy(), 1000).unref();
    this.notifyClosed();
  }

  onMessage(listener: (text: string) => void): void {
    this.messageListeners.push(listener);
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    let parsed: ReturnType<typeof decodeFrames>;
    try {
      parsed = decodeFrames(this.buffer, true);
    } catch {
      return this.close(1002, 'protocol error');
    }
    this.buffer = this.buffer.subarray(parsed.consumed);
    for (const f of parsed.frames) this.handle(f);
  }

  private handle(f: Frame): void {
    switch (f.opcode) {
      case 0x8:
        return this.close(1000);
      case 0x9:
        this.socket.write(encodeFrame(0xa, f.payload));
        return;
      case 0xa:
        return;
      case 0x1:
      case 0x0:
        this.fragments.push(f.payload);
        this.fragmentBytes += f.payload.length;
        if (this.fragmentBytes > MAX_MESSAGE_BYTES) return this.close(1009, 'message too large');
        if (f.fin) {
          const text = Buffer.concat(this.fragments).toString('utf8');
          this.fragments = [];
          this.fragmentBytes = 0;
          for (const l of this.messageListeners) l(text);
        }
        return;
      default:
        // Binary and unknown opcodes are not part of the bridge protocol.
        return this.close(1003, 'unsupported data');
    }
  }

  private finish(): void {
    this.socket.destroy();
    this.notifyClosed();
  }

  private notifyClosed(): void {
    if (!this.open) return;
    this.open = false;
    for (const l of this.closeListeners) l();
  }
}
