import type { MediaInfo } from '../../media/index.ts';
import type { ClipProbe } from '../../../shared/domain.ts';

/** The part of a probe the app keeps with each clip. */
export function clipProbe(info: MediaInfo): ClipProbe {
  const v = info.video;
  const a = info.audio;
  return {
    durationSec: info.durationSec,
    container: info.container,
    video: v
      ? { codec: v.codec, width: v.displayWidth, height: v.displayHeight, fps: v.fps, frameCount: v.frameCount, vfr: v.vfr, rotation: v.rotation }
      : null,
    audio: a ? { codec: a.codec, sampleRate: a.sampleRate, channels: a.channels } : null,
  };
}
