-- A fake of the DaVinci Resolve scripting objects the V2M script uses, following the documented
-- signatures (README.txt of Resolve's Developer/Scripting folder): frames are absolute timeline
-- frames from GetStartFrame(); AddMarker takes (frameId, color, name, note, duration, customData)
-- with frameId relative to the timeline start and refuses a second marker on the same frame.

local M = {}

local COLORS = { Blue = true, Cyan = true, Green = true, Yellow = true, Red = true, Pink = true, Purple = true, Fuchsia = true,
  Rose = true, Lavender = true, Sky = true, Mint = true, Lemon = true, Sand = true, Cocoa = true, Cream = true }

local function esc(s)
  return (tostring(s):gsub('&', '&amp;'):gsub('<', '&lt;'):gsub('>', '&gt;'):gsub('"', '&quot;'))
end

--- What Resolve's File > Export > Timeline (FCP 7 XML) writes for the fake timeline: one video
--- track of clipitems with frame start/end (record) and in/out (source), each media file written
--- in full once and then referenced by id, sequence markers in frames from the start.
local function fcp7xml(spec, start)
  local fps = tonumber(spec.fps)
  local timebase, ntsc = math.floor(fps + 0.5), (fps ~= math.floor(fps)) and 'TRUE' or 'FALSE'
  local rate = '<rate><timebase>' .. timebase .. '</timebase><ntsc>' .. ntsc .. '</ntsc></rate>'
  local out = { '<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE xmeml>', '<xmeml version="5">', '<sequence id="' .. esc(spec.name) .. '">',
    '<name>' .. esc(spec.name) .. '</name>', '<duration>' .. spec.durationFrames .. '</duration>', rate,
    '<timecode>' .. rate .. '<frame>' .. start .. '</frame><displayformat>NDF</displayformat></timecode>',
    '<media><video><track>' }
  local files = {}
  for i, c in ipairs(spec.clips) do
    local len = c.recordOut - c.recordIn
    out[#out + 1] = '<clipitem id="' .. esc(c.name) .. ' ' .. i .. '"><name>' .. esc(c.name) .. '</name><duration>' .. len .. '</duration>' .. rate
      .. '<start>' .. c.recordIn .. '</start><end>' .. c.recordOut .. '</end><in>' .. c.sourceIn .. '</in><out>' .. (c.sourceIn + len) .. '</out>'
      .. '<enabled>' .. ((c.enabled == false) and 'FALSE' or 'TRUE') .. '</enabled>'
    if files[c.mediaPath] then
      out[#out + 1] = '<file id="' .. files[c.mediaPath] .. '"/>'
    else
      local id = 'file-' .. i
      files[c.mediaPath] = id
      local url = 'file://localhost' .. c.mediaPath:gsub('[^%w%-%._~/]', function(ch) return string.format('%%%02X', ch:byte()) end)
      out[#out + 1] = '<file id="' .. id .. '"><name>' .. esc(c.mediaPath:match('[^/]*$')) .. '</name><pathurl>' .. url .. '</pathurl>' .. rate
        .. '<timecode>' .. rate .. '<frame>0</frame></timecode><media><video/></media></file>'
    end
    out[#out + 1] = '</clipitem>'
  end
  out[#out + 1] = '</track></video></media>'
  for _, m in ipairs(spec.markers or {}) do
    out[#out + 1] = '<marker><name>' .. esc(m.name) .. '</name><comment></comment><in>' .. m.frame .. '</in><out>-1</out></marker>'
  end
  out[#out + 1] = '</sequence></xmeml>'
  return table.concat(out, '\n')
end

function M.new(spec)
  local state = { imported = {}, audioTracks = {}, markers = {}, exports = {}, apiReads = 0 }
  local start = spec.startFrame or 86400

  local function item(c)
    return {
      GetName = function() return c.name end,
      GetStart = function() return start + c.recordIn end,
      GetEnd = function() return start + c.recordOut end,
      GetLeftOffset = function() return c.sourceIn end,
      GetMediaPoolItem = function()
        return { GetClipProperty = function(_, key) if key == 'File Path' then return c.mediaPath end end }
      end,
    }
  end
  for _, m in ipairs(spec.markers or {}) do state.markers[m.frame] = { color = 'Red', duration = 1, name = m.name, note = '', customData = '' } end

  local timeline = {
    GetName = function() return spec.name end,
    GetStartFrame = function() return start end,
    GetEndFrame = function() return start + spec.durationFrames end,
    GetSetting = function(_, key)
      if key == 'timelineFrameRate' then return spec.fps end
      if key == 'timelineDropFrameTimecode' then return '0' end
    end,
    GetTrackCount = function(_, kind) return kind == 'video' and 1 or #state.audioTracks end,
    GetItemListInTrack = function(_, kind, i)
      state.apiReads = state.apiReads + 1
      if kind ~= 'video' or i ~= 1 then return {} end
      local out = {}
      for _, c in ipairs(spec.clips) do out[#out + 1] = item(c) end
      return out
    end,
    GetMarkers = function()
      local copy = {}
      for f, m in pairs(state.markers) do copy[f] = m end
      return copy
    end,
    AddMarker = function(_, frame, color, name, note, duration, customData)
      assert(math.type(frame) == 'integer' or frame == math.floor(frame), 'frameId must be a whole frame')
      if not COLORS[color] or state.markers[frame] or duration < 1 then return false end
      state.markers[frame] = { color = color, duration = duration, name = name, note = note, customData = customData }
      return true
    end,
    DeleteMarkerAtFrame = function(_, frame)
      local had = state.markers[frame] ~= nil
      state.markers[frame] = nil
      return had
    end,
    AddTrack = function(_, kind, subType)
      if kind ~= 'audio' then return false end
      state.audioTracks[#state.audioTracks + 1] = { subType = subType, clips = {} }
      return true
    end,
    Export = function(_, path, kind)
      state.exports[#state.exports + 1] = { path = path, kind = kind }
      if kind ~= 'fcp7xml' then return false end
      local f = io.open(path, 'w')
      if not f then return false end
      f:write(spec.exportBroken and '<?xml version="1.0"?><xmeml version="5"></xmeml>' or fcp7xml(spec, start))
      f:close()
      return true
    end,
  }

  local pool = {
    ImportMedia = function(_, paths)
      local out = {}
      for _, p in ipairs(paths) do
        local mpi = { path = p }
        state.imported[#state.imported + 1] = p
        out[#out + 1] = mpi
      end
      return out
    end,
    AppendToTimeline = function(_, infos)
      local out = {}
      for _, info in ipairs(infos) do
        local track = state.audioTracks[info.trackIndex]
        if not track or info.mediaType ~= 2 then return {} end
        track.clips[#track.clips + 1] = { path = info.mediaPoolItem.path, recordFrame = info.recordFrame, startFrame = info.startFrame, endFrame = info.endFrame }
        out[#out + 1] = {}
      end
      return out
    end,
  }

  local project = {
    GetCurrentTimeline = function() return timeline end,
    GetMediaPool = function() return pool end,
  }
  local resolve = {
    EXPORT_FCP_7_XML = 'fcp7xml',
    GetProjectManager = function() return { GetCurrentProject = function() return project end } end,
  }
  return resolve, state, start
end

return M
