-- A fake of the DaVinci Resolve scripting objects the V2M script uses, following the documented
-- signatures (README.txt of Resolve's Developer/Scripting folder): frames are absolute timeline
-- frames from GetStartFrame(); AddMarker takes (frameId, color, name, note, duration, customData)
-- with frameId relative to the timeline start and refuses a second marker on the same frame.

local M = {}

local COLORS = { Blue = true, Cyan = true, Green = true, Yellow = true, Red = true, Pink = true, Purple = true, Fuchsia = true,
  Rose = true, Lavender = true, Sky = true, Mint = true, Lemon = true, Sand = true, Cocoa = true, Cream = true }

function M.new(spec)
  local state = { imported = {}, audioTracks = {}, markers = {}, exports = {} }
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
      local f = io.open(path, 'w')
      if not f then return false end
      f:write('<?xml version="1.0"?><xmeml version="5"></xmeml>')
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
