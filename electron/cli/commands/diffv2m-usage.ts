/** The --generator diffv2m options, for the usage texts (apart from the path itself, which loads onnxruntime). */
export const DIFFV2M_USAGE = [
  '  --generator <g>  composer (default) or diffv2m (the Diff-V2M neural path; needs a model pack)',
  '  --pack <p>       diffv2m: a model pack name (v2m models list) or folder',
  '  --steps <n>      diffv2m: sampler steps (default: the pack\'s, 250)',
  '  --cfg <x>        diffv2m: classifier-free guidance scale (default: the pack\'s, 3.0)',
  '  --device <d>     diffv2m: auto (CUDA, else CPU), cuda or cpu',
].join('\n');
