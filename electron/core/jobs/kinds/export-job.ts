import { mkdirSync, rmSync, statSync } from 'node:fs';
import { copyFileAtomic, writeFileAtomic } from '../../files/atomic-write.ts';
import path from 'node:path';
import type { GeneratedFile, RhythmPlan as TimelinePlan } from '../../../shared/domain.ts';
import { muxMusic, probe, type MixMode } from '../../media/index.ts';
import { rateFromFps, writeInterchangeFile, type EditorTimeline, type InterchangeFormat } from '../../timeline/index.ts';
import { interchangeMarkers } from '../../api/timeline-import.ts';
import type { JobContext } from '../job-protocol.ts';
import { markersCsv } from './markers-csv.ts';

export type ExportKind = 'mp4' | 'wav' | 'stems' | 'midi' | 'markers' | 'fcpxml' | 'xmeml' | 'edl' | 'resolve-edl' | 'otio';
const INTERCHANGE: readonly ExportKind[] = ['fcpxml', 'xmeml', 'edl', 'resolve-edl', 'otio'];

export interface ExportJobInput {
  kind: ExportKind;
  /** Destination file (a folder for stems). */
  path: string;
  clipPath: string;
  files: Array<Pick<GeneratedFile, 'role' | 'path'>>;
  plan: TimelinePlan | null;
  fps: number;
  mix?: MixMode;
  /** The editor's sequence the clip was imported from; interchange files send it back with the music. */
  timeline?: EditorTimeline | null;
  /** The clip as a one-clip sequence when there is no imported timeline. */
  video?: { durationSec: number; width: number; height: number };
}



function needFolder(dir: string): void {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new Error(`The folder ${dir} does not exist: choose an existing folder to export to.`);
  }
  if (!st.isDirectory()) throw new Error(`${dir} is not a folder.`);
}

function fileOf(files: ExportJobInput['files'], role: GeneratedFile['role'], what: string): string {
  const f = files.find((x) => x.role === role);
  if (!f) throw new Error(`This generation has no ${what}.`);
  try {
    statSync(f.path);
  } catch {
    throw new Error(`The generated ${what} is missing (${f.path}): it was moved or deleted; generate again.`);
  }
  return f.path;
}

/** Exports one generation: scored MP4, the music WAV, its stems, its MIDI, or the plan as CSV markers. */
export async function exportJob(input: ExportJobInput, ctx: JobContext): Promise<{ path: string; files: string[]; warnings: string[] }> {
  const dest = path.resolve(input.path);
  ctx.progress('export', 0);
  if (input.kind === 'stems') {
    const stems = input.files.filter((f) => f.role === 'stem');
    if (stems.length === 0) throw new Error('This generation has no stems: generate again with stems turned on.');
    mkdirSync(dest, { recursive: true });
    const written = stems.map((s, i) => {
      const to = path.join(dest, path.basename(s.path));
      copyFileAtomic(s.path, to);
      ctx.progress('export', (i + 1) / stems.length);
      return to;
    });
    return { path: dest, files: written, warnings: [] };
  }
  needFolder(path.dirname(dest));
  if (input.kind === 'mp4') {
    const music = input.files.find((f) => f.role === 'mix') ? fileOf(input.files, 'mix', 'mix') : fileOf(input.files, 'music', 'music file');
    const r = await muxMusic({
      video: input.clipPath,
      music,
      out: dest,
      mode: input.mix ?? 'replace',
      signal: ctx.signal,
      onProgress: (p) => ctx.progress('export', p.fraction ?? 0),
    });
    return { path: r.path, files: [r.path], warnings: r.warnings };
  }
  if (input.kind === 'wav' || input.kind === 'midi') {
    const from = input.kind === 'wav' ? fileOf(input.files, 'music', 'music file') : fileOf(input.files, 'midi', 'MIDI file (only the built-in composer writes one)');
    copyFileAtomic(from, dest);
    ctx.progress('export', 1);
    return { path: dest, files: [dest], warnings: [] };
  }
  if (input.kind === 'markers') {
    if (!input.plan) throw new Error('This clip has no rhythm plan to export as markers: analyse it first.');
    writeFileAtomic(dest, markersCsv(input.plan, input.timeline ? input.timeline.rate.num / input.timeline.rate.den : input.fps, input.timeline?.dropFrame ?? false));
    ctx.progress('export', 1);
    return { path: dest, files: [dest], warnings: [] };
  }
  if (INTERCHANGE.includes(input.kind)) {
    if (!input.plan) throw new Error('This clip has no rhythm plan to export as markers: analyse it first.');
    const music = fileOf(input.files, 'music', 'music file');
    // The music travels with the file, so the editor finds it beside the sequence.
    const ext = path.extname(dest);
    const musicCopy = path.join(path.dirname(dest), `${path.basename(dest, ext)}-music${path.extname(music) || '.wav'}`);
    copyFileAtomic(music, musicCopy);
    const musicInfo = await probe(musicCopy, { signal: ctx.signal });
    ctx.progress('export', 0.5);
    const rate = input.timeline?.rate ?? rateFromFps(input.fps);
    const fps = rate.num / rate.den;
    await writeInterchangeFile(dest, input.kind as InterchangeFormat, {
      timeline: input.timeline ?? null,
      markers: interchangeMarkers(input.plan, rate, fps, input.timeline ?? null),
      music: { path: musicCopy, name: path.basename(musicCopy), durationSec: musicInfo.durationSec, ...(musicInfo.audio ? { sampleRate: musicInfo.audio.sampleRate } : {}) },
      ...(input.timeline ? {} : { video: { path: input.clipPath, fps: rate, durationSec: input.video?.durationSec ?? 0, ...(input.video ? { width: input.video.width, height: input.video.height } : {}) } }),
    });
    ctx.progress('export', 1);
    return { path: dest, files: [dest, musicCopy], warnings: [] };
  }
  throw new Error(`Unknown export kind "${String(input.kind)}".`);
}
