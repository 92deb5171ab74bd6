import { writeViaTemp } from '../files/atomic-write.ts';
import path from 'node:path';
import { MediaError } from './errors.ts';
import { probe, type MediaInfo } from './probe.ts';
import { spawnMedia } from './process.ts';
import type { FfmpegProgress } from './progress.ts';
import { rateFromFps, timecodeToFrames, framesToSeconds } from '../timeline/timecode.ts';

/**
 * One stretch of the conformed picture: `frames` frames at the timeline rate, taken from `path`
 * starting `sourceStartSec` into it, or black and silence when `path` is null (a gap, a title).
 */
export interface ConformSegment {
  path: string | null;
  sourceStartSec: number;
  frames: number;
}

export interface ConformOptions {
  segments: readonly ConformSegment[];
  /** Timeline rate as a rational, e.g. 30000/1001. */
  rate: { num: number; den: number };
  out: string;
  /** Height of the picture; width follows the first source's aspect (default 360). */
  height?: number;
  signal?: AbortSignal;
  onProgress?: (p: FfmpegProgress) => void;
}

export interface ConformSource {
  hasVideo: boolean;
  hasAudio: boolean;
}

/** Seconds of source timecode at the file's first frame (0 without a timecode). */
export function timecodeOffsetSec(info: MediaInfo): number {
  const v = info.video;
  if (!v?.timecode || !(v.fps > 0)) return 0;
  const rate = rateFromFps(v.fps);
  return framesToSeconds(timecodeToFrames(v.timecode, rate, v.timecode.includes(';')), rate);
}

const SAMPLE_RATE = 48000;
const even = (x: number) => Math.max(2, 2 * Math.round(x / 2));

/**
 * The ffmpeg arguments for a conform: each segment is cut with an accurate input seek, brought
 * to the timeline rate and one size, padded (tpad/apad) and trimmed to exactly its frame and
 * sample count, so the concatenation lands every edit on its frame however the sources end.
 * Pure, so the frame arithmetic is unit-tested.
 */
export function conformArgs(o: {
  segments: readonly ConformSegment[];
  sources: ReadonlyMap<string, ConformSource>;
  rate: { num: number; den: number };
  width: number;
  height: number;
  out: string;
  progress: boolean;
}): string[] {
  if (o.segments.length === 0) throw new MediaError('NO_VIDEO', 'The timeline has nothing on its main video track to conform.');
  const r = `${o.rate.num}/${o.rate.den}`;
  const size = `${o.width}x${o.height}`;
  const inputs: string[] = [];
  const chains: string[] = [];
  const pads: string[] = [];
  let input = 0;
  o.segments.forEach((s, k) => {
    if (!(Number.isInteger(s.frames) && s.frames > 0)) throw new RangeError(`Segment ${k + 1} has ${s.frames} frames; each needs at least one.`);
    const sec = (s.frames * o.rate.den) / o.rate.num;
    const samples = Math.round(sec * SAMPLE_RATE);
    const src = s.path ? o.sources.get(s.path) : undefined;
    if (s.path && src?.hasVideo) {
      inputs.push('-ss', s.sourceStartSec.toFixed(6), '-t', (sec + 1).toFixed(6), '-i', s.path);
      const i = input++;
      chains.push(`[${i}:v:0]fps=${r},scale=w=${o.width}:h=${o.height}:force_original_aspect_ratio=decrease,pad=w=${o.width}:h=${o.height}:x=(ow-iw)/2:y=(oh-ih)/2,setsar=1,format=yuv420p,` +
        `tpad=stop=${s.frames}:stop_mode=add,trim=end_frame=${s.frames},setpts=PTS-STARTPTS[v${k}]`);
      chains.push(src.hasAudio
        ? `[${i}:a:0]aresample=${SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo,apad,atrim=end_sample=${samples},asetpts=PTS-STARTPTS[a${k}]`
        : `anullsrc=r=${SAMPLE_RATE}:cl=stereo,atrim=end_sample=${samples},aformat=sample_fmts=fltp:channel_layouts=stereo[a${k}]`);
    } else {
      chains.push(`color=c=black:s=${size}:r=${r},setsar=1,format=yuv420p,trim=end_frame=${s.frames},setpts=PTS-STARTPTS[v${k}]`);
      chains.push(`anullsrc=r=${SAMPLE_RATE}:cl=stereo,atrim=end_sample=${samples},aformat=sample_fmts=fltp:channel_layouts=stereo[a${k}]`);
    }
    pads.push(`[v${k}][a${k}]`);
  });
  const graph = `${chains.join(';')};${pads.join('')}concat=n=${o.segments.length}:v=1:a=1[v][a]`;
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    ...(o.progress ? ['-progress', 'pipe:3'] : []),
    ...inputs,
    '-filter_complex', graph, '-map', '[v]', '-map', '[a]',
    '-r', r, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-g', String(Math.max(1, Math.round(o.rate.num / o.rate.den))),
    '-c:a', 'aac', '-b:a', '160k', '-ar', String(SAMPLE_RATE), '-movflags', '+faststart', '-f', 'mp4', o.out,
  ];
}

/**
 * Builds the picture of an editor timeline from its sources (trim + concat of the main track,
 * gaps as black and silence), at a size fit for analysis. Probes every source first, so an
 * unreadable one is named before any encoding starts. Written under a temporary name and renamed.
 */
export async function conformTimeline(o: ConformOptions): Promise<{ path: string; durationSec: number; width: number; height: number }> {
  const sources = new Map<string, ConformSource>();
  const infos = new Map<string, MediaInfo>();
  let first: MediaInfo | null = null;
  for (const s of o.segments) {
    if (!s.path || sources.has(s.path)) continue;
    let info: MediaInfo;
    try {
      info = await probe(s.path, o.signal ? { signal: o.signal } : {});
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new MediaError('UNREADABLE', `Cannot read ${s.path} for the conform: ${(e as Error).message}`);
    }
    sources.set(s.path, { hasVideo: info.video !== null, hasAudio: info.audioStreams.length > 0 });
    infos.set(s.path, info);
    if (!first && info.video) first = info;
  }
  // Editors give in-points in source timecode (EDL, FCPXML) or from the file's first frame (xmeml):
  // a point at or past the file's timecode start is taken as timecode.
  const segments = o.segments.map((s, k) => {
    const info = s.path ? infos.get(s.path) : undefined;
    if (!s.path || !info) return s;
    const tc = timecodeOffsetSec(info);
    const start = tc > 0 && s.sourceStartSec >= tc - 1e-6 ? s.sourceStartSec - tc : s.sourceStartSec;
    if (start >= info.durationSec) {
      throw new MediaError('TRUNCATED', `Segment ${k + 1} starts ${start.toFixed(3)} s into ${path.basename(s.path)}, which lasts only ${info.durationSec.toFixed(3)} s${tc ? '' : ' and carries no start timecode'}: relink it to the right file.`);
    }
    return { ...s, sourceStartSec: Math.max(0, start) };
  });
  const height = o.height ?? 360;
  const aspect = first?.video ? first.video.displayWidth / Math.max(1, first.video.displayHeight) : 16 / 9;
  const width = even(height * aspect);
  const frames = segments.reduce((n, s) => n + s.frames, 0);
  const durationSec = (frames * o.rate.den) / o.rate.num;
  await writeViaTemp(o.out, async (tmp) => {
    const args = conformArgs({ segments, sources, rate: o.rate, width, height: even(height), out: tmp, progress: o.onProgress !== undefined });
    const proc = spawnMedia('ffmpeg', args, { ...(o.signal ? { signal: o.signal } : {}), ...(o.onProgress ? { onProgress: o.onProgress } : {}), durationSec });
    proc.stdout.resume();
    await proc.done;
  });
  return { path: o.out, durationSec, width, height: even(height) };
}
