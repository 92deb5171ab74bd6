import type { ReverbProcessor } from 'spessasynth_core';

/**
 * spessasynth's reverb (characters 0–5) is Dattorro's plate (J. Dattorro, "Effect Design part 1",
 * JAES 1997): 4 input all-passes, two modulated tank halves, 14 output taps. Its per-sample loop
 * reaches each of the 12 delay lines through small arrays and method calls, and is the largest
 * single cost of a render. This is the same recurrence over the same state with the lines held
 * in locals: the same operations in the same order, so the output is bit-identical (a test
 * compares it with spessasynth's own loop), about 3× faster.
 */

/** A delay line as spessasynth keeps it: [buffer, write index, read index, mask]. */
type Line = [Float32Array, number, number, number];

/** The plate's state, as spessasynth's DattorroReverb holds it. */
interface PlateState {
  preDelay: number; preLPF: number; inputDiffusion1: number; inputDiffusion2: number; decay: number;
  decayDiffusion1: number; decayDiffusion2: number; damping: number; excursionRate: number; excursionDepth: number;
  gain: number; sampleRate: number; lp1: number; lp2: number; lp3: number; excPhase: number; pDWrite: number;
  taps: Int16Array; pDelay: Float32Array; pDLength: number; delays: Line[];
  process(input: Float32Array, outL: Float32Array, outR: Float32Array, start: number, n: number): void;
}

const NUMBERS = ['preDelay', 'preLPF', 'inputDiffusion1', 'inputDiffusion2', 'decay', 'decayDiffusion1', 'decayDiffusion2', 'damping', 'excursionRate', 'excursionDepth', 'gain', 'sampleRate', 'lp1', 'lp2', 'lp3', 'excPhase', 'pDWrite', 'pDLength'] as const;

/** Whether `x` is the plate this loop was written for (another spessasynth version may differ). */
function isPlate(x: unknown): x is PlateState {
  const p = x as Partial<PlateState> | null;
  return !!p && typeof p === 'object' && typeof p.process === 'function'
    && NUMBERS.every((k) => typeof p[k] === 'number')
    && p.taps instanceof Int16Array && p.taps.length === 14 && p.pDelay instanceof Float32Array
    && Array.isArray(p.delays) && p.delays.length === 12
    && p.delays.every((d) => Array.isArray(d) && d.length === 4 && d[0] instanceof Float32Array && [d[1], d[2], d[3]].every((v) => Number.isInteger(v)) && d[3] === d[0].length - 1);
}

/** Cubic (Catmull-Rom style) read `at` samples behind the read index, as spessasynth reads it. */
function cubicAt(b: Float32Array, read: number, mask: number, at: number): number {
  const frac = at - ~~at;
  let int = ~~at + read - 1;
  const x0 = b[int++ & mask]!, x1 = b[int++ & mask]!, x2 = b[int++ & mask]!, x3 = b[int & mask]!;
  const a = (3 * (x1 - x2) - x0 + x3) / 2, bb = 2 * x2 + x0 - (5 * x1 + x3) / 2, c = (x2 - x0) / 2;
  return ((a * frac + bb) * frac + c) * frac + x1;
}

function fastProcess(s: PlateState, input: Float32Array, outL: Float32Array, outR: Float32Array, startIndex: number, n: number): void {
  const pd = s.preDelay | 0;
  const fi = s.inputDiffusion1, si = s.inputDiffusion2, dc = s.decay, ft = s.decayDiffusion1, st = s.decayDiffusion2;
  const dp = 1 - s.damping;
  const ex = s.excursionRate / s.sampleRate;
  const ed = s.excursionDepth * s.sampleRate / 1e3;
  const preLPF = s.preLPF, gain = s.gain;
  const pDelay = s.pDelay, pDLength = s.pDLength;
  const blockStart = s.pDWrite;
  for (let j = 0, k = blockStart % pDLength; j < n; j++) {
    pDelay[k] = input[j]!;
    if (++k === pDLength) k = 0;
  }
  const D = s.delays;
  const b0 = D[0]![0], b1 = D[1]![0], b2 = D[2]![0], b3 = D[3]![0], b4 = D[4]![0], b5 = D[5]![0];
  const b6 = D[6]![0], b7 = D[7]![0], b8 = D[8]![0], b9 = D[9]![0], b10 = D[10]![0], b11 = D[11]![0];
  const m0 = D[0]![3], m1 = D[1]![3], m2 = D[2]![3], m3 = D[3]![3], m4 = D[4]![3], m5 = D[5]![3];
  const m6 = D[6]![3], m7 = D[7]![3], m8 = D[8]![3], m9 = D[9]![3], m10 = D[10]![3], m11 = D[11]![3];
  let w0 = D[0]![1], w1 = D[1]![1], w2 = D[2]![1], w3 = D[3]![1], w4 = D[4]![1], w5 = D[5]![1];
  let w6 = D[6]![1], w7 = D[7]![1], w8 = D[8]![1], w9 = D[9]![1], w10 = D[10]![1], w11 = D[11]![1];
  let r0 = D[0]![2], r1 = D[1]![2], r2 = D[2]![2], r3 = D[3]![2], r4 = D[4]![2], r5 = D[5]![2];
  let r6 = D[6]![2], r7 = D[7]![2], r8 = D[8]![2], r9 = D[9]![2], r10 = D[10]![2], r11 = D[11]![2];
  const t = s.taps;
  const t0 = t[0]!, t1 = t[1]!, t2 = t[2]!, t3 = t[3]!, t4 = t[4]!, t5 = t[5]!, t6 = t[6]!;
  const t7 = t[7]!, t8 = t[8]!, t9 = t[9]!, t10 = t[10]!, t11 = t[11]!, t12 = t[12]!, t13 = t[13]!;
  let lp1 = s.lp1, lp2 = s.lp2, lp3 = s.lp3, phase = s.excPhase;
  // The pre-delay's read index walks with i and wraps (a % per sample is slow).
  let pre = (pDLength + blockStart - pd) % pDLength;
  for (let i = 0; i < n; i++) {
    lp1 += preLPF * (pDelay[pre]! - lp1);
    if (++pre === pDLength) pre = 0;
    // Input diffusion: four all-passes. (A write's value is the unrounded sum, as in an assignment expression.)
    let x = lp1 - fi * b0[r0]!; b0[w0] = x;
    x = fi * (x - b1[r1]!) + b0[r0]!; b1[w1] = x;
    x = fi * x + b1[r1]! - si * b2[r2]!; b2[w2] = x;
    x = si * (x - b3[r3]!) + b2[r2]!; b3[w3] = x;
    const split = si * x + b3[r3]!;
    const exc = ed * (1 + Math.cos(phase * 6.28));
    const exc2 = ed * (1 + Math.sin(phase * 6.2847));
    // Tank, first half.
    let temp = split + dc * b11[r11]! + ft * cubicAt(b4, r4, m4, exc); b4[w4] = temp;
    b5[w5] = cubicAt(b4, r4, m4, exc) - ft * temp;
    lp2 += dp * (b5[r5]! - lp2);
    temp = dc * lp2 - st * b6[r6]!; b6[w6] = temp;
    b7[w7] = b6[r6]! + st * temp;
    // Tank, second half.
    temp = split + dc * b7[r7]! + ft * cubicAt(b8, r8, m8, exc2); b8[w8] = temp;
    b9[w9] = cubicAt(b8, r8, m8, exc2) - ft * temp;
    lp3 += dp * (b9[r9]! - lp3);
    temp = dc * lp3 - st * b10[r10]!; b10[w10] = temp;
    b11[w11] = b10[r10]! + st * temp;
    const left = b9[r9 + t0 & m9]! + b9[r9 + t1 & m9]! - b10[r10 + t2 & m10]! + b11[r11 + t3 & m11]! - b5[r5 + t4 & m5]! - b6[r6 + t5 & m6]! - b7[r7 + t6 & m7]!;
    const idx = i + startIndex;
    outL[idx] += left * gain;
    const right = b5[r5 + t7 & m5]! + b5[r5 + t8 & m5]! - b6[r6 + t9 & m6]! + b7[r7 + t10 & m7]! - b9[r9 + t11 & m9]! - b10[r10 + t12 & m10]! - b11[r11 + t13 & m11]!;
    outR[idx] += right * gain;
    phase += ex;
    w0 = w0 + 1 & m0; w1 = w1 + 1 & m1; w2 = w2 + 1 & m2; w3 = w3 + 1 & m3; w4 = w4 + 1 & m4; w5 = w5 + 1 & m5;
    w6 = w6 + 1 & m6; w7 = w7 + 1 & m7; w8 = w8 + 1 & m8; w9 = w9 + 1 & m9; w10 = w10 + 1 & m10; w11 = w11 + 1 & m11;
    r0 = r0 + 1 & m0; r1 = r1 + 1 & m1; r2 = r2 + 1 & m2; r3 = r3 + 1 & m3; r4 = r4 + 1 & m4; r5 = r5 + 1 & m5;
    r6 = r6 + 1 & m6; r7 = r7 + 1 & m7; r8 = r8 + 1 & m8; r9 = r9 + 1 & m9; r10 = r10 + 1 & m10; r11 = r11 + 1 & m11;
  }
  const ws = [w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11], rs = [r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11];
  for (let k = 0; k < 12; k++) {
    D[k]![1] = ws[k]!;
    D[k]![2] = rs[k]!;
  }
  s.lp1 = lp1; s.lp2 = lp2; s.lp3 = lp3; s.excPhase = phase;
  s.pDWrite = (blockStart + n) % pDLength;
}

/**
 * Gives a spessasynth reverb processor the fast plate loop. Returns false (and changes nothing)
 * when its plate is not the one this loop reproduces, so another library version still renders.
 */
export function useFastPlate(reverb: ReverbProcessor): boolean {
  const plate = (reverb as unknown as { dattorro?: unknown }).dattorro;
  if (!isPlate(plate)) return false;
  plate.process = (input, outL, outR, start, n) => fastProcess(plate, input, outL, outR, start, n);
  return true;
}
