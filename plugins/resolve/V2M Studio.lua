-- V2M Studio for DaVinci Resolve (Workspace > Scripts > V2M Studio).
-- Sends the current timeline to V2M Studio, waits for the music generated there, then imports
-- it, puts it on a new audio track at the timeline start and adds the markers.
--
-- Lua in Resolve has no sockets and no JSON, so this speaks the app's panel protocol over HTTP
-- by running curl (shipped with macOS, Windows 10+ and Linux), with a tiny JSON codec below.
-- The app's port comes from its discovery file; the token from pairing is kept next to it.

local V2M = {}
local cfg = rawget(_G, 'V2M_CONFIG') or {}
local WINDOWS = package.config:sub(1, 1) == '\\'

-- ---------- JSON (just what the protocol needs) ----------

local function encode(v)
  local t = type(v)
  if t == 'nil' then return 'null' end
  if t == 'boolean' then return tostring(v) end
  if t == 'number' then
    if v ~= v or v == math.huge or v == -math.huge then error('cannot encode a non-finite number') end
    if math.type and math.type(v) == 'integer' then return tostring(v) end
    if v == math.floor(v) and math.abs(v) < 2^53 then return string.format('%d', v) end
    return string.format('%.17g', v)
  end
  if t == 'string' then
    return '"' .. v:gsub('[%c"\\]', function(c)
      local map = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
      return map[c] or string.format('\\u%04x', c:byte())
    end) .. '"'
  end
  if t == 'table' then
    if v.__array or #v > 0 then
      local out = {}
      for i = 1, #v do out[i] = encode(v[i]) end
      return '[' .. table.concat(out, ',') .. ']'
    end
    local keys = {}
    for k in pairs(v) do if k ~= '__array' then keys[#keys + 1] = tostring(k) end end
    table.sort(keys)
    local out = {}
    for _, k in ipairs(keys) do out[#out + 1] = encode(k) .. ':' .. encode(v[k]) end
    return '{' .. table.concat(out, ',') .. '}'
  end
  error('cannot encode a ' .. t)
end

local function decode(s)
  local pos = 1
  local function ws() pos = s:find('[^ \t\r\n]', pos) or #s + 1 end
  local value
  local function str()
    local out, i = {}, pos + 1
    while true do
      local c = s:sub(i, i)
      if c == '' then error('unterminated string in JSON') end
      if c == '"' then pos = i + 1; return table.concat(out) end
      if c == '\\' then
        local e = s:sub(i + 1, i + 1)
        local map = { b = '\b', f = '\f', n = '\n', r = '\r', t = '\t', ['"'] = '"', ['\\'] = '\\', ['/'] = '/' }
        if e == 'u' then
          local cp = tonumber(s:sub(i + 2, i + 5), 16)
          out[#out + 1] = utf8 and utf8.char(cp) or string.char(cp % 256)
          i = i + 6
        else
          out[#out + 1] = map[e] or e
          i = i + 2
        end
      else
        out[#out + 1] = c
        i = i + 1
      end
    end
  end
  function value()
    ws()
    local c = s:sub(pos, pos)
    if c == '{' then
      local obj = {}
      pos = pos + 1; ws()
      if s:sub(pos, pos) == '}' then pos = pos + 1; return obj end
      while true do
        ws(); local k = str(); ws()
        if s:sub(pos, pos) ~= ':' then error('expected : in JSON at ' .. pos) end
        pos = pos + 1
        obj[k] = value(); ws()
        local d = s:sub(pos, pos); pos = pos + 1
        if d == '}' then return obj end
        if d ~= ',' then error('expected , or } in JSON at ' .. pos) end
      end
    elseif c == '[' then
      local arr = { __array = true }
      pos = pos + 1; ws()
      if s:sub(pos, pos) == ']' then pos = pos + 1; return arr end
      while true do
        arr[#arr + 1] = value(); ws()
        local d = s:sub(pos, pos); pos = pos + 1
        if d == ']' then return arr end
        if d ~= ',' then error('expected , or ] in JSON at ' .. pos) end
      end
    elseif c == '"' then return str()
    elseif s:sub(pos, pos + 3) == 'true' then pos = pos + 4; return true
    elseif s:sub(pos, pos + 4) == 'false' then pos = pos + 5; return false
    elseif s:sub(pos, pos + 3) == 'null' then pos = pos + 4; return nil
    else
      local num = s:match('^-?%d+%.?%d*[eE]?[-+]?%d*', pos)
      if not num or num == '' then error('unexpected character in JSON at ' .. pos) end
      pos = pos + #num
      return tonumber(num)
    end
  end
  local v = value()
  return v
end
V2M.encode, V2M.decode = encode, decode

-- ---------- files and the app's data folder ----------

local function sep() return WINDOWS and '\\' or '/' end
local function join(a, b) return a .. sep() .. b end

local function read_file(p)
  local f = io.open(p, 'rb')
  if not f then return nil end
  local s = f:read('a')
  f:close()
  return s
end

local function write_file(p, s)
  local tmp = p .. '.tmp'
  local f = assert(io.open(tmp, 'wb'))
  f:write(s)
  f:close()
  os.remove(p)
  assert(os.rename(tmp, p))
end

-- Same rule as the app (core/store/data-dir.ts): V2M_DATA_DIR, else the per-OS default.
function V2M.data_dir()
  if cfg.dataDir then return cfg.dataDir end
  local env = os.getenv('V2M_DATA_DIR')
  if env and env ~= '' then return env end
  if WINDOWS then return join(os.getenv('APPDATA') or '', 'V2M Studio') end
  local home = os.getenv('HOME') or ''
  if io.popen('uname'):read('l') == 'Darwin' then return home .. '/Library/Application Support/V2M Studio' end
  return (os.getenv('XDG_CONFIG_HOME') or (home .. '/.config')) .. '/V2M Studio'
end

local function quote(s)
  if WINDOWS then return '"' .. s:gsub('"', '""') .. '"' end
  return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- ---------- the panel protocol over curl ----------

local Client = {}
Client.__index = Client

function V2M.connect()
  local dir = V2M.data_dir()
  local text = read_file(join(dir, 'panel-bridge.json'))
  if not text then
    error('V2M Studio is not running (no ' .. join(dir, 'panel-bridge.json') .. '). Start the app, then run this script again.', 0)
  end
  local info = decode(text)
  local self = setmetatable({ info = info, dir = dir, tokenFile = join(dir, 'resolve-panel.token') }, Client)
  local ok, err = pcall(function() return self:call('GET', 'ping') end)
  if not ok then error('V2M Studio is not running (nothing answers on port ' .. tostring(info.port) .. '). Start the app, then run this script again.', 0) end
  return self
end

function Client:call(method, op, input, token)
  local body = join(self.dir, 'resolve-request.json')
  local headers = join(self.dir, 'resolve-headers.txt')
  write_file(body, encode(input or {}))
  -- The token goes in a header file, not the command line, so other users cannot read it in ps.
  write_file(headers, 'Content-Type: application/json\n' .. (token and ('Authorization: Bearer ' .. token .. '\n') or ''))
  -- --noproxy: the app is on loopback; a proxy from the environment must not carry the request.
  local cmd = 'curl -s -S --noproxy ' .. quote('*') .. ' --max-time 120 -X ' .. method .. ' -H @' .. quote(headers)
    .. (method == 'POST' and (' --data-binary @' .. quote(body)) or '') .. ' ' .. quote(self.info.httpBase .. '/' .. op)
  local p = io.popen(cmd .. ' 2>&1')
  local out = p:read('a')
  local okExit = p:close()
  os.remove(body)
  os.remove(headers)
  if not okExit or out == '' or out:sub(1, 1) ~= '{' then
    error('V2M Studio did not answer (' .. (out ~= '' and out:gsub('%s+$', '') or 'no reply') .. ').', 0)
  end
  local env = decode(out)
  if not env.ok then
    local e = { code = env.error.code, message = env.error.message }
    error(setmetatable(e, { __tostring = function(x) return x.message end }), 0)
  end
  return env.result
end

function Client:request(op, input)
  return self:call('POST', op, input, self.token)
end

--- Pairs once (asking for the code the app shows) and keeps the token for later runs.
function Client:ensure_paired(ask_code)
  self.token = read_file(self.tokenFile)
  if self.token then
    local ok, err = pcall(function() return self:request('status', {}) end)
    if ok then return end
    if type(err) ~= 'table' or err.code ~= 'NOT_PAIRED' then error(err, 0) end
    os.remove(self.tokenFile)
    self.token = nil
  end
  local code = ask_code()
  if not code or code == '' then error('Pairing was cancelled: run the script again and type the code V2M Studio shows.', 0) end
  local r = self:request('pair', { code = code, client = 'DaVinci Resolve script' })
  write_file(self.tokenFile, r.token)
  self.token = r.token
end

-- ---------- Resolve ----------

local RESOLVE_COLOR = { blue = 'Blue', cyan = 'Cyan', green = 'Green', yellow = 'Yellow', red = 'Red', purple = 'Purple', orange = 'Sand' }

local function rate_of(fps)
  fps = tonumber(fps)
  for _, base in ipairs({ 24, 30, 48, 60, 120 }) do
    if math.abs(fps - base * 1000 / 1001) < 0.005 then return { num = base * 1000, den = 1001 } end
  end
  return { num = math.floor(fps + 0.5), den = 1 }
end

--- The timeline as the protocol's sequence, read through Resolve's documented API.
function V2M.read_timeline(timeline)
  local start = timeline:GetStartFrame()
  local rate = rate_of(timeline:GetSetting('timelineFrameRate'))
  local clips = { __array = true }
  for t = 1, timeline:GetTrackCount('video') do
    for _, item in ipairs(timeline:GetItemListInTrack('video', t) or {}) do
      local mpi = item:GetMediaPoolItem()
      local path = mpi and mpi:GetClipProperty('File Path') or ''
      local left = item:GetLeftOffset()
      local len = item:GetEnd() - item:GetStart()
      clips[#clips + 1] = {
        name = item:GetName(), track = t - 1, mediaPath = path or '', offline = false,
        enabled = (item.GetClipEnabled == nil) or item:GetClipEnabled(),
        recordIn = item:GetStart() - start, recordOut = item:GetEnd() - start,
        sourceInSec = left * rate.den / rate.num, sourceOutSec = (left + len) * rate.den / rate.num,
      }
    end
  end
  local markers = { __array = true }
  local frames = {}
  for frame in pairs(timeline:GetMarkers() or {}) do frames[#frames + 1] = frame end
  table.sort(frames)
  for _, frame in ipairs(frames) do
    local m = timeline:GetMarkers()[frame]
    if not tostring(m.customData or ''):match('^v2m%-') then
      markers[#markers + 1] = { frame = math.floor(frame), durationFrames = math.floor(m.duration or 0), name = m.name or '', note = m.note or '' }
    end
  end
  return {
    name = timeline:GetName(), editor = 'resolve', rate = rate, dropFrame = timeline:GetSetting('timelineDropFrameTimecode') == '1',
    durationFrames = timeline:GetEndFrame() - start, videoClips = clips, markers = markers,
  }
end

--- Imports the music, appends it on a new audio track at the timeline start, adds the markers.
function V2M.place(resolve, project, timeline, placement)
  local pool = project:GetMediaPool()
  local items = pool:ImportMedia({ placement.musicPath })
  if not items or not items[1] then error('Resolve could not import ' .. placement.musicPath .. '.', 0) end
  if not timeline:AddTrack('audio', 'stereo') then error('Resolve refused to add an audio track.', 0) end
  local track = timeline:GetTrackCount('audio')
  local appended = pool:AppendToTimeline({ {
    mediaPoolItem = items[1], startFrame = 0, endFrame = placement.durationFrames - 1,
    trackIndex = track, recordFrame = timeline:GetStartFrame() + placement.startFrame, mediaType = 2,
  } })
  if not appended or not appended[1] then error('Resolve could not put the music on the timeline.', 0) end
  -- Markers from an earlier placement carry our id; replace them rather than doubling them.
  local replaced = 0
  for frame, m in pairs(timeline:GetMarkers() or {}) do
    if tostring(m.customData or ''):match('^v2m%-') then
      timeline:DeleteMarkerAtFrame(frame)
      replaced = replaced + 1
    end
  end
  local added = 0
  for _, m in ipairs(placement.markers) do
    local color = RESOLVE_COLOR[m.color] or 'Green'
    if timeline:AddMarker(m.frame, color, m.name, m.note, math.max(1, m.durationFrames), m.id) then added = added + 1 end
  end
  return { audioTrack = track, markersAdded = added, markersReplaced = replaced }
end

local function sleep(sec)
  if cfg.sleep then return cfg.sleep(sec) end
  if WINDOWS then os.execute('ping -n ' .. math.floor(sec + 1) .. ' 127.0.0.1 > NUL') else os.execute('sleep ' .. sec) end
end

local function say(text)
  if cfg.say then return cfg.say(text) end
  print('[V2M Studio] ' .. text)
end

local function ask_code()
  if cfg.pairingCode then return cfg.pairingCode end
  local env = os.getenv('V2M_PAIRING_CODE')
  if env and env ~= '' then return env end
  local f = rawget(_G, 'fu') or rawget(_G, 'fusion')
  if f and f.AskUser then
    local r = f:AskUser('V2M Studio pairing', { { 'Code', 'Text', Name = 'Pairing code shown by V2M Studio', Lines = 1 } })
    return r and r.Code
  end
  return nil
end

--- Polls a job until it ends (the app pushes nothing over HTTP).
local function wait_job(client, jobId, timeoutSec)
  local waited = 0
  while true do
    local s = client:request('job', { jobId = jobId })
    if s.state == 'done' then return s end
    if s.state == 'failed' then error('V2M Studio: ' .. (s.error or 'the job failed'), 0) end
    if waited >= timeoutSec then error('V2M Studio did not finish ' .. jobId .. ' within ' .. timeoutSec .. ' s.', 0) end
    sleep(cfg.pollSec or 1)
    waited = waited + (cfg.pollSec or 1)
  end
end

--- The whole round trip; returns a summary table or raises an error with a message for the user.
function V2M.run(resolve)
  local project = resolve:GetProjectManager():GetCurrentProject()
  if not project then error('Open a Resolve project first.', 0) end
  local timeline = project:GetCurrentTimeline()
  if not timeline then error('Open a timeline first (the one to score).', 0) end
  local client = V2M.connect()
  client:ensure_paired(ask_code)

  -- Prefer Resolve's own FCP7 XML export (every track, clip and marker as Resolve sees them);
  -- fall back to reading the timeline through the API when the app cannot read that file.
  local opened
  local xml = join(client.info.exchangeDir, (timeline:GetName():gsub('[^%w%-_ ]', '_')) .. '.xml')
  local exported = resolve.EXPORT_FCP_7_XML ~= nil and timeline:Export(xml, resolve.EXPORT_FCP_7_XML)
  if exported then
    local ok, res = pcall(function() return client:request('openTimelineFile', { path = xml, editor = 'resolve' }) end)
    if ok then opened = res
    elseif type(res) == 'table' and (res.code == 'BAD_TIMELINE' or res.code == 'FAILED') then
      say('The FCP7 XML export could not be read (' .. tostring(res.message) .. '); reading the timeline through the scripting API instead.')
    else error(res, 0) end
  end
  opened = opened or client:request('openSequence', { sequence = V2M.read_timeline(timeline) })
  for _, w in ipairs(opened.warnings or {}) do say(w) end
  say('Timeline "' .. timeline:GetName() .. '" sent; V2M Studio is analysing it.')
  wait_job(client, opened.jobId, cfg.analysisTimeoutSec or 1800)
  say('Shape the rhythm and generate music in V2M Studio; this script places it when it is ready.')

  local placement
  local waited, limit = 0, cfg.generationTimeoutSec or 3600
  while not placement do
    local ok, res = pcall(function() return client:request('placement', { clipId = opened.clipId }) end)
    if ok then placement = res
    elseif type(res) == 'table' and res.code == 'NO_GENERATION' and waited < limit then
      sleep(cfg.pollSec or 2)
      waited = waited + (cfg.pollSec or 2)
    else error(res, 0) end
  end
  local r = V2M.place(resolve, project, timeline, placement)
  say('Placed the music on audio track A' .. r.audioTrack .. ' and ' .. r.markersAdded .. ' markers.')
  r.clipId, r.generationId = opened.clipId, placement.generationId
  return r
end

if rawget(_G, 'V2M_LIBRARY') then return V2M end

local host = rawget(_G, 'resolve') or (rawget(_G, 'Resolve') and Resolve())
if not host then
  print('[V2M Studio] Run this from DaVinci Resolve: Workspace > Scripts > V2M Studio.')
  return V2M
end
local ok, err = pcall(V2M.run, host)
if not ok then say('Error: ' .. tostring(err)) end
V2M.lastError = (not ok) and tostring(err) or nil
return V2M
