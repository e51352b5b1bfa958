"""sleep(0) is one hop: the task's next step goes straight to the back of the ready queue, so it
runs in the next iteration, before a callback that another callback schedules in that iteration.
(A timer of delay 0 would take two hops, and come back after that callback.)
(test_sleep.cpp: "sleep(0) comes back in the very next iteration")"""
import asyncio

log = []


async def yields_between_callbacks():
    loop = asyncio.get_running_loop()

    def x():
        log.append("X, ready before the yield")
        loop.call_soon(log.append, "Y, scheduled by X")

    loop.call_soon(x)
    await asyncio.sleep(0)
    log.append("the task, back from sleep(0)")


asyncio.run(yields_between_callbacks())
print("\n".join(log))

# expect 3.11:
# X, ready before the yield
# the task, back from sleep(0)
# Y, scheduled by X
