export { onnxRuntimeInfo, type OnnxRuntimeInfo } from './runtime-info.ts';
export { PackError } from './pack-error.ts';
export {
  MANIFEST_FILE, PACK_FORMAT, SUPPORTED_FORMAT_VERSION, MODEL_NAMES, manifestSchema, parseManifest, readManifest, packFiles,
  type ModelName, type PackManifest, type ModelEntry, type FileEntry, type TensorSpec, type ClipRecipe, type Precision,
} from './manifest.ts';
export { verifyPack, verifyFile, checkFileSize, type VerifyOptions, type VerifyProgress } from './pack-verify.ts';
export { sha256File } from './file-hash.ts';
export { bundledModelsDir, userModelsDir } from './pack-locations.ts';
export { listPacks, describePack, resolvePack, findManifestDirs, type PackListing } from './pack-discovery.ts';
export { installPack, type InstallOptions, type InstallProgress, type InstallResult } from './pack-install.ts';
export { resolveRuntimeOptions, choosePrecision, type RuntimeOptions, type ResolvedRuntimeOptions, type DevicePreference, type ProviderName, type GraphOptimization } from './session-options.ts';
export { cudaFailure, type ProviderReport } from './onnx-session.ts';
export { ModelPack, type SessionInfo } from './model-pack.ts';
export { tensor, int64, maxAbsDiff, type HostTensor, type TensorData } from './tensor.ts';
export { clipImageEmbeds, predictOdf, ditDenoiser, ditColourDim, decodeLatents, type DitConditioning } from './diffv2m-models.ts';
export { clipSamplingSize, clipPixels, l2NormalizeRows } from './clip-preprocess.ts';
export { clipFeatures, type ClipFeatures } from './clip-features.ts';
export { predictClipRhythm, toUnitRange, planOdfToModelScale, type RhythmCues } from './clip-rhythm.ts';
export { neuralPlan, neuralPlanner, neuralPlannerId, type NeuralPlan } from './neural-planner.ts';
export { PLANNER_NAMES, choosePlanner, rhythmPack, type PlannerName, type ChosenPlanner, type RhythmPack } from './planner-choice.ts';
export { rhythmPredictJob, type RhythmPredictJobInput, type RhythmPredictJobResult } from './rhythm-predict-job.ts';
