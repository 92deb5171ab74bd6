/** A detected cut: the first frame of a new scene. */
export interface SceneCut {
  /** 0-based index of the first frame of the new scene. */
  frame: number;
  /** That frame's presentation time, seconds (from its real timestamp). */
  timeSec: number;
  /** The frame's `content_val` (ContentDetector) or adaptive ratio (AdaptiveDetector). */
  score: number;
}

/** `ContentDetector.Components`: weight of each per-frame mean difference. */
export interface ContentWeights {
  deltaHue: number;
  deltaSat: number;
  deltaLum: number;
  deltaEdges: number;
}

export const DEFAULT_WEIGHTS: Readonly<ContentWeights> = Object.freeze({ deltaHue: 1, deltaSat: 1, deltaLum: 1, deltaEdges: 0 });
export const LUMA_ONLY_WEIGHTS: Readonly<ContentWeights> = Object.freeze({ deltaHue: 0, deltaSat: 0, deltaLum: 1, deltaEdges: 0 });
