/** One block of ffmpeg's `-progress` output, reduced to what the app shows. */
export interface FfmpegProgress {
  /** Media time reached in the output, seconds. */
  outTimeSec: number;
  frame?: number;
  fps?: number;
  speed?: number;
  /** 0..1 when the total duration is known. */
  fraction?: number;
  done: boolean;
}

/**
 * Incremental parser for `-progress` output: `key=value` lines, each block closed by
 * `progress=continue` or `progress=end`. Feed it arbitrary chunks; it returns finished blocks.
 */
export class ProgressParser {
  private partial = '';
  private fields = new Map<string, string>();

  constructor(private readonly durationSec?: number) {}

  push(chunk: string): FfmpegProgress[] {
    const text = this.partial + chunk;
    const lines = text.split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    const out: FfmpegProgress[] = [];
    for (const line of lines) {
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq).trim();
      const value = line.slice(eq + 1).trim();
      if (key === 'progress') {
        out.push(this.block(value === 'end'));
        this.fields.clear();
      } else {
        this.fields.set(key, value);
      }
    }
    return out;
  }

  private block(done: boolean): FfmpegProgress {
    const p: FfmpegProgress = { outTimeSec: outTimeSeconds(this.fields), done };
    const frame = finite(this.fields.get('frame'));
    if (frame !== undefined) p.frame = frame;
    const fps = finite(this.fields.get('fps'));
    if (fps !== undefined) p.fps = fps;
    const speed = finite(this.fields.get('speed')?.replace(/x$/, ''));
    if (speed !== undefined) p.speed = speed;
    if (this.durationSec && this.durationSec > 0) {
      p.fraction = done ? 1 : Math.min(1, Math.max(0, p.outTimeSec / this.durationSec));
    }
    return p;
  }
}

function finite(v: string | undefined): number | undefined {
  if (v === undefined || v === '' || v === 'N/A') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** `out_time_us` is exact; old builds mislabel microseconds as `out_time_ms`; `out_time` is HH:MM:SS.micro. */
function outTimeSeconds(f: Map<string, string>): number {
  const us = finite(f.get('out_time_us')) ?? finite(f.get('out_time_ms'));
  if (us !== undefined) return Math.max(0, us / 1e6);
  const hms = f.get('out_time');
  if (hms) {
    const m = /^(-?)(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(hms);
    if (m) {
      const s = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
      return m[1] ? 0 : s;
    }
  }
  return 0;
}
