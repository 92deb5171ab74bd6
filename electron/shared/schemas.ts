import { z } from 'zod';
import type { V2mApi, V2mMethod } from './api.ts';

// Inputs are checked wherever they cross a process boundary (IPC, HTTP), so a malformed call
// fails with a message instead of reaching the engine.

const id = z.string().min(1, 'id is empty').max(64, 'id is too long').regex(/^[A-Za-z0-9_-]+$/, 'id has unexpected characters');
const seconds = z.number().finite().min(0, 'time must not be negative').max(24 * 3600, 'time is beyond 24 hours');
const index = z.number().int().min(0).max(1_000_000);
const empty = z.object({}).strict();

const markerId = z.string().min(1, 'marker id is empty').max(64, 'marker id is too long').regex(/^[A-Za-z0-9_.:-]+$/, 'marker id has unexpected characters');
const strength = z.number().finite().min(0, 'strength must lie between 0 and 1').max(1, 'strength must lie between 0 and 1');

const singlePlanEditSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('moveCut'), id: markerId, toSec: seconds }).strict(),
  z.object({ kind: z.literal('addCut'), atSec: seconds, id: markerId.optional(), cutKind: z.enum(['detected', 'edit', 'user']).optional() }).strict(),
  z.object({ kind: z.literal('deleteCut'), id: markerId }).strict(),
  z.object({ kind: z.literal('moveAccent'), id: markerId, toSec: seconds }).strict(),
  z.object({ kind: z.literal('addAccent'), atSec: seconds, id: markerId.optional(), strength: strength.optional() }).strict(),
  z.object({ kind: z.literal('deleteAccent'), id: markerId }).strict(),
  z.object({ kind: z.literal('setAccentStrength'), id: markerId, strength }).strict(),
  z.object({
    kind: z.literal('setOdf'),
    startIndex: index,
    values: z.array(z.number().finite().min(0).max(1)).min(1).max(24 * 3600),
  }).strict(),
  z.object({ kind: z.literal('lockTempo'), bpm: z.number().finite().min(20).max(400) }).strict(),
  z.object({ kind: z.literal('unlockTempo') }).strict(),
]);

/** A single edit, or a batch applied in order as one transaction and one undo step. */
export const planEditSchema = z.union([
  singlePlanEditSchema,
  z.object({ kind: z.literal('batch'), edits: z.array(singlePlanEditSchema).min(1).max(10_000) }).strict(),
]);

const filePath = z.string().min(1, 'path is empty').max(4096, 'path is too long').refine((p) => !p.includes('\0'), 'path contains a NUL byte');

const projectName = z.string().trim().min(1, 'project name is empty').max(200, 'project name is too long (200 characters at most)');

/** One schema per operation; the mapped type keeps this list and `V2mApi` in step. */
export const apiInputSchemas = {
  appInfo: empty,
  createProject: z.object({ name: projectName }).strict(),
  renameProject: z.object({ projectId: id, name: projectName }).strict(),
  previewProjectDeletion: z.object({ projectId: id }).strict(),
  deleteProject: z.object({ projectId: id }).strict(),
  importIntoNewProject: z.object({ path: filePath, kind: z.enum(['clip', 'timeline']), name: projectName.optional() }).strict(),
  openProject: z.object({ projectId: id }).strict(),
  listRecentProjects: z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
  importClip: z.object({ projectId: id, path: filePath }).strict(),
  analyze: z.object({ clipId: id }).strict(),
  getAnalysis: z.object({ clipId: id }).strict(),
  getFilmstrip: z.object({ clipId: id }).strict(),
  getWaveform: z.object({ clipId: id }).strict(),
  getVisualRhythm: z.object({ clipId: id }).strict(),
  getRhythmPlan: z.object({ clipId: id }).strict(),
  editRhythmPlan: z.object({ clipId: id, edit: planEditSchema }).strict(),
  undoRhythmPlan: z.object({ clipId: id }).strict(),
  redoRhythmPlan: z.object({ clipId: id }).strict(),
  resetRhythmPlan: z.object({ clipId: id }).strict(),
  listPlanners: empty,
  replanRhythm: z.object({
    clipId: id,
    planner: z.enum(['heuristic', 'neural']),
    pack: z.string().min(1, 'pack name is empty').max(200, 'pack name is too long').optional(),
    device: z.enum(['auto', 'cuda', 'cpu']).optional(),
  }).strict().refine((x) => x.planner === 'neural' || (x.pack === undefined && x.device === undefined), 'pack and device choose the neural planner\'s model: ask for planner "neural"'),
  generate: z.object({
    clipId: id,
    generator: z.enum(['composer', 'diffv2m', 'remix']),
    seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  }).strict(),
  analyzeMusic: z.object({ path: filePath }).strict(),
  listGenerations: z.object({ clipId: id }).strict(),
  deleteGeneration: z.object({ generationId: id }).strict(),
  measureSync: z.object({ generationId: id }).strict(),
  auditionGeneration: z.object({ generationId: id }).strict(),
  getGenerationWaveform: z.object({ generationId: id }).strict(),
  exportProject: z.object({
    projectId: id,
    generationId: id,
    kind: z.enum(['mp4', 'wav', 'stems', 'midi', 'markers', 'fcpxml', 'xmeml', 'edl', 'resolve-edl', 'otio']),
    path: filePath,
    mix: z.enum(['replace', 'mix', 'duck']).optional(),
  }).strict(),
  listExports: z.object({ projectId: id }).strict(),
  modelStatus: empty,
  cancelJob: z.object({ jobId: id }).strict(),
  importTimeline: z.object({ projectId: id, path: filePath, referenceMoviePath: filePath.optional() }).strict(),
  relinkMedia: z.object({ importId: id, searchFolder: filePath.optional(), referenceMoviePath: filePath.optional() }).strict()
    .refine((x) => x.searchFolder !== undefined || x.referenceMoviePath !== undefined, 'give a folder to search or a reference movie'),
} satisfies { [M in V2mMethod]: z.ZodType<Parameters<V2mApi[M]>[0]> };

export const apiMethods = Object.keys(apiInputSchemas) as V2mMethod[];

export function isApiMethod(name: string): name is V2mMethod {
  return Object.hasOwn(apiInputSchemas, name);
}

/** Thrown when a call's input does not match the contract; transports map it to "400". */
export class InvalidInputError extends Error {
  readonly code = 'INVALID_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

/** Validates one call's input, with a message naming the operation and the offending field. */
export function parseApiInput<M extends V2mMethod>(method: M, input: unknown): Parameters<V2mApi[M]>[0] {
  const schema = apiInputSchemas[method] as z.ZodType<Parameters<V2mApi[M]>[0]>;
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length ? issue.path.join('.') : 'input';
  throw new InvalidInputError(`${method}: ${where}: ${issue.message}`);
}
