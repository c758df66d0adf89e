-- wrk: random cone searches (1–30 arcmin) around the demo's densest fields, as ADQL over
-- /tap/sync. The fields come from the environment (CONE_FIELDS="ra dec;ra dec;…"), the ADQL
-- from cone.adql ({ra}, {dec}, {radius} in degrees); CONE_MAXREC, if set, is sent as MAXREC.
local fields = {}
for ra, dec in string.gmatch(os.getenv("CONE_FIELDS") or "150 2", "([%-%d%.]+) ([%-%d%.]+)") do
  fields[#fields + 1] = { tonumber(ra), tonumber(dec) }
end
local template = assert(io.open(os.getenv("CONE_ADQL") or "conformance/bench/cone.adql")):read("*l")
local maxrec = os.getenv("CONE_MAXREC")
-- CONE_THINK_MS, if set: each connection waits that long after an answer before asking again
local think = tonumber(os.getenv("CONE_THINK_MS") or "")
if think then
  delay = function() return think end
end
math.randomseed(2026)

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

request = function()
  local f = fields[math.random(#fields)]
  local values = {
    ra = string.format("%.5f", f[1] + (math.random() - 0.5) * 0.2),
    dec = string.format("%.5f", f[2] + (math.random() - 0.5) * 0.2),
    radius = string.format("%.5f", (1 + math.random() * 29) / 60),
  }
  local query = template:gsub("{(%w+)}", values)
  local body = "LANG=ADQL&RESPONSEFORMAT=csv&QUERY=" .. encode(query)
  if maxrec and maxrec ~= "" then body = body .. "&MAXREC=" .. maxrec end
  return wrk.format("POST", "/tap/sync", { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
