// Picks ruler tick spacing so labels never crowd, down to single frames when zoomed in.

const SECOND_STEPS = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];
const FRAME_STEPS = [1, 2, 5, 10];

export interface TickStep {
  /** Seconds between labelled ticks. */
  majorSec: number;
  /** Seconds between small ticks (a divisor of majorSec). */
  minorSec: number;
}

export function tickStep(pxPerSec: number, fps: number, minLabelPx = 90): TickStep {
  const frame = fps > 0 ? 1 / fps : 1 / 25;
  const candidates: number[] = [...FRAME_STEPS.map((n) => n * frame).filter((s) => s < 0.5), ...SECOND_STEPS];
  const major = candidates.find((s) => s * pxPerSec >= minLabelPx) ?? SECOND_STEPS[SECOND_STEPS.length - 1]!;
  // Minor ticks: a fifth (or a single frame when that is coarser) of the major step.
  let minor = major >= 1 ? major / 5 : Math.max(frame, major / 5);
  if (major < 0.5) minor = frame;
  if (minor * pxPerSec < 6) minor = major;
  return { majorSec: major, minorSec: minor };
}

/** Tick times in [startSec, endSec], each flagged major or minor. */
export function ticksInRange(startSec: number, endSec: number, step: TickStep): Array<{ timeSec: number; major: boolean }> {
  const out: Array<{ timeSec: number; major: boolean }> = [];
  const first = Math.max(0, Math.floor(startSec / step.minorSec));
  const last = Math.ceil(endSec / step.minorSec);
  const ratio = Math.round(step.majorSec / step.minorSec);
  for (let i = first; i <= last && out.length < 10_000; i++) {
    out.push({ timeSec: i * step.minorSec, major: ratio <= 1 || i % ratio === 0 });
  }
  return out;
}
