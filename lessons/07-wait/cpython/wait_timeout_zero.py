"""timeout=0 still takes two loop iterations, and returns what is already done, with the rest
pending. When every task is already done, the timer and the last done-callback are due in the
same iteration: the callback runs first and completes the waiter, and the timer callback finds the
waiter done and does nothing (`_release_waiter` checks `waiter.done()`). aio's on_timer must do
the same when `finished_` is set.
(test_wait.cpp: "a timeout of zero returns the tasks already done, the rest pending" and
"a zero timeout on tasks all done: the timer finds the wait over")"""
import asyncio


async def ticker(count):
    for i in range(count):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def child(steps):
    for _ in range(steps):
        await asyncio.sleep(0)
    print(f"child {steps} ends")
    return steps


async def after(delay, value):
    await asyncio.sleep(delay)
    return value


def report(done, pending):
    now = asyncio.get_running_loop().time()
    print(f"returned at {now:.1f} {len(done)} {len(pending)}")


async def main():
    tasks = [asyncio.create_task(child(0))]
    await asyncio.sleep(0)
    tasks.append(asyncio.create_task(after(1, 1)))
    tick = asyncio.create_task(ticker(4))
    done, pending = await asyncio.wait(tasks, timeout=0)
    report(done, pending)
    await asyncio.sleep(5)
    print("-- every task already done")
    done, pending = await asyncio.wait(tasks, timeout=0)
    report(done, pending)


asyncio.run(main())

# expect 3.11:
# child 0 ends
# tick 0
# tick 1
# returned at 0.0 1 1
# tick 2
# tick 3
# -- every task already done
# returned at 5.0 2 0
