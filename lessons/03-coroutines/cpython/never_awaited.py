"""A coroutine object that is dropped before anything drives it: CPython frees it, with its
arguments, and warns "coroutine ... was never awaited" (a RuntimeWarning, printed on stderr by
default; printed on stdout here, so that it can be checked). Its body never runs. C++ warns at compile time
instead: aio::Coro is [[nodiscard]].
(test_coro.cpp: "a coroutine that is never awaited is destroyed with its frame, its body never
run"; chapter 03, "Step 3")"""
import warnings


class Ticket:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print(f"{self.name} released: the frame is gone")


async def use_ticket(ticket):
    print(f"using {ticket.name}")  # never printed


def show(message, category, *rest):
    """Where CPython would write the warning to stderr: print it here instead."""
    print(f"{category.__name__}: {message}")


warnings.showwarning = show
use_ticket(Ticket("the ticket"))
print("use_ticket's body never ran")

# expect 3.11:
# RuntimeWarning: coroutine 'use_ticket' was never awaited
# the ticket released: the frame is gone
# use_ticket's body never ran
