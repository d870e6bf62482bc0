-- wrk: the soak's mixed load (scripts/soak). Nine reads of every ten requests
-- over the portal's pages, the API, OParl and search; one write through the API
-- (a new matter with a title of its own). SOAK_KEY: the API key; SOAK_DELAY_MS:
-- the pause before each request of a connection (the rate).
local key = os.getenv("SOAK_KEY")
local group = "samordningsgrupp-for-neonatalvarden"
-- The groups the writes go to in turn (SOAK_GROUPS, comma-separated): a region's
-- writes are spread over its groups, not piled on one.
local groups = {}
for g in string.gmatch(os.getenv("SOAK_GROUPS") or group, "[^,]+") do
  table.insert(groups, g)
end
local delay_ms = tonumber(os.getenv("SOAK_DELAY_MS") or "0")
local reads = {
  "/", "/grupper/" .. group, "/grupper/" .. group .. "/moten", "/beslut",
  "/grupparenden", "/sok?q=neonatal", "/api/v1/organizations",
  "/api/v1/organizations/" .. group, "/oparl/v1.1/bodies",
  "/grupper/samordningsrad-neurologi/uppdragshandlingar/1",
}
local threads = {}
local n = 0

setup = function(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

init = function(args)
  bad = 0
  bad_example = ""
end

delay = function()
  return delay_ms
end

request = function()
  n = n + 1
  if n % 10 == 0 then
    local body = string.format(
      '{"kind":"remissvar","title":"Soak %d-%d-%d","source":"national"}', id, n, math.random(1e9))
    local g = groups[((n / 10) % #groups) + 1]
    return wrk.format("POST", "/api/v1/organizations/" .. g .. "/matters",
      {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
  end
  local path = reads[(n % #reads) + 1]
  if n % 3 == 0 then
    return wrk.format("GET", path, {["Authorization"] = "Bearer " .. key})
  end
  return wrk.format("GET", path)
end

response = function(status, headers, body)
  if status >= 400 then
    bad = bad + 1
    if bad_example == "" then bad_example = tostring(status) end
  end
end

done = function(summary, latency, requests)
  local bad_total, example = 0, ""
  for _, t in ipairs(threads) do
    bad_total = bad_total + t:get("bad")
    local e = t:get("bad_example")
    if e ~= "" then example = e end
  end
  local secs = summary.duration / 1e6
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"socket_errors":%d,"http_errors":%d,"example":"%s"}\n',
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    bad_total, example))
end
