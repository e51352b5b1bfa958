"""Lesson 04, demo 1 in Python: call_soon, call_later and call_at, and when each callback runs.

demo.cpp prints the same lines. Run it with: python3 lessons/04-event-loop/mirror.py
"""
import asyncio


# book:schedule
async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()

    def say(what):
        print(f"{loop.time() - start:.1f} s  {what}")

    loop.call_later(1.0, say, "call_later(1.0)")
    loop.call_later(0, say, "call_later(0): a timer, so it queues behind call_soon")
    loop.call_at(start + 0.5, say, "call_at(start + 0.5)")
    loop.call_soon(say, "call_soon, first")
    loop.call_soon(say, "call_soon, second")
    forgotten = loop.call_later(0.2, say, "never printed: cancelled")
    forgotten.cancel()
    say("main: everything is scheduled, nothing has run yet")

    await asyncio.sleep(1.5)
    say("main: back from sleep(1.5)")
# end book:schedule


asyncio.run(main())
