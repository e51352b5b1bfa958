"""Run an asyncio program on a virtual clock: `python3 tools/virtual_asyncio.py program.py`.

The clock jumps straight to the next timer whenever nothing is ready, just as aio's virtual clock
does (AIO_CLOCK=virtual). A program that sleeps for ten seconds finishes at once and prints exactly
what it prints in real time, which is what lets a test compare a demo with its mirror quickly.

Nothing here changes asyncio's scheduling: the loop is CPython's own selector loop; only its idea
of "now" and its wait for the next timer are replaced.
"""
import asyncio
import heapq
import itertools
import runpy
import sys
from asyncio import events


class _SequencedTimerHandle(events.TimerHandle):
    """A timer that breaks ties by the order it was scheduled in. On the real clock, two timers
    rarely share a deadline, because time moves between the calls that set them; on a clock that
    stands still they often do, and heapq alone would then fire them in an arbitrary order."""

    __slots__ = ("_sequence",)

    def __lt__(self, other):
        return (self._when, self._sequence) < (other._when, other._sequence)


class VirtualClockLoop(asyncio.SelectorEventLoop):
    """A selector event loop whose time() only moves when the loop would otherwise wait."""

    def __init__(self):
        self._virtual_now = 0.0
        self._timer_sequence = itertools.count()
        super().__init__()
        real_select = self._selector.select

        def select(timeout=None):
            if timeout is None or timeout <= 0:
                return real_select(timeout)
            events = real_select(0)  # real I/O, if any, comes first and time stands still
            if not events:
                self._virtual_now += timeout
            return events

        self._selector.select = select

    def time(self):
        return self._virtual_now

    def call_at(self, when, callback, *args, context=None):
        # BaseEventLoop.call_at, with a timer that keeps first-scheduled-first-fired order.
        self._check_closed()
        timer = _SequencedTimerHandle(when, callback, args, self, context)
        timer._sequence = next(self._timer_sequence)
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer


class VirtualClockPolicy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self):
        return VirtualClockLoop()


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: virtual_asyncio.py program.py [args...]")
    asyncio.set_event_loop_policy(VirtualClockPolicy())
    program = sys.argv[1]
    sys.argv = sys.argv[1:]
    runpy.run_path(program, run_name="__main__")


if __name__ == "__main__":
    main()
