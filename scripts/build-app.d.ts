// Types for scripts/build-app.js (plain JavaScript so it runs before anything is compiled).
export declare const projectRoot: string;
export type BuildState = 'fresh' | 'stale' | 'missing' | 'built-only';
export interface BuildOptions {
  root?: string;
  outDir?: string;
  quiet?: boolean;
}
export declare function sourceFiles(root?: string): string[];
export declare function sourceFingerprint(root?: string): string;
export declare function buildState(root?: string, outDir?: string): BuildState;
export declare function buildApp(o?: BuildOptions): Promise<{ outDir: string; files: number; ms: number }>;
export declare function ensureBuilt(o?: BuildOptions): Promise<string>;
