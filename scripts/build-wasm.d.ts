// Types for scripts/build-wasm.js.
export declare function watFiles(dir?: string): string[];
export declare function wasmModuleSource(watPath: string): Promise<string>;
export declare function outputPath(watPath: string): string;
