import { describe, expect, it } from 'vitest';
import { fromWireJson, toWireJson } from '../../../electron/shared/wire-json.ts';

describe('bridge JSON with typed arrays', () => {
  it('sends Float32Arrays as their bytes and gives them back exactly, views and all', () => {
    const big = Float32Array.from({ length: 100_000 }, (_, i) => Math.sin(i) * 0.7);
    const view = new Float32Array(new Float32Array([9, 1.5, -2.25, 9]).buffer, 4, 2);
    const text = toWireJson({ ok: true, value: { levels: [{ perSecond: 172.27, min: big, max: view }], name: 'x', n: [1, 2] } });
    expect(text.length).toBeLessThan(big.byteLength * 1.4); // base64, not decimal text
    const back = fromWireJson(text) as { value: { levels: { min: Float32Array; max: Float32Array; perSecond: number }[]; n: number[] } };
    expect(back.value.levels[0]!.min).toBeInstanceOf(Float32Array);
    expect(back.value.levels[0]!.min).toEqual(big);
    expect(Array.from(back.value.levels[0]!.max)).toEqual([1.5, -2.25]);
    expect(back.value.levels[0]!.perSecond).toBe(172.27);
    expect(back.value.n).toEqual([1, 2]);
  });

  it('leaves ordinary objects alone and refuses a corrupt array', () => {
    expect(fromWireJson('{"$f32":1,"b":2}')).toEqual({ $f32: 1, b: 2 });
    expect(() => fromWireJson('{"a":{"$f32":"AAA="}}')).toThrow(/whole number of 4-byte values/);
  });
});
