"""How many loop iterations pass between the task that decides a wait finishing and the task that
awaits asyncio.wait resuming? Two, for every return_when: the done-callback runs one iteration
after the task finished and completes the waiter future, and the waiter wakes the awaiting task
one iteration after that. FIRST_EXCEPTION ends the wait at the first failure, FIRST_COMPLETED at
the first task done, ALL_COMPLETED at the last.
(test_wait.cpp: "wait resumes two turns after the last task finished, as asyncio's does" and the
two FIRST_* tests after it)"""
import asyncio


async def ticker(count):
    for i in range(count):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def child(steps, fail):
    for _ in range(steps):
        await asyncio.sleep(0)
    print(f"child {steps} ends")
    if fail:
        raise RuntimeError(f"child {steps} failed")
    return steps


async def hops(mode):
    tick = asyncio.create_task(ticker(8))
    children = [asyncio.create_task(child(2, False)), asyncio.create_task(child(3, True)),
                asyncio.create_task(child(5, False))]
    print("wait")
    done, pending = await asyncio.wait(children, return_when=mode)
    print(f"returned {len(done)} {len(pending)}")
    await asyncio.sleep(0.1)
    children[1].exception()  # retrieved: not reported at the end
    await tick


async def main():
    for mode in (asyncio.ALL_COMPLETED, asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION):
        print(f"-- {mode}")
        await hops(mode)


asyncio.run(main())

# expect 3.11:
# -- ALL_COMPLETED
# wait
# tick 0
# tick 1
# tick 2
# child 2 ends
# tick 3
# child 3 ends
# tick 4
# tick 5
# child 5 ends
# tick 6
# tick 7
# returned 3 0
# -- FIRST_COMPLETED
# wait
# tick 0
# tick 1
# tick 2
# child 2 ends
# tick 3
# child 3 ends
# tick 4
# returned 2 1
# tick 5
# child 5 ends
# tick 6
# tick 7
# -- FIRST_EXCEPTION
# wait
# tick 0
# tick 1
# tick 2
# child 2 ends
# tick 3
# child 3 ends
# tick 4
# tick 5
# returned 2 1
# child 5 ends
# tick 6
# tick 7
