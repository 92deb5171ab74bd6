export {
  makeRate, rateFromFps, parseRate, rateToFps, formatRate, sameRate, timebase, canDropFrame,
  secondsToFrames, framesToSeconds, rationalToFrames, framesToRational, framesToTimecode, timecodeToFrames,
  TimecodeError, type FrameRate, type RationalTime,
} from './timecode.ts';
export {
  editPoints, tracksEnd, TimelineReadError,
  type EditorTimeline, type TimelineTrack, type TimelineClip, type TimelineMarker, type MarkerKind, type MediaRef,
  type TimelineFormat, type ReadTimelineResult,
} from './editor-timeline.ts';
