-- Gives back what an admission took: the parallel lease, and the token estimate corrected by the real count.
-- KEYS: per subject three keys, as in acquire.lua.
-- ARGV: n, leaseId ('' = none), bucket second (-1 = the current one), then per subject: token delta ('' = no tpm),
-- parallel (1 = holds a lease, 0 = not), request returned (1 = take the admitted request off the rpm window: it was
-- never sent upstream, 0 = not).
local t = redis.call('TIME')
local sec = tonumber(t[1])
local n = tonumber(ARGV[1])
local lease = ARGV[2]
local bucket = tonumber(ARGV[3])
if bucket < 0 then
  bucket = sec
end
for i = 1, n do
  local a = 3 + (i - 1) * 3
  local k = (i - 1) * 3
  local delta = ARGV[a + 1]
  if delta ~= '' and tonumber(delta) ~= 0 and bucket > sec - 61 then
    redis.call('HINCRBY', KEYS[k + 2], bucket, delta)
    redis.call('PEXPIRE', KEYS[k + 2], 62000)
  end
  if ARGV[a + 2] == '1' and lease ~= '' then
    redis.call('ZREM', KEYS[k + 3], lease)
  end
  if ARGV[a + 3] == '1' and bucket > sec - 61 then
    redis.call('HINCRBY', KEYS[k + 1], bucket, -1)
    redis.call('PEXPIRE', KEYS[k + 1], 62000)
  end
end
return 1
