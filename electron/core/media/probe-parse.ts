/** Pure parsing of ffprobe output into the app's typed media description. */

export interface VideoStreamInfo {
  index: number;
  codec: string;
  /** Coded size, as stored. */
  width: number;
  height: number;
  /** Size as shown after applying rotation metadata (what decoded frames have). */
  displayWidth: number;
  displayHeight: number;
  /** Clockwise rotation a player applies, 0/90/180/270. */
  rotation: number;
  /** Average frame rate (frames ÷ duration). */
  fps: number;
  /** The rate of the typical frame interval (median), what a CFR clip really runs at. */
  realFps: number;
  frameCount: number;
  /** True when frame intervals vary beyond timestamp rounding. */
  vfr: boolean;
  durationSec: number;
  startTimeSec: number;
  pixFmt: string | null;
  /** The source timecode of the first frame ("01:00:00:00", ";" for drop-frame), when the file carries one. */
  timecode?: string;
}

export interface AudioStreamInfo {
  index: number;
  codec: string;
  sampleRate: number;
  channels: number;
  channelLayout: string | null;
  durationSec: number | null;
}

export interface MediaInfo {
  path: string;
  sizeBytes: number;
  durationSec: number;
  container: string;
  formatLongName: string | null;
  bitRate: number | null;
  video: VideoStreamInfo | null;
  audio: AudioStreamInfo | null;
  audioStreams: AudioStreamInfo[];
  /** Problems that do not stop use of the file, e.g. it ends earlier than its header says. */
  warnings: string[];
}

interface FfprobeStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
  start_time?: string;
  time_base?: string;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
  tags?: Record<string, string>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number }>;
  disposition?: { attached_pic?: number };
}

export interface FfprobeJson {
  streams?: FfprobeStream[];
  format?: {
    filename?: string;
    format_name?: string;
    format_long_name?: string;
    duration?: string;
    bit_rate?: string;
    start_time?: string;
    tags?: Record<string, string>;
  };
}

/** Per-packet timing of the video stream, in stream time-base ticks. */
export interface PacketTiming {
  pts: number[];
  durations: number[];
}

export function parseRate(r: string | undefined): number | undefined {
  if (!r) return undefined;
  const [n, d] = r.split('/').map(Number);
  if (n === undefined || !Number.isFinite(n)) return undefined;
  const v = d === undefined ? n : d === 0 ? NaN : n / d;
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

function num(v: string | number | undefined): number | undefined {
  if (v === undefined || v === 'N/A') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Cameras and editors write the start timecode on the video stream, a tmcd stream or the container. */
function timecodeTag(vs: FfprobeStream, streams: FfprobeStream[], formatTags?: Record<string, string>): { timecode?: string } {
  const tc = vs.tags?.timecode ?? streams.find((s) => s.tags?.timecode)?.tags?.timecode ?? formatTags?.timecode;
  return tc && /^\d{1,2}:\d{2}:\d{2}[:;.,]\d{2,3}$/.test(tc.trim()) ? { timecode: tc.trim() } : {};
}

export function rotationOf(s: FfprobeStream): number {
  const tag = num(s.tags?.rotate);
  let deg: number | undefined = tag;
  if (deg === undefined) {
    const m = s.side_data_list?.find((d) => d.side_data_type === 'Display Matrix' && typeof d.rotation === 'number');
    // ffprobe's display-matrix angle is counter-clockwise; the `rotate` tag is clockwise.
    if (m) deg = -(m.rotation as number);
  }
  if (deg === undefined) return 0;
  const r = ((Math.round(deg / 90) * 90) % 360 + 360) % 360;
  return r;
}

/** Picks a short container name: the file's extension when ffprobe lists it, else its first name. */
export function containerName(formatName: string | undefined, filePath: string): string {
  if (!formatName) return 'unknown';
  const names = formatName.split(',');
  const ext = filePath.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (ext && names.includes(ext)) return ext;
  if (names.includes('mp4') && ext === 'm4v') return 'mp4';
  return names[0]!;
}

export interface IntervalStats {
  frameCount: number;
  medianInterval: number;
  vfr: boolean;
  firstPts: number;
  lastEnd: number;
}

/**
 * Frame intervals from packet timestamps: CFR when every interval is within rounding of the
 * median (one tick, or 2 % for coarse 1/1000 time bases), VFR otherwise.
 */
export function intervalStats(t: PacketTiming): IntervalStats | undefined {
  const pts = t.pts.filter((p) => Number.isFinite(p)).sort((a, b) => a - b);
  if (pts.length === 0) return undefined;
  const deltas: number[] = [];
  for (let i = 1; i < pts.length; i++) {
    const d = pts[i]! - pts[i - 1]!;
    if (d > 0) deltas.push(d);
  }
  const sorted = [...deltas].sort((a, b) => a - b);
  const lastDur = t.durations.length ? t.durations[t.durations.length - 1] : undefined;
  const median = sorted.length ? sorted[Math.floor(sorted.length / 2)]! : lastDur && lastDur > 0 ? lastDur : 0;
  const tol = Math.max(1.5, median * 0.02);
  const vfr = deltas.some((d) => Math.abs(d - median) > tol);
  const lastPts = pts[pts.length - 1]!;
  const lastEnd = lastPts + (lastDur && lastDur > 0 ? lastDur : median);
  return { frameCount: pts.length, medianInterval: median, vfr, firstPts: pts[0]!, lastEnd };
}

export function parseProbe(
  json: FfprobeJson,
  packets: PacketTiming | null,
  filePath: string,
  sizeBytes: number,
): MediaInfo {
  const streams = json.streams ?? [];
  const format = json.format ?? {};
  const warnings: string[] = [];
  const formatDuration = num(format.duration);

  const vs = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  let video: VideoStreamInfo | null = null;
  if (vs) {
    const tb = parseRate(vs.time_base) ?? 1 / 90000;
    const rotation = rotationOf(vs);
    const width = vs.width ?? 0;
    const height = vs.height ?? 0;
    const swap = rotation === 90 || rotation === 270;
    const stats = packets ? intervalStats(packets) : undefined;
    const startTimeSec = stats ? stats.firstPts * tb : num(vs.start_time) ?? 0;
    const streamDuration = num(vs.duration) ?? formatDuration ?? 0;
    const frameCount = stats?.frameCount ?? num(vs.nb_frames) ?? 0;
    const realFps = stats && stats.medianInterval > 0 ? 1 / (stats.medianInterval * tb) : parseRate(vs.r_frame_rate) ?? 0;
    const avgFromHeader = parseRate(vs.avg_frame_rate);
    const measuredDuration = stats ? (stats.lastEnd - stats.firstPts) * tb : streamDuration;
    const fps = avgFromHeader ?? (measuredDuration > 0 ? frameCount / measuredDuration : realFps);
    if (stats && streamDuration > 0 && measuredDuration < streamDuration - Math.max(1, 2 / (realFps || 1))) {
      warnings.push(
        `Video data ends at ${measuredDuration.toFixed(2)} s although the file declares ${streamDuration.toFixed(2)} s: the file looks truncated.`,
      );
    }
    video = {
      index: vs.index,
      codec: vs.codec_name ?? 'unknown',
      width,
      height,
      displayWidth: swap ? height : width,
      displayHeight: swap ? width : height,
      rotation,
      fps,
      realFps,
      frameCount,
      vfr: stats?.vfr ?? false,
      durationSec: stats ? Math.min(measuredDuration, streamDuration || measuredDuration) : streamDuration,
      startTimeSec,
      pixFmt: vs.pix_fmt ?? null,
      ...timecodeTag(vs, streams, format.tags),
    };
  }

  const audioStreams: AudioStreamInfo[] = streams
    .filter((s) => s.codec_type === 'audio')
    .map((s) => ({
      index: s.index,
      codec: s.codec_name ?? 'unknown',
      sampleRate: num(s.sample_rate) ?? 0,
      channels: s.channels ?? 0,
      channelLayout: s.channel_layout ?? null,
      durationSec: num(s.duration) ?? null,
    }));

  const durationSec = formatDuration ?? video?.durationSec ?? audioStreams[0]?.durationSec ?? 0;
  return {
    path: filePath,
    sizeBytes,
    durationSec,
    container: containerName(format.format_name, filePath),
    formatLongName: format.format_long_name ?? null,
    bitRate: num(format.bit_rate) ?? null,
    video,
    audio: audioStreams[0] ?? null,
    audioStreams,
    warnings,
  };
}

/** Parses `ffprobe -show_entries packet=pts,dts,duration -of csv=p=0` output. */
export function parsePacketCsv(text: string): PacketTiming {
  const pts: number[] = [];
  const durations: number[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [p, d, dur] = line.split(',');
    const v = num(p) ?? num(d);
    if (v === undefined) continue;
    pts.push(v);
    durations.push(num(dur) ?? NaN);
  }
  return { pts, durations };
}

const ISO_BMFF_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot', 'uuid']);

/** True when the bytes start like an MP4/MOV file (an ISO base-media box header). */
export function looksLikeIsoBmff(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  const type = String.fromCharCode(head[4]!, head[5]!, head[6]!, head[7]!);
  return ISO_BMFF_BOXES.has(type);
}

/**
 * Turns ffprobe's complaint about an unreadable file into something a user can act on.
 * ffprobe picks the MP4 demuxer from the extension, so "moov atom not found" alone does not
 * mean truncation: only a file that really starts like an MP4 is called incomplete.
 */
export function describeProbeFailure(
  filePath: string,
  stderr: string,
  head: Uint8Array = new Uint8Array(),
): { code: 'TRUNCATED' | 'NOT_MEDIA'; message: string } {
  if (/moov atom not found/i.test(stderr) && looksLikeIsoBmff(head)) {
    return {
      code: 'TRUNCATED',
      message: `${filePath} is incomplete: its MP4 index (moov atom) is missing, which happens when a recording or copy was cut off. Re-export or copy the file again.`,
    };
  }
  const last = stderr.trim().split('\n').filter(Boolean).pop() ?? '';
  const reason = last.replace(/^.*?:\s*(?=[A-Z])/, '') || 'ffprobe could not read it';
  return {
    code: 'NOT_MEDIA',
    message: `${filePath} is not a video or audio file that can be read (${reason}).`,
  };
}
