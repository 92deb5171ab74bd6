/**
 * One v-DDIM (eta 0) update and the classifier-free guidance combination, element-wise on
 * float32 arrays. Each product and sum is rounded to float32 as PyTorch's float32 tensors do.
 */
const f = Math.fround;

/** v = v_uncond + (v_cond − v_uncond)·scale, with cond the first and uncond the second half of `doubled`. */
export function cfgCombine(doubled: Float32Array, scale: number, out = new Float32Array(doubled.length / 2)): Float32Array {
  const n = doubled.length / 2;
  if (!Number.isInteger(n) || out.length !== n) throw new RangeError('CFG needs a doubled batch [cond; uncond] and an output of half its size.');
  const s = f(scale);
  for (let i = 0; i < n; i++) {
    const c = doubled[i]!, u = doubled[n + i]!;
    out[i] = f(u + f(f(c - u) * s));
  }
  return out;
}

/** x0̂ = x·α − v·σ and ε̂ = x·σ + v·α (written into `pred` and `eps`). */
export function predictX0Eps(x: Float32Array, v: Float32Array, alpha: number, sigma: number, pred: Float32Array, eps: Float32Array): void {
  if (v.length !== x.length || pred.length !== x.length || eps.length !== x.length) throw new RangeError('x, v, pred and eps must have the same length.');
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!, vi = v[i]!;
    pred[i] = f(f(xi * alpha) - f(vi * sigma));
    eps[i] = f(f(xi * sigma) + f(vi * alpha));
  }
}

/** x_{i+1} = x0̂·α_{i+1} + ε̂·σ_{i+1} (eta 0), written into `x`. */
export function ddimUpdate(pred: Float32Array, eps: Float32Array, alphaNext: number, sigmaNext: number, x: Float32Array): void {
  for (let i = 0; i < x.length; i++) x[i] = f(f(pred[i]! * alphaNext) + f(eps[i]! * sigmaNext));
}

/** The v an oracle denoiser that knows x0 would return at (α, σ): v = α·ε − σ·x0 with ε = (x_t − α·x0)/σ. */
export function oracleV(xt: Float32Array, x0: Float32Array, alpha: number, sigma: number): Float32Array {
  const v = new Float32Array(xt.length);
  for (let i = 0; i < xt.length; i++) v[i] = (alpha * (xt[i]! - alpha * x0[i]!)) / sigma - sigma * x0[i]!;
  return v;
}
