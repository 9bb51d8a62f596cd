/**
 * The one Lua script of presence: replaces a process's share of a user and applies the
 * coalescing rule, atomically on the user's hash (one key, so any shard of a cluster runs it).
 * It is `combinedStatus` (domain/presence.ts) and `decideFrame` (domain/presence-coalescing.ts)
 * in Lua: test/presence/presence-directory-contract.test.ts runs the same cases against it and
 * against the in-memory directory, which calls those functions.
 *
 * KEYS[1]  the user's hash (redis-presence-keys.ts)
 * ARGV[1]  the process id (the share's field)
 * ARGV[2]  the new share ('' to withdraw it, '=' to leave it: a recheck)
 * ARGV[3]  a last-seen moment to raise `~t` to (epoch ms), or ''
 * ARGV[4]  now (epoch ms)
 * ARGV[5]  the coalescing window (ms)
 * ARGV[6]  how long a hash with no share is kept (ms): past the window, so a held frame is not lost
 *
 * Returns { decision ('send' | 'hold' | 'none'), status ('online' | 'away' | 'offline'),
 * last-seen ('' or epoch ms), hold-until ('' or epoch ms) }, all strings: Lua numbers would come
 * back truncated to integers, and large ones are written in exponent form.
 */
export const PRESENCE_PUBLISH_LUA = `
local key = KEYS[1]
if ARGV[2] == '' then
  redis.call('HDEL', key, ARGV[1])
elseif ARGV[2] ~= '=' then
  redis.call('HSET', key, ARGV[1], ARGV[2])
end
local seen = redis.call('HGET', key, '~t')
if ARGV[3] ~= '' and (not seen or tonumber(ARGV[3]) > tonumber(seen)) then
  seen = ARGV[3]
  redis.call('HSET', key, '~t', seen)
end
local status = 'offline'
local shares = 0
local fields = redis.call('HGETALL', key)
for i = 1, #fields, 2 do
  if string.sub(fields[i], 1, 1) ~= '~' then
    shares = shares + 1
    local s = string.sub(fields[i + 1], 1, 1)
    if s == 'o' then status = 'online' elseif s == 'a' and status == 'offline' then status = 'away' end
  end
end
local sentStatus, sentAt = 'offline', nil
local sent = redis.call('HGET', key, '~s')
if sent then
  local bar = string.find(sent, '|', 1, true)
  sentStatus = string.sub(sent, 1, bar - 1)
  sentAt = string.sub(sent, bar + 1)
end
local decision, untilAt = 'none', ''
if status ~= sentStatus then
  if sentAt and tonumber(ARGV[4]) - tonumber(sentAt) < tonumber(ARGV[5]) then
    decision = 'hold'
    untilAt = tostring(tonumber(sentAt) + tonumber(ARGV[5]))
  else
    decision = 'send'
    redis.call('HSET', key, '~s', status .. '|' .. ARGV[4])
  end
end
if shares == 0 then redis.call('PEXPIRE', key, ARGV[6]) else redis.call('PERSIST', key) end
return { decision, status, seen or '', untilAt }
`;
