"""Timers due at the same instant: in what order do they fire?
asyncio's TimerHandle compares deadlines only, and heapq is not stable, so on a clock that stands
still seven call_later(1, ...) fire in the heap's order, not in the order they were scheduled. On
the real clock two deadlines are almost never equal (time moves between two calls), which is why
asyncio never needed more. The course's tools/virtual_asyncio.py breaks ties by scheduling order,
as aio's timer heap does, so that mirrors and demos agree: there they fire A to G.
(test_naive_loop.cpp: "timers with equal deadlines fire in the order they were scheduled")"""
import asyncio


class FrozenClockLoop(asyncio.SelectorEventLoop):
    """asyncio's own loop and TimerHandle, on a clock that moves only when the loop would wait."""

    def __init__(self):
        self._now = 0.0
        super().__init__()
        real_select = self._selector.select

        def select(timeout=None):
            if timeout:
                self._now += timeout
            return real_select(0)

        self._selector.select = select

    def time(self):
        return self._now


def seven_ties(loop):
    fired = []
    for name in "ABCDEFG":
        loop.call_later(1, fired.append, name)
    loop.call_later(2, loop.stop)
    loop.run_forever()
    loop.close()
    return " ".join(fired)


print("asyncio's TimerHandle, clock standing still:", seven_ties(FrozenClockLoop()))
print("tools/virtual_asyncio.py, ties by schedule: ", seven_ties(asyncio.new_event_loop()))

# expect 3.11:
# asyncio's TimerHandle, clock standing still: A C G F B D E
# tools/virtual_asyncio.py, ties by schedule:  A B C D E F G
