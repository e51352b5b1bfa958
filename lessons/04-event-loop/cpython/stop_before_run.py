"""stop() called before run_forever(): asyncio still runs one iteration, which does not wait (its
selector is polled with a timeout of 0), so what was ready runs and a pending timer does not.
The request is used up: the next run_forever() runs on.
(test_event_loop.cpp: "stop() before run_forever still lets one iteration run")"""
import asyncio

loop = asyncio.new_event_loop()


def say(what):
    print(f"{loop.time():.1f} {what}")


def last():
    say("a second later")
    loop.stop()  # asyncio's loop never runs dry by itself: stop it


loop.call_later(1, last)
loop.stop()
loop.run_forever()
say("the first run is over: the timer is not due, and time did not move")

loop.call_soon(say, "ready before the run")
loop.stop()
loop.run_forever()
say("the second run is over after one iteration")

loop.run_forever()
say("the third run went on to the timer")
loop.close()

# expect 3.11:
# 0.0 the first run is over: the timer is not due, and time did not move
# 0.0 ready before the run
# 0.0 the second run is over after one iteration
# 1.0 a second later
# 1.0 the third run went on to the timer
