import { createHash, type Hash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, openSync, closeSync, writeSync, renameSync, rmSync, statSync, writeFileSync, fsyncSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../files/atomic-write.ts';
import { MANIFEST_FILE, packFiles, parseManifest, readManifest, type FileEntry, type PackManifest } from './manifest.ts';
import { PackError } from './pack-error.ts';
import { userModelsDir } from './pack-locations.ts';

export interface InstallProgress {
  stage: 'downloading' | 'copying';
  fraction: number;
  file: string;
  bytesDone: number;
  bytesTotal: number;
}

export interface InstallOptions {
  /** Folder that receives `<pack name>/` (default: the user models folder). */
  destRoot?: string;
  /** Replace an installed pack with the same name. */
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: InstallProgress) => void;
  /** Say when a download resumes a partial file. */
  onNote?: (message: string) => void;
}

export interface InstallResult {
  dir: string;
  name: string;
  bytes: number;
  /** Bytes that were already there from an interrupted install. */
  resumedBytes: number;
}

const isUrl = (s: string) => /^https?:\/\//i.test(s);
const PACK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Base URL of a pack: a URL of its manifest.json or of its folder. */
function packBaseUrl(source: string): URL {
  const u = new URL(source);
  if (u.pathname.endsWith(`/${MANIFEST_FILE}`)) return new URL('./', u);
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u;
}

function fileUrl(base: URL, rel: string): URL {
  return new URL(rel.split(/[\\/]/).map(encodeURIComponent).join('/'), base);
}

/**
 * Installs a model pack from a folder or an http(s) URL into the user models folder. Files are
 * hashed while they stream and checked against the manifest's sha256 and size; downloads resume
 * from a partial file left by an interrupted install (HTTP Range). Everything lands in a staging
 * folder that is renamed into place only when every file checks out.
 */
export async function installPack(source: string, o: InstallOptions = {}): Promise<InstallResult> {
  const remote = isUrl(source);
  const manifestText = remote ? await fetchText(fileUrl(packBaseUrl(source), MANIFEST_FILE), o.signal) : null;
  let manifest: PackManifest;
  if (manifestText !== null) {
    let json: unknown;
    try {
      json = JSON.parse(manifestText);
    } catch (e) {
      throw new PackError('BAD_MANIFEST', `${source} does not serve a JSON manifest.json (${(e as Error).message}).`);
    }
    manifest = parseManifest(json, `${source} manifest.json`);
  } else manifest = readManifest(path.resolve(source));
  if (!PACK_NAME.test(manifest.name)) throw new PackError('BAD_MANIFEST', `The pack name "${manifest.name}" cannot be used as a folder name.`);

  const root = path.resolve(o.destRoot ?? userModelsDir());
  mkdirSync(root, { recursive: true });
  const finalDir = path.join(root, manifest.name);
  if (existsSync(finalDir) && !o.force) throw new PackError('MISMATCH', `A pack named ${manifest.name} is already installed in ${finalDir}; pass --force to replace it.`);
  // One staging folder per manifest content, so a resumed install never mixes two versions.
  const manifestBytes = manifestText ?? JSON.stringify(manifest);
  const tag = createHash('sha256').update(manifestBytes).digest('hex').slice(0, 12);
  const staging = path.join(root, `.partial-${manifest.name}-${tag}`);
  mkdirSync(staging, { recursive: true });

  const files = packFiles(manifest);
  const total = files.reduce((s, f) => s + f.bytes, 0);
  let done = 0, resumed = 0;
  for (const f of files) {
    o.signal?.throwIfAborted();
    const dest = path.join(staging, f.path);
    mkdirSync(path.dirname(dest), { recursive: true });
    const report = (n: number) => {
      done += n;
      o.onProgress?.({ stage: remote ? 'downloading' : 'copying', fraction: total ? done / total : 1, file: f.path, bytesDone: done, bytesTotal: total });
    };
    if (existsSync(dest) && statSync(dest).size === f.bytes) {
      // Finished (and checked) by an earlier attempt: its .part was renamed only after the check.
      report(f.bytes);
      continue;
    }
    const r = remote
      ? await downloadFile(fileUrl(packBaseUrl(source), f.path), f, dest, o, report)
      : await copyFile(path.join(path.resolve(source), f.path), f, dest, o, report);
    resumed += r;
  }
  writeFileAtomic(path.join(staging, MANIFEST_FILE), manifestText ?? `${JSON.stringify(manifest, null, 2)}\n`);

  if (existsSync(finalDir)) {
    const old = path.join(root, `.replaced-${manifest.name}-${Date.now().toString(36)}`);
    renameSync(finalDir, old);
    renameSync(staging, finalDir);
    rmSync(old, { recursive: true, force: true });
  } else renameSync(staging, finalDir);
  return { dir: finalDir, name: manifest.name, bytes: total, resumedBytes: resumed };
}

function checkDigest(f: FileEntry, hash: Hash, size: number, partPath: string, from: string): void {
  if (size !== f.bytes) {
    rmSync(partPath, { force: true });
    throw new PackError(size < f.bytes ? 'TRUNCATED' : 'MISMATCH', `${f.path} from ${from} is ${size} bytes, the manifest says ${f.bytes}; nothing was installed.`);
  }
  const sha = hash.digest('hex');
  if (sha !== f.sha256) {
    rmSync(partPath, { force: true });
    throw new PackError('CHECKSUM', `${f.path} from ${from} has sha256 ${sha.slice(0, 12)}…, the manifest expects ${f.sha256.slice(0, 12)}…; the source is damaged, nothing was installed.`);
  }
}

/** Appends chunks to a file descriptor, hashing and counting them. */
class PartWriter {
  private fd: number;

  /** `hash` and `size` carry what an earlier attempt already wrote when appending. */
  constructor(readonly file: string, append: boolean, readonly hash: Hash = createHash('sha256'), public size = 0) {
    this.fd = openSync(file, append ? 'a' : 'w');
  }

  write(chunk: Uint8Array): void {
    this.hash.update(chunk);
    let off = 0;
    while (off < chunk.length) off += writeSync(this.fd, chunk, off, chunk.length - off);
    this.size += chunk.length;
  }

  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

async function copyFile(src: string, f: FileEntry, dest: string, o: InstallOptions, report: (n: number) => void): Promise<number> {
  const part = `${dest}.part`;
  if (!existsSync(src)) throw new PackError('MISSING_FILE', `The pack at ${path.dirname(src)} is missing ${f.path}; nothing was installed.`);
  const w = new PartWriter(part, false);
  try {
    for await (const chunk of createReadStream(src, { highWaterMark: 1 << 20, signal: o.signal }) as AsyncIterable<Buffer>) {
      if (w.size + chunk.length > f.bytes) throw new PackError('MISMATCH', `${f.path} in ${path.dirname(src)} is larger than the ${f.bytes} bytes its manifest says; nothing was installed.`);
      w.write(chunk);
      report(chunk.length);
    }
  } finally {
    w.close();
  }
  checkDigest(f, w.hash, w.size, part, path.dirname(src));
  renameSync(part, dest);
  return 0;
}

async function fetchText(url: URL, signal?: AbortSignal): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new PackError('DOWNLOAD', `Cannot reach ${url.origin} (${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}).`);
  }
  if (!res.ok) throw new PackError('DOWNLOAD', `${url} answered HTTP ${res.status}; is it a model pack's address?`);
  return res.text();
}

/** Hashes what an earlier attempt left in the .part file, so the download can go on from there. */
async function hashExisting(part: string, max: number, signal?: AbortSignal): Promise<{ hash: Hash; size: number }> {
  const hash = createHash('sha256');
  if (!existsSync(part)) return { hash, size: 0 };
  if (statSync(part).size >= max) {
    rmSync(part, { force: true });
    return { hash, size: 0 };
  }
  let size = 0;
  for await (const chunk of createReadStream(part, { highWaterMark: 1 << 20, signal }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { hash, size };
}

async function downloadFile(url: URL, f: FileEntry, dest: string, o: InstallOptions, report: (n: number) => void): Promise<number> {
  const part = `${dest}.part`;
  const prior = await hashExisting(part, f.bytes, o.signal);
  const have = prior.size;
  const headers: Record<string, string> = have ? { Range: `bytes=${have}-` } : {};
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: o.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new PackError('DOWNLOAD', `Downloading ${f.path} failed: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}. Run the install again to resume.`);
  }
  if (!res.ok || !res.body) throw new PackError('DOWNLOAD', `${url} answered HTTP ${res.status} for ${f.path}.`);
  const resuming = have > 0 && res.status === 206 && (res.headers.get('content-range') ?? '').startsWith(`bytes ${have}-`);
  let w: PartWriter;
  if (resuming) {
    w = new PartWriter(part, true, prior.hash, prior.size);
    o.onNote?.(`Resuming ${f.path} at ${have} of ${f.bytes} bytes.`);
    report(have);
  } else {
    if (have) o.onNote?.(`The server cannot resume ${f.path}; downloading it again.`);
    w = new PartWriter(part, false);
  }
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (w.size + value.length > f.bytes) {
        throw new PackError('MISMATCH', `${url} sends more than the ${f.bytes} bytes the manifest declares for ${f.path}; nothing was installed.`);
      }
      w.write(value);
      report(value.length);
    }
  } catch (e) {
    if (e instanceof PackError) rmSync(part, { force: true });
    else if ((e as Error).name !== 'AbortError') {
      throw new PackError('DOWNLOAD', `The download of ${f.path} broke off at ${w.size} of ${f.bytes} bytes (${(e as Error).message}). Run the install again to resume.`);
    }
    throw e;
  } finally {
    reader.releaseLock();
    w.close();
  }
  if (w.size < f.bytes) {
    throw new PackError('DOWNLOAD', `The download of ${f.path} ended at ${w.size} of ${f.bytes} bytes. Run the install again to resume.`);
  }
  checkDigest(f, w.hash, w.size, part, url.origin);
  renameSync(part, dest);
  return resuming ? have : 0;
}
