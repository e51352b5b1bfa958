"""One iteration of asyncio's loop counts the ready callbacks after the due timers have joined them.
BaseEventLoop._run_once waits for I/O, appends every due timer to _ready, and only then takes
ntodo = len(_ready): a timer due now runs in this iteration, behind what was already ready, while
a callback scheduled during the iteration waits for the next one. stop() ends run_forever at the
end of the iteration, which makes the boundary visible.
(test_event_loop.cpp and test_naive_loop.cpp: "a due timer runs after the callbacks that were
already ready", "a callback scheduled during run_once waits for the next iteration")"""
import asyncio
import asyncio.base_events
import inspect

source = inspect.getsource(asyncio.base_events.BaseEventLoop._run_once)
moved_in = source.index("self._ready.append(handle)")
counted = source.index("ntodo = len(self._ready)")
print(f"_run_once counts the ready callbacks after moving the due timers: {counted > moved_in}")

loop = asyncio.new_event_loop()


def first():
    print("call_soon, scheduled second: it was ready already")
    loop.call_soon(print, "call_soon from a callback: the next iteration")
    loop.stop()  # ends run_forever once this iteration is over


loop.call_later(0, print, "call_later(0), scheduled first: due, so it joins this iteration")
loop.call_soon(first)
loop.run_forever()
print("run_forever returned after one iteration")
loop.call_soon(loop.stop)
loop.run_forever()  # runs what was left, then the stop
loop.close()

# expect 3.11:
# _run_once counts the ready callbacks after moving the due timers: True
# call_soon, scheduled second: it was ready already
# call_later(0), scheduled first: due, so it joins this iteration
# run_forever returned after one iteration
# call_soon from a callback: the next iteration
