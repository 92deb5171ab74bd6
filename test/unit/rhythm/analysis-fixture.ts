import type { VideoAnalysis } from '../../../electron/core/video/index.ts';

/** A VideoAnalysis built by hand (no decoding): cuts, visual beats and a motion curve at 25 fps. */
export function fakeAnalysis(o: {
  durationSec: number;
  cuts?: { timeSec: number; score: number }[];
  beats?: { timeSec: number; strength: number }[];
  motion?: (t: number) => number;
  arousal?: number;
  valence?: number;
}): VideoAnalysis {
  const fps = 25;
  const n = Math.round(o.durationSec * fps);
  const frameTimes = Float64Array.from({ length: n }, (_, i) => i / fps);
  const curve = Float32Array.from(frameTimes, (t) => o.motion?.(t) ?? 0.2);
  const seconds = Math.ceil(o.durationSec);
  const mood = {
    brightness: 0.5, saturation: 0.4, warmth: 0.1, colourfulness: 40, motionEnergy: 0.2, cutRate: 6,
    valence: o.valence ?? 0.2, arousal: o.arousal ?? 0,
  };
  const zeros = () => new Float32Array(seconds);
  return {
    version: 1,
    source: { path: '/fake/clip.mp4', sizeBytes: 1, width: 320, height: 240, codec: 'h264', vfr: false },
    durationSec: o.durationSec,
    startSec: 0,
    fps,
    frameCount: n,
    seconds,
    sceneDetector: 'content',
    sceneCuts: (o.cuts ?? []).map((c) => ({ frame: Math.round(c.timeSec * fps), timeSec: c.timeSec, score: c.score })),
    contentValues: new Float64Array(n),
    sceneVector: new Uint8Array(seconds),
    visualRhythm: { fps, curve, frameTimes, params: {} as never },
    visualBeats: o.beats ?? [],
    visualBeatParams: {} as never,
    visualBeatVector: zeros(),
    colourHistograms: null,
    mood: {
      overall: mood,
      perSecond: { brightness: zeros(), saturation: zeros(), warmth: zeros(), colourfulness: zeros(), motionEnergy: zeros(), cutRate: zeros(), valence: zeros(), arousal: zeros() },
      perScene: [{ startSec: 0, endSec: o.durationSec, ...mood }],
    },
    filmstrip: null,
    waveform: null,
    complete: true,
    warnings: [],
  };
}
