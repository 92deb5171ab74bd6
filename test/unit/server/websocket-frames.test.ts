import { describe, expect, it } from 'vitest';
import { acceptKey, decodeFrames, encodeFrame } from '../../../electron/server/websocket.ts';

describe('WebSocket framing', () => {
  it('computes the accept key from RFC 6455 section 1.3', () => {
    expect(acceptKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('decodes the masked "Hello" frame from RFC 6455 section 5.7', () => {
    const frame = Buffer.from([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
    const { frames, consumed } = decodeFrames(frame, true);
    expect(consumed).toBe(frame.length);
    expect(frames).toEqual([{ fin: true, opcode: 1, payload: Buffer.from('Hello') }]);
  });

  it('encodes the unmasked "Hello" frame from RFC 6455 section 5.7', () => {
    expect([...encodeFrame(1, Buffer.from('Hello'))]).toEqual([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]);
  });

  it('round-trips 16-bit and 64-bit lengths and waits for partial frames', () => {
    for (const n of [125, 126, 65535, 65536, 200_000]) {
      const payload = Buffer.alloc(n, 7);
      const f = encodeFrame(1, payload, Buffer.from([1, 2, 3, 4]));
      expect(decodeFrames(f.subarray(0, f.length - 1), true)).toEqual({ frames: [], consumed: 0 });
      const { frames } = decodeFrames(f, true);
      expect(frames[0]!.payload.equals(payload)).toBe(true);
    }
  });

  it('rejects unmasked client frames and oversized messages', () => {
    expect(() => decodeFrames(encodeFrame(1, Buffer.from('x')), true)).toThrow(/not masked/);
    const huge = Buffer.from([0x81, 0xff, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff]);
    expect(() => decodeFrames(huge, true)).toThrow(/too large/);
  });
});
