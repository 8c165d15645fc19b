-- Appended to every scenario script by bench/run.py: one JSON line for run.py to read.
-- Latencies are in microseconds; "created" counts 201/202 answers (comment creation).
local bench_threads = {}

function setup(thread)
  table.insert(bench_threads, thread)
end

function done(summary, latency, requests)
  local created, tokens = 0, 0
  for _, thread in ipairs(bench_threads) do
    created = created + (thread:get("bench_created") or 0)
    tokens = tokens + (thread:get("bench_tokens") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, '
      .. '"p99_us": %d, "mean_us": %.1f, "max_us": %d, "errors_connect": %d, "errors_read": %d, '
      .. '"errors_write": %d, "errors_status": %d, "errors_timeout": %d, "created": %d, "tokens": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean, latency.max, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, created, tokens))
end
