-- wrk script of benchmarks/index.py: every request asks the next path of a file (one path a line), so the
-- load spreads over many rights or holders; done() prints the exact percentiles (microseconds) on one line.
--   wrk -t1 -c4 -d10s --latency -s benchmarks/wrk/paths.lua http://127.0.0.1:PORT -- paths.txt
local paths = {}
local i = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  if #paths == 0 then error("no paths in " .. args[1]) end
  i = (id or 0) * 7919 % #paths  -- each thread starts elsewhere in the list
end

function setup(thread)
  thread:set("id", (setup_count or 0))
  setup_count = (setup_count or 0) + 1
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "IPLEDGER-WRK p50=%d p95=%d p99=%d max=%d mean=%.1f requests=%d duration_us=%d "
      .. "status_errors=%d connect=%d read=%d write=%d timeout=%d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout))
end
