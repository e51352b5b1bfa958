"""reschedule(): arms a scope that had no deadline, moves a deadline, and is refused before the
block, after it, and once the deadline has passed, with these messages. (Early 3.11 releases, such
as Debian 12's 3.11.2, assert instead of raising before the block; 3.11.7 raises as 3.12 does.)
(test_timeout.cpp: "reschedule arms a scope that had no deadline ..." and the two tests
"reschedule is refused ...")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def job(delay, value):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(at("job cancelled: CancelledError()"))
        raise
    print(at(f"job returns {value}"))
    return value


def refused(scope):
    try:
        scope.reschedule(3)
    except RuntimeError as error:
        print(error)
    except AssertionError:
        print("AssertionError")


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(None) as cm:
            print(at(f"when = {cm.when()}"))
            cm.reschedule(loop.time() + 3)
            print(at(f"when = {cm.when()}"))
            await job(1, 1)
            cm.reschedule(loop.time() + 1)  # 3.0 becomes 2.0
            await job(1.5, 2)
    except TimeoutError:
        print(at(f"TimeoutError, when = {cm.when()}"))

    fresh = asyncio.timeout(1)
    refused(fresh)
    async with fresh:
        pass
    refused(fresh)
    late = asyncio.timeout(0)
    try:
        async with late:
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                refused(late)  # the deadline has passed: the scope is expiring
                raise
    except TimeoutError:
        print("TimeoutError")
    refused(late)


asyncio.run(main())

# expect 3.11:
# 0.0 when = None
# 0.0 when = 3.0
# 1.0 job returns 1
# 2.0 job cancelled: CancelledError()
# 2.0 TimeoutError, when = 2.0
# AssertionError
# Cannot change state of finished Timeout
# Cannot change state of expiring Timeout
# TimeoutError
# Cannot change state of expired Timeout
# expect 3.11.7:
# 0.0 when = None
# 0.0 when = 3.0
# 1.0 job returns 1
# 2.0 job cancelled: CancelledError()
# 2.0 TimeoutError, when = 2.0
# Timeout has not been entered
# Cannot change state of finished Timeout
# Cannot change state of expiring Timeout
# TimeoutError
# Cannot change state of expired Timeout
