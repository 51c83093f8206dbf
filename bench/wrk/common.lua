-- Shared by the wrk scripts of bench/run.py: reading lists, and done() printing one JSON line.

-- The same User-Agent as the sign-in in bench/run.py: Flask-Login's strong session protection
-- ends a session that comes back from another browser (address and User-Agent), so without it
-- every "signed-in" request would quietly be an anonymous one.
USER_AGENT = "portal-bench/1"

function read_lines(path)
  local lines = {}
  if path and path ~= "-" then
    for line in io.lines(path) do
      if line ~= "" then lines[#lines + 1] = line end
    end
  end
  return lines
end

-- "<cookie>\t<csrf token>" per signed-in load user
function read_sessions(path)
  local sessions = {}
  for _, line in ipairs(read_lines(path)) do
    local cookie, token = line:match("^([^\t]*)\t(.*)$")
    sessions[#sessions + 1] = { cookie = cookie, token = token }
  end
  return sessions
end

local thread_counter = 0
function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_id", thread_counter)
end

function seed_random()
  math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919)
  for _ = 1, 10 do math.random() end
end

-- Latency in milliseconds; wrk's percentiles come from its HdrHistogram (microseconds).
function done(summary, latency, requests)
  local parts = {}
  for _, q in ipairs({ 50, 75, 90, 95, 99 }) do
    parts[#parts + 1] = string.format('"p%d_ms": %.3f', q, latency:percentile(q) / 1000)
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %.0f, "duration_s": %.3f, "bytes": %.0f, "errors": {"connect": %.0f, ' ..
    '"read": %.0f, "write": %.0f, "status": %.0f, "timeout": %.0f}, "mean_ms": %.3f, "stdev_ms": %.3f, ' ..
    '"max_ms": %.3f, %s}\n',
    summary.requests, summary.duration / 1e6, summary.bytes, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout, latency.mean / 1000,
    latency.stdev / 1000, latency.max / 1000, table.concat(parts, ", ")))
end
