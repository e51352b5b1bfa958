"""Handle.cancel(): a callback cancelled before it ran never runs; a cancelled timer stays in
asyncio's heap (marked cancelled) until it reaches the top; cancelling a handle whose callback
already ran changes nothing but cancelled(), which turns true all the same.
(test_event_loop.cpp: "a handle cancelled before its callback ran means it never runs",
"cancelling a handle after its callback ran changes nothing but its flag")"""
import asyncio

loop = asyncio.new_event_loop()
log = []
soon = loop.call_soon(log.append, "soon")
later = loop.call_later(1, log.append, "later")
loop.call_later(2, log.append, "kept")
loop.call_later(2, loop.stop)
soon.cancel()
later.cancel()
print(f"cancelled: {soon.cancelled()} {later.cancelled()}; timers still in the heap: {len(loop._scheduled)}")
loop.run_forever()
print(f"ran: {log}")

ran = loop.call_soon(log.append, "ran")
loop.call_soon(loop.stop)
loop.run_forever()
ran.cancel()  # too late
print(f"after it ran: cancelled() is {ran.cancelled()}; ran: {log}")
loop.close()

# expect 3.11:
# cancelled: True True; timers still in the heap: 3
# ran: ['kept']
# after it ran: cancelled() is True; ran: ['kept', 'ran']
