"""Rasa's Redis lock store, with each change of a lock made atomically.

Several Rasa servers share one Redis lock store so that a conversation's turns run one at a
time whichever replica receives them (README, "Scaling out"). Rasa 3.6's RedisLockStore
changes a lock by reading it, changing it in Python and writing it back, three separate
commands: two replicas issuing a ticket for the same conversation at once both read "no
lock", both take ticket 0 and run their turns side by side; a replica finishing its turn
writes back a lock without the ticket another replica just added, whose turn then fails
with a LockError. Two turns side by side load the same tracker and the second save drops
events of the first (the SQL tracker store appends what lies past the events it counts in
the database): a message lost. Rasa Pro's ConcurrentRedisLockStore exists for this reason.

Here every change of a lock is one Lua script that Redis runs atomically: issuing a ticket
and finishing one are a round trip each (a WATCH/MULTI/EXEC transaction took four, on every
turn, while the replica's event loop waited), and a lock's key expires with its last
ticket, so a replica that dies holding one leaves nothing behind. Same tickets, same lock
format, same settings in endpoints.scaled.yml as `type: redis`;
tests/scaled/lock_store_scenario.py shows Rasa's store handing out the same ticket twice and
this one never.
"""
import time
from typing import Any, Optional, Text

from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# A key outlives its last ticket by this much, so that a lock is never dropped while a
# replica is still looking at it.
EXPIRY_MARGIN_MS = 5000

# The lock is Rasa's TicketLock.dumps(): {"conversation_id", "tickets": [each ticket's own JSON
# text, {"number", "expires"}]}.
# Both scripts drop expired tickets (ARGV[1] is the replica's clock, as Rasa's TicketLock
# compares), store what is left with the key expiring after its last ticket, or delete it.
_STORE = """
local function store(key, conversation_id, tickets, now, margin)
  if #tickets == 0 then
    redis.call('DEL', key)
    return
  end
  local last, texts = 0, {}
  for i, ticket in ipairs(tickets) do
    if ticket.expires > last then last = ticket.expires end
    texts[i] = cjson.encode(ticket)
  end
  local ms = math.max(1, math.floor((last - now) * 1000)) + margin
  redis.call('SET', key, cjson.encode({conversation_id = conversation_id, tickets = texts}), 'PX', ms)
end
local function live(raw, now, except)
  local tickets = {}
  if raw then
    for _, text in ipairs(cjson.decode(raw).tickets) do
      local ticket = cjson.decode(text)
      if ticket.expires >= now and ticket.number ~= except then table.insert(tickets, ticket) end
    end
  end
  return tickets
end
"""
# KEYS[1] lock; ARGV: now, margin ms, conversation id, lifetime s. Returns the new ticket.
ISSUE = _STORE + """
local now, margin = tonumber(ARGV[1]), tonumber(ARGV[2])
local tickets = live(redis.call('GET', KEYS[1]), now, nil)
local number = 0
if #tickets > 0 then number = tickets[#tickets].number + 1 end
table.insert(tickets, {number = number, expires = now + tonumber(ARGV[4])})
store(KEYS[1], ARGV[3], tickets, now, margin)
return number
"""
# KEYS[1] lock; ARGV: now, margin ms, conversation id, ticket to remove (-1: none).
FINISH = _STORE + """
local now, margin = tonumber(ARGV[1]), tonumber(ARGV[2])
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
store(KEYS[1], ARGV[3], live(raw, now, tonumber(ARGV[4])), now, margin)
return 1
"""


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore whose ticket changes are atomic Lua scripts."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        # Rasa builds custom lock stores from their endpoints.yml entry alone.
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
        self._issue = self.red.register_script(ISSUE)
        self._finish = self.red.register_script(FINISH)

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return int(self._issue(keys=[self.key_prefix + conversation_id],
                                   args=[repr(time.time()), EXPIRY_MARGIN_MS, conversation_id, repr(lock_lifetime)]))
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}")

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        self._finish(keys=[self.key_prefix + conversation_id],
                     args=[repr(time.time()), EXPIRY_MARGIN_MS, conversation_id, ticket_number])

    def update_lock(self, conversation_id: Text) -> None:
        # Expired tickets are dropped whenever a lock is stored; a missing lock stays missing.
        self.finish_serving(conversation_id, -1)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        # One script: the lock is deleted only if nobody took a ticket meanwhile.
        self.finish_serving(conversation_id, ticket_number)
