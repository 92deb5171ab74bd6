// JSON for the browser bridge that keeps Float32Arrays as typed arrays: signals (waveform
// pyramids, curves) travel as base64 of their bytes, not as thousands of decimal numbers, and
// arrive as Float32Array again — what Electron's IPC (structured clone) gives natively.

const TAG = '$f32';

function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function base64ToFloat32(b64: string): Float32Array {
  const s = atob(b64);
  if (s.length % 4) throw new Error('A Float32Array on the wire must be a whole number of 4-byte values.');
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

/** JSON.stringify, with every Float32Array as {"$f32": base64 of its little-endian bytes}. */
export function toWireJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Float32Array) return { [TAG]: bytesToBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
    return v;
  });
}

/** JSON.parse, turning {"$f32": …} back into Float32Array. */
export function fromWireJson(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === TAG && typeof (v as Record<string, unknown>)[TAG] === 'string') return base64ToFloat32((v as Record<string, string>)[TAG]!);
    }
    return v;
  });
}
