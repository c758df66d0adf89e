-- wrk: random cone searches (1–30 arcmin) around the demo's densest fields, as ADQL over
-- /tap/sync. The fields come from the environment (CONE_FIELDS="ra dec;ra dec;…").
local fields = {}
for ra, dec in string.gmatch(os.getenv("CONE_FIELDS") or "150 2", "([%-%d%.]+) ([%-%d%.]+)") do
  fields[#fields + 1] = { tonumber(ra), tonumber(dec) }
end
math.randomseed(2026)

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

request = function()
  local f = fields[math.random(#fields)]
  local ra = f[1] + (math.random() - 0.5) * 0.2
  local dec = f[2] + (math.random() - 0.5) * 0.2
  local radius = (1 + math.random() * 29) / 60
  local query = string.format(
    "SELECT obs_id, s_ra, s_dec, target_name, band_list FROM ivoa.obscore " ..
    "WHERE CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', %.5f, %.5f, %.5f)) = 1", ra, dec, radius)
  local body = "LANG=ADQL&RESPONSEFORMAT=csv&QUERY=" .. encode(query)
  return wrk.format("POST", "/tap/sync", { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
