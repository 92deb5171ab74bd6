import type { AppInfo } from '../shared/domain.ts';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The page the bridge shows until the renderer is built: what was found, and what is missing. */
export function statusPageHtml(info: AppInfo): string {
  const row = (name: string, value: string | null, detail = ''): string =>
    `<tr><th>${esc(name)}</th><td>${value ? esc(value) : '<em>not found</em>'}</td><td>${esc(detail)}</td></tr>`;
  const problems = info.problems.length
    ? `<h2>Problems</h2><ul>${info.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(info.appName)} ${esc(info.appVersion)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 48rem; color: #222; }
table { border-collapse: collapse; } th, td { text-align: left; padding: .25rem 1rem .25rem 0; vertical-align: top; }
td:last-child { color: #666; font-size: 13px; }
</style>
</head>
<body>
<h1>${esc(info.appName)} <span id="app-version">${esc(info.appVersion)}</span></h1>
<p>Running through the browser bridge (${esc(info.platform)}). The editor UI is not built yet; this page lists the engine's tools.</p>
<table>
${row('ffmpeg', info.ffmpeg?.version ?? null, info.ffmpeg ? `${info.ffmpeg.path} (${info.ffmpeg.origin})` : '')}
${row('ffprobe', info.ffprobe?.version ?? null, info.ffprobe ? `${info.ffprobe.path} (${info.ffprobe.origin})` : '')}
${row('onnxruntime-node', info.onnxruntime.version, info.onnxruntime.cudaProvider ? 'CUDA provider installed' : 'CPU')}
</table>
${problems}
</body>
</html>
`;
}
