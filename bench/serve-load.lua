-- wrk script for bench/serve-load.sh and tests/serve_load.rs. Each connection cycles through the
-- URL paths given after `--` (threads start at different places in the list); every response's
-- status is tallied, and one summary line is printed for the caller to parse:
--
--   wrk -t2 -c200 -d30s --latency -s bench/serve-load.lua http://127.0.0.1:PORT -- /a/ /b/ ...
--   SERVE-LOAD requests=N connect=N read=N write=N timeout=N p50_us=N p90_us=N p99_us=N
--     max_us=N statuses=200:N,304:N
--
-- wrk counts any status outside 2xx/3xx as an error, which a deliberate 404 probe is: the caller
-- judges the statuses (a separate wrk run carries the probes, so that each tally is exact).

paths = {}
statuses = {}
local index = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  for i = 1, #args do
    paths[#paths + 1] = args[i]
  end
  if #paths == 0 then
    paths[1] = "/"
  end
  index = (id or 0) * 7 % #paths
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local tally = thread:get("statuses")
    for status, count in pairs(tally) do
      total[status] = (total[status] or 0) + count
    end
  end
  local codes = {}
  for status in pairs(total) do
    codes[#codes + 1] = status
  end
  table.sort(codes)
  local parts = {}
  for _, status in ipairs(codes) do
    parts[#parts + 1] = string.format("%d:%d", status, total[status])
  end
  local errors = summary.errors
  io.write(string.format(
    "SERVE-LOAD requests=%d connect=%d read=%d write=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d statuses=%s\n",
    summary.requests, errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    table.concat(parts, ",")))
end
