"""contextlib.AsyncExitStack.enter_async_context enters a manager and pushes its __aexit__ only
once __aenter__ has returned: a manager whose __aenter__ raises is not exited, the ones entered
before it are. push_async_callback's callbacks run with their arguments, are told nothing and
swallow nothing; aclose() unwinds at once; pop_all() hands the exits to a new stack that outlives
the `async with`. (test_async_with.cpp: the l15.ex4 section)"""
import asyncio
import contextlib


def at(what):
    print(f"{asyncio.get_running_loop().time():.1f} {what}")


def describe(error):
    return "none" if error is None else f"{type(error).__name__}: {error}"


class Resource:
    def __init__(self, name, enter_failure=None):
        self.name, self.enter_failure = name, enter_failure

    async def __aenter__(self):
        at(f"{self.name} enters")
        await asyncio.sleep(1)
        at(f"{self.name} setup done")
        if self.enter_failure:
            raise ConnectionRefusedError(self.enter_failure)
        return self

    async def __aexit__(self, kind, error, traceback):
        at(f"{self.name} exits, told {describe(error)}")
        await asyncio.sleep(1)
        at(f"{self.name} teardown done")


async def callback(what, number):
    at(f"callback {what} {number}")
    await asyncio.sleep(1)


async def swallower(kind, error, traceback):
    at(f"swallower told {describe(error)}")
    await asyncio.sleep(1)
    return True


async def scope(coro):
    try:
        await coro
    except BaseException as error:
        at(f"scope ended: {describe(error)}")
    else:
        at("scope ended normally")


async def enter_two():
    async with contextlib.AsyncExitStack() as stack:
        a = await stack.enter_async_context(Resource("a"))
        b = await stack.enter_async_context(Resource("b"))
        a.name, b.name = "a (used)", "b (used)"
        at("body runs")


async def enter_fails():
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(Resource("a"))
        await stack.enter_async_context(Resource("b", enter_failure="refused"))


async def callbacks():
    async with contextlib.AsyncExitStack() as stack:
        stack.push_async_callback(callback, "first", 1)
        stack.push_async_exit(swallower)
        stack.push_async_callback(callback, "second", 2)
        at("body fails")
        raise ValueError("boom")


async def callback_keeps_error():
    async with contextlib.AsyncExitStack() as stack:
        stack.push_async_callback(callback, "only", 3)
        at("body fails")
        raise ValueError("kept")


async def closing():
    stack = contextlib.AsyncExitStack()
    await stack.enter_async_context(Resource("a"))
    stack.push_async_callback(callback, "cb", 1)
    at("aclose")
    await stack.aclose()
    at("closed")


async def keep_open():
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(Resource("a"))
        await stack.enter_async_context(Resource("b"))
        kept = stack.pop_all()
    at("the scope ended, the exits were kept")
    await kept.aclose()


async def main():
    for title, program in [("reverse order", enter_two), ("an __aenter__ fails", enter_fails),
                           ("callbacks", callbacks), ("a callback keeps the error", callback_keeps_error),
                           ("aclose", closing), ("pop_all", keep_open)]:
        print(f"== {title}")
        await scope(program())


asyncio.run(main())

# expect 3.11:
# == reverse order
# 0.0 a enters
# 1.0 a setup done
# 1.0 b enters
# 2.0 b setup done
# 2.0 body runs
# 2.0 b (used) exits, told none
# 3.0 b (used) teardown done
# 3.0 a (used) exits, told none
# 4.0 a (used) teardown done
# 4.0 scope ended normally
# == an __aenter__ fails
# 4.0 a enters
# 5.0 a setup done
# 5.0 b enters
# 6.0 b setup done
# 6.0 a exits, told ConnectionRefusedError: refused
# 7.0 a teardown done
# 7.0 scope ended: ConnectionRefusedError: refused
# == callbacks
# 7.0 body fails
# 7.0 callback second 2
# 8.0 swallower told ValueError: boom
# 9.0 callback first 1
# 10.0 scope ended normally
# == a callback keeps the error
# 10.0 body fails
# 10.0 callback only 3
# 11.0 scope ended: ValueError: kept
# == aclose
# 11.0 a enters
# 12.0 a setup done
# 12.0 aclose
# 12.0 callback cb 1
# 13.0 a exits, told none
# 14.0 a teardown done
# 14.0 closed
# 14.0 scope ended normally
# == pop_all
# 14.0 a enters
# 15.0 a setup done
# 15.0 b enters
# 16.0 b setup done
# 16.0 the scope ended, the exits were kept
# 16.0 b exits, told none
# 17.0 b teardown done
# 17.0 a exits, told none
# 18.0 a teardown done
# 18.0 scope ended normally
