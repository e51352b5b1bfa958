"""A cancel() that comes in the iteration in which the task's sleep is due, after its timer has
fired: the sleep's future is done, cancel() still returns True, and the task gets CancelledError at
its next step, with the message.
(test_cancellation.cpp: "a cancel() that comes after the sleep's timer fired is still delivered")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def sleeper():
    print(at("job starts"))
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as error:
        print(at(f"job cancelled: {error.args[0] if error.args else ''}"))
        raise
    print(at("job woke"))


async def main():
    job = asyncio.create_task(sleeper())
    # Registered before the job's sleep, with the same deadline: it runs first at 1.0.
    asyncio.get_running_loop().call_later(1, lambda: print(at(f"cancel() returns {job.cancel('late')}")))
    try:
        await job
    except asyncio.CancelledError as error:
        print(at(f"main: CancelledError({error.args[0]})"))


asyncio.run(main())

# expect 3.11:
# 0.0 job starts
# 1.0 cancel() returns True
# 1.0 job cancelled: late
# 1.0 main: CancelledError(late)
