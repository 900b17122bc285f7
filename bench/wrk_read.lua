-- Guest reads by id for wrk, as `rapport bench read` sends them: ids walked
-- multiplicatively over the whole table, so reads spread across the file.
--   GUESTS=1000000 TOKEN=rpt_... wrk -t1 -c64 -d10s --latency -s bench/wrk_read.lua http://127.0.0.1:8080
local guests = tonumber(os.getenv("GUESTS") or "1000000")
local token = os.getenv("TOKEN") or error("set TOKEN to an API token (rapport token create --role front_desk --name wrk)")
local n = 0

wrk.headers["authorization"] = "Bearer " .. token

request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/guests/" .. ((n * 2654435761) % guests + 1))
end
