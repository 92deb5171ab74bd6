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
export { readTimelineFile, parseTimelineText, detectTimelineFormat, type ReadTimelineOptions } from './read-timeline.ts';
export { readFcpxml, FCPXML_VERSIONS, type FcpxmlVersion } from './fcpxml-reader.ts';
export { readXmeml } from './xmeml-reader.ts';
export { readEdl, AVID_COLORS, RESOLVE_COLORS, type EdlReadOptions } from './edl-reader.ts';
export { readOtio } from './otio-reader.ts';
export { KIND_LABEL, KIND_COLOR, MARKER_KINDS, markerName, markerTag, kindFromMarker } from './marker-style.ts';
export { urlToPath, pathToUrl, baseName } from './media-url.ts';
export {
  INTERCHANGE_FORMATS, INTERCHANGE_EXTENSION, InterchangeError, resolveInterchange, singleClipTimeline,
  type InterchangeFormat, type InterchangeInput, type ResolvedInterchange,
} from './interchange-input.ts';
export { writeInterchange, writeInterchangeFile, planMarkers, type PlanLike } from './interchange.ts';
