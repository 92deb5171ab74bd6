import { describe, expect, it } from 'vitest';
import { isAbortError, probe } from '../../../electron/core/media/index.ts';
import { detectSceneCuts } from '../../../electron/core/video/scene/index.ts';
import { cutsClip, makeClip } from '../../helpers/clips.ts';
import { testVideo } from '../../helpers/paths.ts';

/**
 * 80 frames, red then blue from frame 40, with real variable timing: 25 fps for the first
 * second, then one frame every 0.2 s. Frame 40 is therefore at 4.0 s, not at 40 / 25 = 1.6 s.
 */
function vfrClip(): Promise<string> {
  return makeClip('scene-vfr-red-blue.mp4', [
    '-f', 'lavfi', '-i', 'color=c=red:s=320x240:r=25:d=1.6',
    '-f', 'lavfi', '-i', 'color=c=blue:s=320x240:r=25:d=1.6',
    '-filter_complex', "[0:v][1:v]concat=n=2:v=1:a=0,setpts='if(lt(N,25),N*0.04,1+(N-25)*0.2)/TB'[v]",
    '-map', '[v]', '-vsync', 'vfr',
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'ultrafast',
  ]);
}

describe('detectSceneCuts on generated clips', () => {
  it('finds hard cuts at their frame and time (CFR, 320×240 → 256×192)', async () => {
    const clip = await cutsClip('scene-cuts-1.2-2.6.mp4', { cutTimes: [1.2, 2.6], durationSec: 4 });
    for (const detector of ['content', 'adaptive'] as const) {
      const r = await detectSceneCuts(clip, { detector });
      expect([r.width, r.height, r.frameCount], detector).toEqual([256, 192, 100]);
      expect(r.cuts.map((c) => c.frame), detector).toEqual([30, 65]);
      expect(r.cuts[0]!.timeSec).toBeCloseTo(1.2, 6);
      expect(r.cuts[1]!.timeSec).toBeCloseTo(2.6, 6);
      // Solid colours: large score at the cut, (almost) none inside a scene.
      for (const c of r.cuts) expect(c.score, detector).toBeGreaterThan(detector === 'content' ? 27 : 3);
      const quiet = Array.from(r.contentValues).filter((_, i) => i !== 30 && i !== 65);
      expect(Math.max(...quiet)).toBeLessThan(1);
    }
  });

  it('takes cut times from the real timestamps of variable-frame-rate video', async () => {
    const clip = await vfrClip();
    const info = await probe(clip);
    expect(info.video!.frameCount).toBe(80);
    for (const detector of ['content', 'adaptive'] as const) {
      const r = await detectSceneCuts(clip, { detector, info });
      expect(r.frameCount).toBe(80);
      expect(r.cuts.map((c) => [c.frame, Number(c.timeSec.toFixed(6))]), detector).toEqual([[40, 4]]);
      expect(r.frameTimes[24]).toBeCloseTo(0.96, 6);
      expect(r.frameTimes[25]).toBeCloseTo(1.0, 6);
      expect(r.frameTimes[26]).toBeCloseTo(1.2, 6);
    }
  });

  it('reports progress, and cancels cleanly with the AbortSignal', async () => {
    const ac = new AbortController();
    let progress = 0;
    const p = detectSceneCuts(testVideo, {
      detector: 'adaptive',
      signal: ac.signal,
      onProgress: (pr) => {
        progress++;
        if (pr.outTimeSec > 2) ac.abort();
      },
    });
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err, 'should have been aborted').not.toBeNull();
    expect(isAbortError(err)).toBe(true);
    expect(progress).toBeGreaterThan(0);
    // The global afterEach checks that no ffmpeg child survived.
  });

  it('fails clearly on a missing file and on a bad detector name', async () => {
    await expect(detectSceneCuts('/nonexistent/clip.mp4')).rejects.toThrow(/clip\.mp4/);
    await expect(detectSceneCuts(testVideo, { detector: 'histogram' as 'content' })).rejects.toThrow(/Unknown scene detector/);
  });
});
