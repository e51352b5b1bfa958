"""A timeout around a shield stops the waiting, not the work: wait_for(shield(t), 1) and
`async with timeout(1): await shield(t)` both raise TimeoutError when the time is up, and the task
runs on to its end.
(test_shield.cpp: "a timeout around a shield stops the waiting, not the task")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def work(delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(at("work cancelled"))
        raise
    print(at("work done"))
    return "saved"


async def main():
    task = asyncio.create_task(work(3))
    try:
        await asyncio.wait_for(asyncio.shield(task), 1)
    except TimeoutError:
        print(at(f"TimeoutError, work done() = {task.done()}"))
    try:
        async with asyncio.timeout(1):
            await asyncio.shield(task)
    except TimeoutError:
        print(at(f"TimeoutError, work done() = {task.done()}"))
    result = await task
    print(at(f"work returned {result}"))


asyncio.run(main())

# expect 3.11:
# 1.0 TimeoutError, work done() = False
# 2.0 TimeoutError, work done() = False
# 3.0 work done
# 3.0 work returned saved
