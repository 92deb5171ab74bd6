// Canvas drawing for the timeline tracks. Each function draws only what lies in the visible
// range (binary search into the sorted times, one peak pair per pixel), so a 10-minute clip
// redraws as fast as a 10-second one.
import type { Filmstrip } from '../../../../electron/shared/domain.ts';
import type { PeakCache } from '../../lib/timeline/peak-cache.ts';
import { tickStep, ticksInRange } from '../../lib/timeline/ruler-ticks.ts';
import { curveColumns, indicesInRange, nearestTimeIndex, timeToPx, visibleRange, type Viewport } from '../../lib/timeline/timeline-geometry.ts';
import { formatTimecode, nominalFps } from '../../lib/timecode.ts';

export interface Palette {
  bg: string;
  grid: string;
  text: string;
  wave: string;
  music: string;
  cut: string;
  accent: string;
  beat: string;
  odf: string;
  selected: string;
  miss: string;
  playhead: string;
  curve: string;
  /** Edit points from an imported editor timeline (cuts of kind `edit`). */
  editCut: string;
}

export const palette: Palette = {
  bg: '#15171c', grid: '#2c313b', text: '#c9ced8', wave: '#5aa9e6', music: '#9b8cff', cut: '#ffb000',
  accent: '#ff5d73', beat: '#7ee081', odf: '#3f7fbf', selected: '#ffffff', miss: '#ff2d2d', playhead: '#ff4040', curve: '#7ee081',
  editCut: '#36d6e7',
};

/** Prepares a canvas for crisp drawing at the device pixel ratio; returns its 2D context in CSS pixels. */
export function prepareCanvas(canvas: HTMLCanvasElement, widthPx: number, heightPx: number): CanvasRenderingContext2D {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(widthPx * dpr);
  const h = Math.round(heightPx * dpr);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d', { alpha: false })!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = palette.bg;
  ctx.fillRect(0, 0, widthPx, heightPx);
  return ctx;
}

export function drawPlayhead(ctx: CanvasRenderingContext2D, vp: Viewport, h: number, t: number): void {
  const x = Math.round(timeToPx(t, vp)) + 0.5;
  if (x < 0 || x > vp.widthPx) return;
  ctx.strokeStyle = palette.playhead;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(x, 0);
  ctx.lineTo(x, h);
  ctx.stroke();
}

export function drawRuler(ctx: CanvasRenderingContext2D, vp: Viewport, h: number, fps: number): void {
  const { startSec, endSec } = visibleRange(vp);
  // Ticks are laid out in timecode seconds (frames ÷ nominal rate), so at 29.97 fps every label
  // reads a whole timecode and sits on the frame it names.
  const scale = nominalFps(fps) / fps;
  const step = tickStep(vp.pxPerSec * scale, nominalFps(fps));
  ctx.strokeStyle = palette.grid;
  ctx.fillStyle = palette.text;
  ctx.font = '11px ui-monospace, SFMono-Regular, Menlo, monospace';
  ctx.textBaseline = 'top';
  ctx.beginPath();
  for (const tick of ticksInRange(startSec / scale, endSec / scale + step.minorSec, step)) {
    const t = tick.timeSec * scale;
    const x = Math.round(timeToPx(t, vp)) + 0.5;
    ctx.moveTo(x, tick.major ? h * 0.45 : h * 0.75);
    ctx.lineTo(x, h);
    if (tick.major) ctx.fillText(formatTimecode(t, fps, 'round'), x + 3, 3);
  }
  ctx.stroke();
}

/** Filmstrip tiles as decoded images keyed by tile index; missing ones are requested. */
export function drawFilmstrip(
  ctx: CanvasRenderingContext2D, vp: Viewport, h: number, strip: Filmstrip,
  image: (index: number) => CanvasImageSource | null,
): void {
  if (strip.frames.length === 0) return;
  const tileW = (strip.width / strip.height) * h;
  const { startSec, endSec } = visibleRange(vp);
  // Tiles are laid edge to edge at their natural width; each shows the stored frame whose own
  // time is nearest its left edge.
  const tileSec = tileW / vp.pxPerSec;
  const times = strip.frames.map((f) => f.timeSec);
  const first = Math.floor(startSec / tileSec);
  const last = Math.ceil(endSec / tileSec);
  for (let k = first; k <= last; k++) {
    const t = k * tileSec;
    if (t > vp.durationSec) break;
    const index = nearestTimeIndex(times, t);
    const img = image(index);
    const x = timeToPx(t, vp);
    if (img) ctx.drawImage(img, x, 0, tileW, h);
    else {
      ctx.fillStyle = palette.grid;
      ctx.fillRect(x, 0, tileW - 1, h);
    }
  }
}

export function drawWaveform(ctx: CanvasRenderingContext2D, vp: Viewport, h: number, peaks: PeakCache, colour: string): void {
  const level = peaks.levelFor(vp.pxPerSec);
  const { startSec, endSec } = visibleRange(vp);
  const mid = h / 2;
  ctx.fillStyle = colour;
  const x0 = Math.max(0, Math.floor(timeToPx(startSec, vp)));
  const x1 = Math.min(vp.widthPx, Math.ceil(timeToPx(endSec, vp)));
  for (let x = x0; x < x1; x++) {
    const a = Math.floor((vp.startSec + x / vp.pxPerSec) * level.perSecond);
    const b = Math.max(a + 1, Math.floor((vp.startSec + (x + 1) / vp.pxPerSec) * level.perSecond));
    let lo = 0;
    let hi = 0;
    for (let i = Math.max(0, a); i < Math.min(level.min.length, b); i++) {
      if (level.min[i]! < lo) lo = level.min[i]!;
      if (level.max[i]! > hi) hi = level.max[i]!;
    }
    const top = mid - hi * mid;
    ctx.fillRect(x, top, 1, Math.max(1, (hi - lo) * mid));
  }
}

/** Vertical marker lines (cuts, accents, onsets), thicker and white when selected. */
export function drawMarkers(
  ctx: CanvasRenderingContext2D, vp: Viewport, h: number, times: ArrayLike<number>, colour: string,
  selected: ReadonlySet<number> = new Set(), handle = true, y0 = 0,
  /** A different colour for some markers (edit points among cuts), or null for `colour`. */
  colourAt?: (i: number) => string | null,
): void {
  const { startSec, endSec } = visibleRange(vp);
  const pad = 6 / vp.pxPerSec;
  const { from, to } = indicesInRange(times, startSec - pad, endSec + pad);
  for (let i = from; i < to; i++) {
    const x = Math.round(timeToPx(times[i]!, vp)) + 0.5;
    const sel = selected.has(i);
    const c = colourAt?.(i) ?? colour;
    ctx.strokeStyle = sel ? palette.selected : c;
    ctx.fillStyle = sel ? palette.selected : c;
    ctx.lineWidth = sel ? 3 : 1.5;
    ctx.beginPath();
    ctx.moveTo(x, y0);
    ctx.lineTo(x, h);
    ctx.stroke();
    if (handle) {
      ctx.beginPath();
      ctx.moveTo(x - 5, y0);
      ctx.lineTo(x + 5, y0);
      ctx.lineTo(x, y0 + 7);
      ctx.closePath();
      ctx.fill();
    }
  }
  ctx.lineWidth = 1;
}

/** Missed accents as red bands behind the markers (from the sync report); grey while the report is stale. */
export function drawMisses(ctx: CanvasRenderingContext2D, vp: Viewport, h: number, times: ArrayLike<number>, stale = false): void {
  const { startSec, endSec } = visibleRange(vp);
  const { from, to } = indicesInRange(times, startSec - 1, endSec + 1);
  ctx.fillStyle = stale ? 'rgba(160, 160, 160, 0.22)' : 'rgba(255, 45, 45, 0.28)';
  for (let i = from; i < to; i++) {
    const x = timeToPx(times[i]!, vp);
    ctx.fillRect(x - 4, 0, 8, h);
  }
}

/** The visual rhythm curve, each value at its own frame's time (right for variable-rate clips), with its beats. */
export function drawCurve(ctx: CanvasRenderingContext2D, vp: Viewport, h: number, frameTimes: ArrayLike<number>, curve: ArrayLike<number>, beats: ArrayLike<number>): void {
  const { x, v } = curveColumns(frameTimes, curve, vp);
  ctx.strokeStyle = palette.curve;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let i = 0; i < x.length; i++) {
    const y = h - 2 - v[i]! * (h - 4);
    if (i === 0) ctx.moveTo(x[i]!, y);
    else ctx.lineTo(x[i]!, y);
  }
  ctx.stroke();
  drawMarkers(ctx, vp, h, beats, palette.beat, new Set(), false, h * 0.6);
}

/** ODF bars, one per second, with the locked tempo's beat grid behind them. */
export function drawOdf(ctx: CanvasRenderingContext2D, vp: Viewport, h: number, odf: ArrayLike<number>, selectedBars: ReadonlySet<number>, bpm: number | null): void {
  const { startSec, endSec } = visibleRange(vp);
  if (bpm) {
    const beat = 60 / bpm;
    if (beat * vp.pxPerSec >= 4) {
      ctx.strokeStyle = palette.grid;
      ctx.beginPath();
      for (let k = Math.floor(startSec / beat); k * beat <= endSec; k++) {
        const x = Math.round(timeToPx(k * beat, vp)) + 0.5;
        ctx.moveTo(x, 0);
        ctx.lineTo(x, h);
      }
      ctx.stroke();
    }
  }
  const first = Math.max(0, Math.floor(startSec));
  const last = Math.min(odf.length - 1, Math.ceil(endSec));
  const barW = Math.max(1, vp.pxPerSec - (vp.pxPerSec > 6 ? 2 : 0));
  for (let i = first; i <= last; i++) {
    const v = odf[i]!;
    const x = timeToPx(i, vp) + (vp.pxPerSec > 6 ? 1 : 0);
    const bh = Math.max(1, v * (h - 4));
    ctx.fillStyle = selectedBars.has(i) ? palette.selected : palette.odf;
    ctx.fillRect(x, h - bh, barW, bh);
  }
}
