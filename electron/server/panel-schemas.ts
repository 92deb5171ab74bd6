import { z } from 'zod';
import type { PanelOp, PanelOps } from '../shared/panel-protocol.ts';

// Panel inputs cross a process boundary (another application's plugin), so each is checked
// here before the service sees it; a bad field gets a message that names it.

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'id has unexpected characters');
const filePath = z.string().min(1, 'path is empty').max(4096).refine((p) => !p.includes('\0'), 'path contains a NUL byte');
const frames = z.number().int('frames must be whole numbers').min(0, 'frames must not be negative').max(24 * 3600 * 240);
const text = (max: number) => z.string().max(max);
const MAX_ITEMS = 20_000;

const rate = z.object({
  num: z.number().int().min(1).max(1_000_000),
  den: z.number().int().min(1).max(100_000),
}).strict().refine((r) => r.num / r.den >= 1 && r.num / r.den <= 240, 'frame rate must be between 1 and 240 fps');

const clip = z.object({
  name: text(500),
  track: z.number().int().min(0).max(999),
  mediaPath: z.string().max(4096),
  offline: z.boolean(),
  enabled: z.boolean(),
  recordIn: frames,
  recordOut: frames,
  sourceInSec: z.number().finite().min(0),
  sourceOutSec: z.number().finite().min(0),
}).strict().refine((c) => c.recordOut > c.recordIn, 'a clip must end after it starts');

const marker = z.object({
  frame: frames,
  durationFrames: frames,
  name: text(500),
  note: text(5000),
}).strict();

const sequence = z.object({
  name: z.string().trim().min(1, 'sequence name is empty').max(200),
  editor: z.enum(['premiere', 'resolve', 'test']),
  rate,
  dropFrame: z.boolean(),
  durationFrames: frames.min(1, 'the sequence is empty'),
  videoClips: z.array(clip).max(MAX_ITEMS),
  markers: z.array(marker).max(MAX_ITEMS),
  referenceMovie: filePath.optional(),
}).strict();

const empty = z.object({}).strict();

export const panelInputSchemas = {
  pair: z.object({ code: z.string().min(1, 'pairing code is empty').max(20), client: z.string().min(1).max(80) }).strict(),
  auth: z.object({ token: z.string().min(1).max(200) }).strict(),
  status: empty,
  openSequence: z.object({ sequence }).strict(),
  openTimelineFile: z.object({ path: filePath, editor: z.enum(['premiere', 'resolve', 'test']), referenceMovie: filePath.optional() }).strict(),
  job: z.object({ jobId: id }).strict(),
  generate: z.object({ clipId: id, seed: z.number().int().min(0).max(2 ** 32 - 1).optional() }).strict(),
  placement: z.object({ clipId: id, generationId: id.optional() }).strict(),
} satisfies { [O in PanelOp]: z.ZodType<PanelOps[O]['input']> };

export function isPanelOp(name: string): name is PanelOp {
  return Object.hasOwn(panelInputSchemas, name);
}

export class PanelError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'PanelError';
  }
}

export function parsePanelInput<O extends PanelOp>(op: O, input: unknown): PanelOps[O]['input'] {
  const schema = panelInputSchemas[op] as z.ZodType<PanelOps[O]['input']>;
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length ? issue.path.join('.') : 'input';
  throw new PanelError('BAD_REQUEST', `${op}: ${where}: ${issue.message}`);
}
