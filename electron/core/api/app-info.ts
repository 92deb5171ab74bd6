import { readFileSync } from 'node:fs';
import { toolVersion } from '../media/index.ts';
import { onnxRuntimeInfo } from '../models/runtime-info.ts';
import type { AppInfo, ToolInfo } from '../../shared/domain.ts';

interface PackageJson {
  name: string;
  productName?: string;
  version: string;
}

export function packageJson(): PackageJson {
  return JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as PackageJson;
}

/** Versions of the app and of the outside tools it found; missing tools become problems, not throws. */
export async function appInfo(transport: AppInfo['transport'], signal?: AbortSignal): Promise<AppInfo> {
  const pkg = packageJson();
  const problems: string[] = [];
  const tool = async (name: 'ffmpeg' | 'ffprobe'): Promise<ToolInfo | null> => {
    try {
      const v = await toolVersion(name, signal);
      return { version: v.version, path: v.path, source: v.source, origin: v.origin };
    } catch (err) {
      problems.push(err instanceof Error ? err.message : `${name} could not be run.`);
      return null;
    }
  };
  const [ffmpeg, ffprobe] = await Promise.all([tool('ffmpeg'), tool('ffprobe')]);
  const ort = onnxRuntimeInfo();
  if (ort.problem) problems.push(ort.problem);
  return {
    appName: pkg.productName ?? pkg.name,
    appVersion: pkg.version,
    ffmpeg,
    ffprobe,
    onnxruntime: { version: ort.version, cudaProvider: ort.cudaProvider },
    problems,
    platform: `${process.platform}-${process.arch}`,
    transport,
  };
}
