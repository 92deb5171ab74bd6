/**
 * Seeded standard-normal noise: xoshiro128** seeded through splitmix32, Box–Muller on pairs.
 * The same seed gives the same latent noise on every platform (not PyTorch's stream: noise from
 * PyTorch can be passed in instead when bit-equality with the reference matters).
 */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class GaussianNoise {
  private readonly s = new Uint32Array(4);
  private spare: number | null = null;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new RangeError(`The noise seed must be a whole number from 0 to 4294967295, got ${seed}.`);
    const sm = splitmix32(seed);
    for (let i = 0; i < 4; i++) this.s[i] = sm();
    if (this.s.every((v) => v === 0)) this.s[0] = 1;
  }

  /** Uniform in (0, 1): never 0, so the logarithm below is finite. */
  uniform(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2] ^= s[0]!;
    s[3] ^= s[1]!;
    s[1] ^= s[2]!;
    s[0] ^= s[3]!;
    s[2] ^= t;
    s[3] = rotl(s[3]!, 11);
    return (result + 0.5) / 4294967296;
  }

  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const th = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(th);
    return r * Math.cos(th);
  }

  fill(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export function gaussianNoise(length: number, seed: number): Float32Array {
  return new GaussianNoise(seed).fill(new Float32Array(length));
}
