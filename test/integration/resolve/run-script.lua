-- Runs plugins/resolve/V2M Studio.lua against the fake Resolve and prints what the fake holds.
-- Usage: lua5.4 run-script.lua <script> <fake-resolve.lua> <spec.json>
local script, fakePath, specPath = arg[1], arg[2], arg[3]
V2M_LIBRARY = true
local V2M = dofile(script)
local f = assert(io.open(specPath, 'rb'))
local spec = V2M.decode(f:read('a'))
f:close()
local said = { __array = true }
V2M_CONFIG = spec.config
V2M_CONFIG.say = function(t) said[#said + 1] = t end
V2M_CONFIG.sleep = function(s) os.execute('sleep ' .. s) end
V2M_LIBRARY = true
V2M = dofile(script)
local fake = dofile(fakePath)
local resolve, state, start = fake.new(spec.timeline)
local ok, res = pcall(V2M.run, resolve)
local markers = { __array = true }
for frame, m in pairs(state.markers) do markers[#markers + 1] = { frame = frame, color = m.color, name = m.name, note = m.note, customData = m.customData, duration = m.duration } end
table.sort(markers, function(a, b) return a.frame < b.frame end)
local tracks = { __array = true }
for _, t in ipairs(state.audioTracks) do
  local clips = { __array = true }
  for _, c in ipairs(t.clips) do clips[#clips + 1] = c end
  tracks[#tracks + 1] = { clips = clips }
end
local imported = { __array = true }
for _, p in ipairs(state.imported) do imported[#imported + 1] = p end
print(V2M.encode({ ok = ok, error = (not ok) and tostring(type(res) == 'table' and res.message or res) or nil, result = ok and res or nil,
  markers = markers, audioTracks = tracks, imported = imported, start = start, said = said, apiReads = state.apiReads, exports = #state.exports }))
