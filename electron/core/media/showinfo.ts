/** Pure parsers for ffmpeg output that carries per-frame data. */

export interface ShowinfoFrame {
  /** The filter instance: `Parsed_showinfo_3`, or the `name` of `showinfo@name`. */
  instance: string;
  n: number;
  /** Integer timestamp in the filter's time base, when printed. */
  pts: number | undefined;
  /** ffmpeg's rounded decimal rendering of the time. */
  ptsTime: number;
}

// The log context is `[Parsed_showinfo_N @ 0x…]` for unnamed instances, `[showinfo@name @ 0x…]` for named ones.
const INSTANCE = String.raw`\[(?:showinfo@(\w+)|(Parsed_showinfo_\d+)) @ [^\]]*\]\s*`;
const SHOWINFO = new RegExp(INSTANCE + String.raw`n:\s*(\d+)\s+pts:\s*(-?\d+|NOPTS)\s+pts_time:\s*(\S+)`);
const TIME_BASE = new RegExp(INSTANCE + String.raw`config in time_base:\s*(\d+)\/(\d+)`);

/** True for any line a showinfo filter printed (they flood stderr, one or two per frame). */
export function isShowinfoLine(line: string): boolean {
  return /\[(?:showinfo@\w+|Parsed_showinfo_\d+) @ /.test(line);
}

/** Reads the frame number and presentation time from one `showinfo` log line, if it is one. */
export function parseShowinfoLine(line: string): ShowinfoFrame | undefined {
  const m = SHOWINFO.exec(line);
  if (!m) return undefined;
  const ptsTime = m[5] === 'NOPTS' ? NaN : Number(m[5]);
  return { instance: (m[1] ?? m[2])!, n: Number(m[3]), pts: m[4] === 'NOPTS' ? undefined : Number(m[4]), ptsTime };
}

/**
 * Turns a showinfo log into exact frame times: pts × the time base announced in the filter's
 * "config in" line, since the printed pts_time keeps only six significant digits.
 */
export class ShowinfoTimes {
  private timeBase: { num: number; den: number } | undefined;

  /** `instance`: only lines of `showinfo@instance` count (several may share one stderr). */
  constructor(private readonly instance?: string) {}

  /** The frame time in seconds when the line describes a frame of this instance. */
  line(line: string): number | undefined {
    const tb = TIME_BASE.exec(line);
    if (tb) {
      if (this.instance !== undefined && tb[1] !== this.instance) return undefined;
      const den = Number(tb[4]);
      this.timeBase = den > 0 ? { num: Number(tb[3]), den } : undefined;
      return undefined;
    }
    const f = parseShowinfoLine(line);
    if (!f || (this.instance !== undefined && f.instance !== this.instance)) return undefined;
    // pts·num/den rounds once, so 30030·1/30000 is exactly 1.001.
    return f.pts !== undefined && this.timeBase ? (f.pts * this.timeBase.num) / this.timeBase.den : f.ptsTime;
  }
}

/**
 * Splits a concatenation of baseline JPEG images (ffmpeg's `image2pipe` + `mjpeg`) into images.
 * Inside entropy-coded data 0xFF is always followed by 0x00 or a restart marker, so 0xFFD9
 * only ever marks the end of an image.
 */
export class JpegSplitter {
  private parts: Buffer[] = [];
  private partsLength = 0;
  private lastByteWasFF = false;

  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.lastByteWasFF && b === 0xd9) {
        this.parts.push(chunk.subarray(start, i + 1));
        out.push(Buffer.concat(this.parts, this.partsLength + (i + 1 - start)));
        this.parts = [];
        this.partsLength = 0;
        start = i + 1;
      }
      this.lastByteWasFF = b === 0xff;
    }
    if (start < chunk.length) {
      this.parts.push(chunk.subarray(start));
      this.partsLength += chunk.length - start;
    }
    return out;
  }

  /** Bytes left over that did not form a whole image. */
  get pendingBytes(): number {
    return this.partsLength;
  }
}
