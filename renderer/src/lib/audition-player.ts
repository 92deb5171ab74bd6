// Generated music played beside the video through Web Audio. Each generation's audio is decoded
// once and kept, so switching A/B while playing starts the other track at once, from the same
// music time, with no media-element load or seek in between. Sources are scheduled on the audio
// clock against the frames the video shows (requestVideoFrameCallback), which is also how the
// picture/music offset is measured and kept within a frame.
import { alignedStart, musicAt, offsetMs, OffsetWindow, type OutputStamp, type Segment, type ShownFrame } from './audition-sync.ts';

interface Running extends Segment {
  source: AudioBufferSourceNode;
  fade: GainNode;
}

/** Keeps the decoded tracks of recent generations; a 10-minute stereo track is ~200 MB, so few. */
const MAX_CACHED = 4;
/** Lead time for scheduling, so a start is never in the audio thread's past. */
const LEAD_SEC = 0.02;
/** Cross-fade at a switch or re-alignment: short enough to be seamless, long enough not to click. */
const FADE_SEC = 0.008;
/** Frames measured before a fresh start is checked (the first frames after play are the least steady), then the steady window. */
const SETTLE_FRAMES = 4;
const STEADY_FRAMES = 12;

export class AuditionPlayer {
  private ctx: AudioContext | null = null;
  private gain: GainNode | null = null;
  private readonly buffers = new Map<string, Promise<AudioBuffer>>();
  private readonly ready = new Map<string, AudioBuffer>();
  private running: Running | null = null;
  private volume = 1;
  private rate = 0;
  /** The last frame the video showed while playing; null until one arrives after a (re)start. */
  private frame: ShownFrame | null = null;
  private readonly offsets = new OffsetWindow(STEADY_FRAMES);
  private settling = false;
  /** Offset (ms) of the music against the last frame shown; null while silent. */
  lastOffsetMs: number | null = null;
  active: string | null = null;

  private context(): AudioContext {
    if (!this.ctx) {
      this.ctx = new AudioContext({ latencyHint: 'interactive' });
      this.gain = this.ctx.createGain();
      this.gain.gain.value = this.volume;
      this.gain.connect(this.ctx.destination);
    }
    return this.ctx;
  }

  /** Fetches and decodes a generation's music once; later calls share the result. */
  load(id: string, mediaUrl: string): Promise<AudioBuffer> {
    let p = this.buffers.get(id);
    if (!p) {
      p = (async () => {
        const res = await fetch(mediaUrl);
        if (!res.ok) throw new Error(`Could not load the generated audio (HTTP ${res.status}).`);
        const buf = await this.context().decodeAudioData(await res.arrayBuffer());
        if (this.buffers.get(id) === p) this.ready.set(id, buf);
        return buf;
      })();
      p.catch(() => {
        if (this.buffers.get(id) === p) this.buffers.delete(id);
      });
      this.buffers.set(id, p);
      this.evict(id);
    }
    return p;
  }

  /** Oldest first out, never the one playing nor the one just asked for. */
  private evict(keep: string): void {
    for (const key of this.buffers.keys()) {
      if (this.buffers.size <= MAX_CACHED) break;
      if (key !== this.active && key !== keep) {
        this.buffers.delete(key);
        this.ready.delete(key);
      }
    }
  }

  isDecoded(id: string): boolean {
    return this.ready.has(id);
  }

  /** The clip's frame rate: how far off the music may be before it is re-aligned. */
  setFrameRate(fps: number): void {
    this.offsets.setFrameRate(fps);
  }

  setVolume(v: number): void {
    this.volume = v;
    if (this.gain && this.ctx) this.gain.gain.setTargetAtTime(v, this.ctx.currentTime, 0.01);
  }

  get playing(): boolean {
    return this.running !== null;
  }

  private stamp(): OutputStamp {
    const c = this.ctx!;
    const ts = c.getOutputTimestamp();
    if (ts.contextTime !== undefined && ts.performanceTime !== undefined && ts.performanceTime > 0) {
      return { contextSec: ts.contextTime, perfMs: ts.performanceTime };
    }
    // Before the device reports, assume the scheduled sample is heard after the stated latency.
    return { contextSec: c.currentTime - (c.baseLatency || 0) - (c.outputLatency || 0), perfMs: performance.now() };
  }

  /**
   * The video plays forward at `rate` (0: paused or reversed, and the music is silent). The music
   * starts with the first frame shown afterwards (see `onFrame`), so it begins with the picture
   * rather than when play was asked for.
   */
  setRate(rate: number): void {
    this.rate = rate > 0 ? rate : 0;
    this.frame = null;
    this.offsets.clear();
    this.stop(0);
    if (this.rate > 0) {
      const ctx = this.context();
      if (ctx.state === 'suspended') void ctx.resume();
    }
  }

  /** A seek while playing: the music restarts with the next frame shown. */
  seeked(): void {
    this.setRate(this.rate);
  }

  /** Called for every frame the video shows while playing (requestVideoFrameCallback). */
  onFrame(frame: ShownFrame): void {
    if (this.rate === 0) return;
    this.frame = frame;
    const r = this.running;
    if (!r) {
      this.start(this.frame, null);
      return;
    }
    const ms = offsetMs(r, this.stamp(), frame);
    this.lastOffsetMs = ms;
    this.offsets.add(ms);
    if (this.offsets.needsRealign) this.start(frame, null);
    else if (this.settling && this.offsets.count >= SETTLE_FRAMES) {
      // The start held: from now on only a sustained drift re-aligns.
      this.settling = false;
      this.offsets.clear(STEADY_FRAMES);
    }
  }

  /**
   * Starts the active track at `LEAD_SEC` from now, cross-fading from whatever plays. `continueFrom`
   * keeps the music timeline of the running source (an A/B switch); otherwise it is aligned to
   * `frame`.
   */
  private start(frame: ShownFrame, continueFrom: Segment | null): void {
    const buf = this.active ? this.ready.get(this.active) : undefined;
    if (!buf || this.rate === 0) {
      this.stop(0);
      return;
    }
    const ctx = this.context();
    const at = ctx.currentTime + LEAD_SEC;
    const seg: Segment = continueFrom
      ? { ctxStart: at, musicStart: musicAt(continueFrom, at), rate: this.rate }
      : alignedStart(frame, this.stamp(), at, this.rate);
    this.stop(at);
    if (seg.musicStart >= buf.duration) return;
    const fade = ctx.createGain();
    fade.connect(this.gain!);
    const source = ctx.createBufferSource();
    source.buffer = buf;
    source.playbackRate.value = this.rate;
    source.connect(fade);
    // A start before the music's beginning waits for it; a start inside it cross-fades in.
    const wait = seg.musicStart < 0 ? -seg.musicStart / this.rate : 0;
    fade.gain.setValueAtTime(wait > 0 ? 1 : 0, at);
    if (wait === 0) fade.gain.linearRampToValueAtTime(1, at + FADE_SEC);
    source.start(at + wait, Math.max(0, seg.musicStart));
    const run: Running = { ...seg, source, fade };
    // A switch keeps the running alignment; a fresh one is checked again after a few frames.
    if (!continueFrom) {
      this.settling = true;
      this.offsets.clear(SETTLE_FRAMES);
    }
    source.onended = () => {
      if (this.running === run) this.running = null;
    };
    this.running = run;
  }

  /** Fades out and stops the running source at context time `at` (0: now). */
  private stop(at: number): void {
    const r = this.running;
    this.running = null;
    this.lastOffsetMs = null;
    if (!r || !this.ctx) return;
    r.source.onended = null;
    const t = Math.max(at, this.ctx.currentTime);
    r.fade.gain.setValueAtTime(1, t);
    r.fade.gain.linearRampToValueAtTime(0, t + FADE_SEC);
    try {
      r.source.stop(t + FADE_SEC);
    } catch {
      /* never started */
    }
    setTimeout(() => r.fade.disconnect(), (t + FADE_SEC - this.ctx.currentTime) * 1000 + 50);
  }

  /**
   * Switches tracks. While playing, the new one takes over at once from the same music time
   * (already decoded: no load, no seek); if it is still decoding, it starts with the next frame
   * shown once it is ready.
   */
  switchTo(id: string | null): void {
    const prev = this.running;
    this.active = id;
    if (this.rate === 0) return;
    if (id && this.ready.has(id) && prev && this.frame) this.start(this.frame, prev);
    else if (id && this.ready.has(id) && this.frame) this.start(this.frame, null);
    else this.stop(0);
  }

  /** The music time heard at the frame shown, for tests and diagnostics (null while silent). */
  get segment(): Segment | null {
    const r = this.running;
    return r ? { ctxStart: r.ctxStart, musicStart: r.musicStart, rate: r.rate } : null;
  }

  close(): void {
    this.stop(0);
    void this.ctx?.close();
    this.ctx = null;
    this.buffers.clear();
    this.ready.clear();
  }
}
