/**
 * The longest run of 100 ms blocks quieter than −60 dBFS (mean square over both channels),
 * streamed over interleaved stereo; frames from `countedFrames` on (a deliberate fade) are not
 * counted.
 */
export class QuietRun {
  private readonly block: number;
  private acc = 0;
  private inBlock = 0;
  private run = 0;
  private seen = 0;
  /** Longest run so far, in blocks. */
  longest = 0;

  constructor(sampleRate: number, private readonly countedFrames: number) {
    this.block = Math.round(sampleRate / 10);
  }

  push(interleaved: Float32Array): void {
    const n = Math.min(interleaved.length >> 1, this.countedFrames - this.seen);
    this.seen += interleaved.length >> 1;
    const { block } = this;
    let { acc, inBlock, run, longest } = this; // locals in the loop, not fields
    for (let i = 0; i < n; i++) {
      const l = interleaved[2 * i]!, r = interleaved[2 * i + 1]!;
      acc += l * l + r * r;
      if (++inBlock === block) {
        run = acc / (2 * block) < 1e-6 ? run + 1 : 0;
        if (run > longest) longest = run;
        acc = 0;
        inBlock = 0;
      }
    }
    this.acc = acc;
    this.inBlock = inBlock;
    this.run = run;
    this.longest = longest;
  }
}
