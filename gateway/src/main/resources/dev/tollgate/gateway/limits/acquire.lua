-- Checks every subject, then takes one request from all of them (all or nothing), atomically.
-- KEYS: per subject three keys: requests hash, tokens hash (field = epoch second, value = count), leases zset.
-- ARGV: n, leaseId, leaseTtlMs, then per subject: rpm, tpm, parallel (-1 = not limited), tokens.
-- Returns {1, second, used requests, used tokens, in flight, ...per subject} or {0, subject index, kind, retryAfterMs}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local sec = math.floor(now / 1000)
local n = tonumber(ARGV[1])
local lease = ARGV[2]
local ttl = tonumber(ARGV[3])

local function window(key)
  local flat = redis.call('HGETALL', key)
  local used, buckets, stale = 0, {}, {}
  for i = 1, #flat, 2 do
    local b = tonumber(flat[i])
    if b <= sec - 61 then
      stale[#stale + 1] = flat[i]
    else
      local c = tonumber(flat[i + 1])
      used = used + c
      buckets[#buckets + 1] = {b, c}
    end
  end
  if #stale > 0 then
    redis.call('HDEL', key, unpack(stale))
  end
  return used, buckets
end

local function untilRoom(buckets, used, need, limit)
  table.sort(buckets, function(a, b) return a[1] < b[1] end)
  local freed = 0
  for _, bc in ipairs(buckets) do
    freed = freed + bc[2]
    if used - freed + need <= limit then
      return (bc[1] + 61) * 1000 - now
    end
  end
  return 61000
end

local out = {1, sec}
for i = 1, n do
  local a = 3 + (i - 1) * 4
  local rpm, tpm, par, tok = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  local k = (i - 1) * 3
  local ru, tu, pu = 0, 0, 0
  if rpm >= 0 then
    local buckets
    ru, buckets = window(KEYS[k + 1])
    if ru + 1 > rpm then
      return {0, i, 1, untilRoom(buckets, ru, 1, rpm)}
    end
  end
  if tpm >= 0 then
    local buckets
    tu, buckets = window(KEYS[k + 2])
    if tu + tok > tpm then
      return {0, i, 2, untilRoom(buckets, tu, tok, tpm)}
    end
  end
  if par >= 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[k + 3], '-inf', now)
    pu = redis.call('ZCARD', KEYS[k + 3])
    if pu + 1 > par then
      return {0, i, 3, 1000}
    end
  end
  out[#out + 1] = ru
  out[#out + 1] = tu
  out[#out + 1] = pu
end

for i = 1, n do
  local a = 3 + (i - 1) * 4
  local rpm, tpm, par, tok = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  local k = (i - 1) * 3
  local o = 2 + (i - 1) * 3
  if rpm >= 0 then
    redis.call('HINCRBY', KEYS[k + 1], sec, 1)
    redis.call('PEXPIRE', KEYS[k + 1], 62000)
    out[o + 1] = out[o + 1] + 1
  end
  if tpm >= 0 then
    redis.call('HINCRBY', KEYS[k + 2], sec, tok)
    redis.call('PEXPIRE', KEYS[k + 2], 62000)
    out[o + 2] = out[o + 2] + tok
  end
  if par >= 0 then
    redis.call('ZADD', KEYS[k + 3], now + ttl, lease)
    redis.call('PEXPIRE', KEYS[k + 3], ttl + 1000)
    out[o + 3] = out[o + 3] + 1
  end
end
return out
