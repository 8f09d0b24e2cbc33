-- wrk script for one connection per thread: the chat completion of chat.lua, plus each request's own latency
-- (request written to answer read), reported by done() as "per-request p50 p90 p99 p99.9 max count" in µs.
-- wrk's own percentiles are corrected for coordinated omission: after the run, every latency longer than twice the
-- mean interval adds synthetic samples (stats_correct in wrk.c), as if requests had kept coming at the mean rate
-- during the stall. Both views are reported; see bench/RESULTS.md. Needs LuaJIT's ffi (Debian's wrk has it).
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } tg_timespec;
int clock_gettime(int clock_id, tg_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("tg_timespec")
local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-tg-bench-key-000001"
wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]}'
-- PROMPT_CHARS=n: a prompt of about n characters of English-like words instead (bench/prompt.sh)
local prompt_chars = tonumber(os.getenv("PROMPT_CHARS") or "")
if prompt_chars then
  local words = {"the", "gateway", "counts", "tokens", "of", "every", "prompt", "before", "it", "admits", "a",
                 "request,", "and", "budgets", "spend.", "Platform", "teams", "declare", "routes", "keys"}
  local parts, length, i = {}, 0, 0
  while length < prompt_chars do
    i = i + 1
    local w = words[(i * 7919) % #words + 1]
    parts[#parts + 1] = w
    length = length + #w + 1
  end
  -- PROMPT_MESSAGES=m: the same words as a conversation of m messages, alternating user and assistant
  local m = tonumber(os.getenv("PROMPT_MESSAGES") or "1")
  local per = math.ceil(#parts / m)
  local messages = {}
  for k = 1, m do
    local slice = table.concat(parts, " ", (k - 1) * per + 1, math.min(k * per, #parts))
    messages[k] = '{"role":"' .. (k % 2 == 1 and "user" or "assistant") .. '","content":"' .. slice .. '"}'
  end
  wrk.body = '{"model":"gpt-4o-mini","messages":[' .. table.concat(messages, ",") .. ']}'
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

local raw, started = nil, 0
latencies = {} -- µs -> count, read by done() from each thread
function request()
  raw = raw or wrk.format()
  started = now_us()
  return raw
end

function response(status, headers, body)
  local us = now_us() - started
  latencies[us] = (latencies[us] or 0) + 1
end

function done(summary, latency, requests)
  local counts, total = {}, 0
  for _, thread in ipairs(threads) do
    for us, n in pairs(thread:get("latencies")) do
      counts[us] = (counts[us] or 0) + n
      total = total + n
    end
  end
  local values = {}
  for us in pairs(counts) do table.insert(values, us) end
  table.sort(values)
  local function percentile(p)
    local rank, seen = math.ceil(total * p / 100), 0
    for _, us in ipairs(values) do
      seen = seen + counts[us]
      if seen >= rank then return us end
    end
    return 0
  end
  io.write(string.format("per-request p50 %d p90 %d p99 %d p99.9 %d max %d count %d\n",
    percentile(50), percentile(90), percentile(99), percentile(99.9), values[#values] or 0, total))
end
