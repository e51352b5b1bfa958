"""Lesson 04, demo 0 in Python: asyncio's own loop runs callbacks and timers in this order.

demo_naive.cpp prints the same lines with the naive loop of exercise 1.
Run it with: python3 lessons/04-event-loop/mirror_naive.py
"""
import asyncio

# book:naive-demo
loop = asyncio.new_event_loop()


def say(what):
    print(f"{loop.time() - start:.1f} s  {what}")


def second():
    say("call_soon, second: it schedules one more")
    loop.call_soon(say, "call_soon from a callback: the next iteration")


start = loop.time()
loop.call_later(1.0, say, "call_later(1.0), A")
loop.call_later(0.5, say, "call_later(0.5)")
loop.call_later(0, say, "call_later(0): due at once, it joins the first iteration")
loop.call_soon(say, "call_soon, first")
loop.call_soon(second)
loop.call_later(1.0, say, "call_later(1.0), B: same deadline as A, scheduled after it")
loop.call_later(1.0, loop.stop)  # asyncio's loop never runs dry by itself
loop.run_forever()
loop.close()
# end book:naive-demo
