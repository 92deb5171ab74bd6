import { rmSync } from 'node:fs';
import { audioChunks, gatheredFrames, isAbortError, MediaError, probe, type JpegFrame, type MediaInfo } from '../media/index.ts';
import { makeScratchDir } from '../scratch/index.ts';
import type { FrameAnalysisResult, SceneDetectorKind } from './frame-analyser.ts';
import { inlineFrameSink, workerFrameSink, type FrameSink } from './frame-sink.ts';
import { overallMood, perSceneMood, perSecondMood, type MoodInput } from './mood.ts';
import { DIFF_V2M_HISTOGRAM } from './rgb-uv-histogram.ts';
import { pysceneGrid } from './scene/index.ts';
import { secondsCovered, sceneVector } from './scene-vector.ts';
import { VIDEO_ANALYSIS_VERSION, type Filmstrip, type VideoAnalysis } from './video-analysis.ts';
import { beatVector, DEFAULT_VISUAL_BEAT_PARAMS, visualBeats, type VisualBeatParams } from './visual-beats.ts';
import { DEFAULT_VISUAL_RHYTHM_PARAMS, visualRhythm, type VisualRhythmParams } from './visual-rhythm.ts';
import { WaveformPeaksBuilder } from './waveform-peaks.ts';

export type AnalysisStage = 'probe' | 'frames' | 'summary';

export interface AnalysisProgress {
  stage: AnalysisStage;
  /** 0..1 within the stage. */
  fraction: number;
}

export interface AnalyzeOptions {
  signal?: AbortSignal;
  onProgress?: (p: AnalysisProgress) => void;
  /** Problems that did not stop the analysis (they are also in the result's `warnings`). */
  onWarning?: (message: string) => void;
  /** Scene detector whose cuts become `sceneCuts`; PySceneDetect's default is 'content'. */
  detector?: SceneDetectorKind;
  /** 3072-d colour histograms per second (default true). */
  histograms?: boolean;
  /** Filmstrip tiles; `false` skips them (saves a second video decode). */
  filmstrip?: false | { intervalSec?: number; height?: number };
  /** Waveform peaks of the first audio stream, when there is one (default true). */
  waveform?: boolean;
  rhythm?: Partial<VisualRhythmParams>;
  beats?: Partial<VisualBeatParams>;
  /** Run the per-frame work in a worker thread (default true). */
  worker?: boolean;
  /** A probe result to skip probing again. */
  info?: MediaInfo;
}

const MAX_DECODER_WARNINGS = 8;
export const DEFAULT_FILMSTRIP = { intervalSec: 1, height: 72 };
/** The waveform is for drawing, so a modest rate keeps the pipe cheap. */
export const WAVEFORM_SAMPLE_RATE = 22050;

const HISTOGRAM_RECIPE =
  'HistoGAN RGB-uv histogram, h=32, inverse-quadratic kernel, sigma=0.02, intensity-scaled, bilinear resize to 150x150, ' +
  'of the first frame of each second (centre square, box-filtered to 224x224). Best-supported hypothesis of Diff-V2M\'s colour features; the exact recipe is unpublished.';

interface FramesOutcome {
  result: FrameAnalysisResult;
  /** Set when ffmpeg failed after some frames: what it said. */
  stoppedBy?: string;
}

/**
 * Analyses a video in one pass: the video is decoded once at full resolution (BGR) and every
 * frame goes, downscaled once, to the scene detector and the visual-rhythm curve, with one frame
 * per second to the colour features; the same decode also yields the filmstrip tiles (split
 * inside ffmpeg), and the audio is decoded concurrently for the waveform. Cancelling through `signal` stops every ffmpeg process and the
 * worker before this rejects.
 */
export async function analyzeVideo(filePath: string, opts: AnalyzeOptions = {}): Promise<VideoAnalysis> {
  const warnings: string[] = [];
  const warn = (m: string) => {
    if (warnings.includes(m)) return;
    warnings.push(m);
    opts.onWarning?.(m);
  };
  // A damaged file can make the decoder complain on every frame: keep the first few.
  let decoderWarnings = 0;
  let decoderSawTruncation = false;
  const decoderWarn = (m: string) => {
    if (/partial file|truncat|end of file/i.test(m)) decoderSawTruncation = true;
    decoderWarnings++;
    if (decoderWarnings <= MAX_DECODER_WARNINGS) warn(`Decoder: ${m}`);
  };
  const progress = (stage: AnalysisStage, fraction: number) => opts.onProgress?.({ stage, fraction });
  const detector = opts.detector ?? 'content';
  if (detector !== 'content' && detector !== 'adaptive') throw new RangeError(`Unknown scene detector "${String(detector)}": use "content" or "adaptive".`);
  const rhythmParams = { ...DEFAULT_VISUAL_RHYTHM_PARAMS, ...opts.rhythm };
  const beatParams = { ...DEFAULT_VISUAL_BEAT_PARAMS, ...opts.beats };
  const filmstripOpts = opts.filmstrip === false ? null : { ...DEFAULT_FILMSTRIP, ...opts.filmstrip };

  progress('probe', 0);
  const info = opts.info ?? (await probe(filePath, { signal: opts.signal }));
  progress('probe', 1);
  const v = info.video;
  if (!v) throw new MediaError('NO_VIDEO', `${filePath} has no video stream (it looks like an audio-only file), so there is nothing to analyse.`);
  if (!(v.displayWidth > 0 && v.displayHeight > 0)) throw new MediaError('NOT_MEDIA', `${filePath}: the video stream has no picture size, so it cannot be decoded.`);
  for (const w of info.warnings) warn(w);
  const fps = v.realFps > 0 ? v.realFps : v.fps > 0 ? v.fps : 25;

  // One controller for every stream: a failure in one stops the others.
  const inner = new AbortController();
  const onOuterAbort = () => inner.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onOuterAbort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });

  // Filmstrip tiles come from the analysis decode itself (ffmpeg splits the decoded picture).
  const strip: Filmstrip | null = filmstripOpts ? { intervalSec: filmstripOpts.intervalSec, width: 0, height: 0, tiles: [] } : null;
  const thumbnails = strip && filmstripOpts
    ? {
        intervalSec: filmstripOpts.intervalSec,
        height: filmstripOpts.height,
        onThumbnail: (t: JpegFrame) => {
          strip.width = t.width;
          strip.height = t.height;
          strip.tiles.push({ timeSec: t.ptsSec, jpeg: t.jpeg });
        },
      }
    : undefined;

  const framesTask = async (): Promise<FramesOutcome> => {
    const config = {
      width: v.displayWidth,
      height: v.displayHeight,
      frameCountHint: v.frameCount,
      detector,
      histograms: opts.histograms !== false,
    };
    let sink: FrameSink;
    if (opts.worker === false) sink = inlineFrameSink(config);
    else {
      try {
        sink = await workerFrameSink(config);
      } catch (err) {
        // Still correct on this thread, only slower: say so rather than fail.
        warn(`The analysis worker thread could not start (${(err as Error).message}); analysing on the main thread instead.`);
        sink = inlineFrameSink(config);
      }
    }
    let stoppedBy: string | undefined;
    let decoded = 0;
    const workDir = makeScratchDir('analysis-');
    try {
      try {
        // ffmpeg converts every frame to BGR and pipes only the pixels the OpenCV-exact downscale reads.
        const stream = gatheredFrames(filePath, {
          grid: pysceneGrid(v.displayWidth, v.displayHeight),
          workDir,
          signal: inner.signal,
          info,
          onWarning: decoderWarn,
          samples: { intervalSec: 1, onSample: (f) => sink.pushSample(f.ptsSec, f.data, f.width) },
          ...(thumbnails ? { thumbnails } : {}),
        });
        for await (const f of stream) {
          await sink.push(f.index, f.ptsSec, f.data);
          decoded++;
          if (v.frameCount > 0) progress('frames', Math.min(1, decoded / v.frameCount));
          else if (info.durationSec > 0) progress('frames', Math.min(1, Math.max(0, f.ptsSec / info.durationSec)));
        }
      } catch (err) {
        // A file that breaks mid-way: keep what decoded, say where it stopped.
        if (isAbortError(err) || !(err instanceof MediaError) || err.code !== 'FFMPEG_FAILED') throw err;
        if (decoded === 0) {
          throw new MediaError('FFMPEG_FAILED', `No frame of ${filePath} could be decoded: the video is damaged or in a format this ffmpeg cannot decode (${err.message}).`, { cause: err, ...(err.stderr !== undefined ? { stderr: err.stderr } : {}) });
        }
        stoppedBy = err.message;
      }
      return { result: await sink.finish(), ...(stoppedBy ? { stoppedBy } : {}) };
    } finally {
      await sink.close();
      rmSync(workDir, { recursive: true, force: true });
    }
  };

  const waveformTask = async () => {
    const a = info.audio;
    if (opts.waveform === false || !a) return null;
    const channels = Math.min(2, Math.max(1, a.channels));
    const builder = new WaveformPeaksBuilder(WAVEFORM_SAMPLE_RATE, channels);
    try {
      for await (const chunk of audioChunks(filePath, { sampleRate: WAVEFORM_SAMPLE_RATE, channels, signal: inner.signal, info })) builder.push(chunk);
    } catch (err) {
      if (isAbortError(err) || !(err instanceof MediaError) || err.code !== 'FFMPEG_FAILED') throw err;
      const peaks = builder.finish();
      if (peaks.frames === 0) {
        warn(`The audio could not be decoded (${err.message}); no waveform.`);
        return null;
      }
      warn(`Audio decoding stopped at ${(peaks.frames / WAVEFORM_SAMPLE_RATE).toFixed(2)} s: ${err.message}`);
      return peaks;
    }
    return builder.finish();
  };

  const guard = <T>(p: Promise<T>) => p.catch((err: unknown) => {
    inner.abort(err);
    throw err;
  });
  const settled = await Promise.allSettled([guard(framesTask()), guard(waveformTask())]);
  opts.signal?.removeEventListener('abort', onOuterAbort);
  if (opts.signal?.aborted) {
    const reason = opts.signal.reason;
    throw new MediaError('ABORTED', `Analysis cancelled${reason instanceof Error ? `: ${reason.message}` : ''}`);
  }
  // Report the root cause, not the cancellations it caused in the other streams.
  const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as unknown);
  if (failures.length) throw failures.find((e) => !isAbortError(e)) ?? failures[0];
  const [framesOut, waveformOut] = settled as [
    PromiseFulfilledResult<FramesOutcome>, PromiseFulfilledResult<Awaited<ReturnType<typeof waveformTask>>>,
  ];
  const fr = framesOut.value.result;

  if (fr.frameCount === 0) {
    throw new MediaError(
      info.warnings.length ? 'TRUNCATED' : 'FFMPEG_FAILED',
      `No frame of ${filePath} could be decoded${framesOut.value.stoppedBy ? ` (${framesOut.value.stoppedBy})` : ''}: the file is damaged or truncated. Re-export or copy it again.`,
    );
  }
  progress('summary', 0);

  if (decoderWarnings > MAX_DECODER_WARNINGS) warn(`The decoder reported ${decoderWarnings - MAX_DECODER_WARNINGS} more problems (not listed).`);
  const startSec = fr.frameTimes[0]!;
  const lastSec = fr.frameTimes[fr.frameCount - 1]!;
  // What the file promises: the container's duration when the probe found the data cut short.
  const truncatedByProbe = info.warnings.some((w) => /truncated/i.test(w));
  const expectedEnd = Math.max(v.startTimeSec + v.durationSec, truncatedByProbe ? info.durationSec : 0);
  const decodedEnd = lastSec + 1 / fps;
  // Stopped early: ffmpeg failed, the frames end well before the packets said they would, or
  // the probe or decoder saw the file end early.
  const short = v.frameCount > 0 && fr.frameCount < v.frameCount && decodedEnd < expectedEnd - Math.max(0.5, 2 / fps);
  const complete = !framesOut.value.stoppedBy && !short && !truncatedByProbe && !decoderSawTruncation;
  if (!complete) {
    warn(
      `Decoding stopped at ${lastSec.toFixed(2)} s (${fr.frameCount} frames) although the file declares ${expectedEnd.toFixed(2)} s: ` +
        `it is truncated or damaged, so the analysis covers only up to ${lastSec.toFixed(2)} s.` +
        (framesOut.value.stoppedBy ? ` ffmpeg said: ${framesOut.value.stoppedBy}` : ''),
    );
  }
  const durationSec = complete ? v.durationSec : decodedEnd - startSec;
  const seconds = secondsCovered(lastSec);

  const { curve, scaled } = visualRhythm(fr.lumaDiffs, fps, rhythmParams);
  const beats = visualBeats(scaled, fr.frameTimes, fps, beatParams);
  const cutTimes = fr.cuts.map((c) => c.timeSec);
  const moodInput: MoodInput = {
    durationSec, startSec, seconds,
    sampleTimes: fr.sampleTimes, sampleColours: fr.sampleColours,
    frameTimes: fr.frameTimes, curve, cutTimes,
  };
  const perSecond = perSecondMood(moodInput);
  const analysis: VideoAnalysis = {
    version: VIDEO_ANALYSIS_VERSION,
    source: { path: filePath, sizeBytes: info.sizeBytes, width: v.displayWidth, height: v.displayHeight, codec: v.codec, vfr: v.vfr },
    durationSec,
    startSec,
    fps,
    frameCount: fr.frameCount,
    seconds,
    sceneDetector: detector,
    sceneCuts: fr.cuts,
    contentValues: fr.contentValues,
    sceneVector: sceneVector(cutTimes, seconds),
    visualRhythm: { fps, curve, frameTimes: fr.frameTimes, params: rhythmParams },
    visualBeats: beats,
    visualBeatParams: beatParams,
    visualBeatVector: beatVector(beats, seconds),
    colourHistograms: opts.histograms === false ? null : {
      dim: 3 * DIFF_V2M_HISTOGRAM.bins * DIFF_V2M_HISTOGRAM.bins,
      times: fr.sampleTimes,
      data: fr.histograms,
      recipe: HISTOGRAM_RECIPE,
    },
    mood: { overall: overallMood(perSecond, fr.cuts.length, durationSec), perSecond, perScene: perSceneMood(moodInput) },
    filmstrip: strip && strip.tiles.length > 0 ? strip : null,
    waveform: waveformOut.value,
    complete,
    warnings,
  };
  progress('summary', 1);
  return analysis;
}
