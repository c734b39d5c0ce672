-- wrk script for every HTTP step of bench/run.sh. Settings come from the environment:
--   BENCH_TOKEN      bearer token (required)
--   BENCH_BODY_FILE  POST this file's bytes as the body (Content-Type: application/json); unset: GET
--   BENCH_BATCH      with BENCH_BODY_FILE: POST {"items":[<file>, <file>, ...]} with this many copies instead
--   BENCH_PATH       request path and query (default: the URL's own path)
-- done() prints one machine-readable line starting with "BENCH " (latencies in milliseconds); run.sh parses it.

local token = os.getenv("BENCH_TOKEN")
if token == nil or token == "" then
   error("BENCH_TOKEN is not set")
end

wrk.headers["Authorization"] = "Bearer " .. token

local path = os.getenv("BENCH_PATH")
if path ~= nil and path ~= "" then
   wrk.path = path
end

local body_file = os.getenv("BENCH_BODY_FILE")
if body_file ~= nil and body_file ~= "" then
   local f = assert(io.open(body_file, "rb"))
   local body = f:read("*a")
   f:close()
   local batch = tonumber(os.getenv("BENCH_BATCH") or "")
   if batch ~= nil and batch > 0 then
      local items = {}
      for i = 1, batch do
         items[i] = body
      end
      body = '{"items":[' .. table.concat(items, ",") .. ']}'
   end
   wrk.method = "POST"
   wrk.body = body
   wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d seconds=%.3f rps=%.2f p50_ms=%.3f p90_ms=%.3f p95_ms=%.3f p99_ms=%.3f max_ms=%.3f"
         .. " mean_ms=%.3f non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d bytes=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
      e.status, e.connect, e.read, e.write, e.timeout, summary.bytes))
end
