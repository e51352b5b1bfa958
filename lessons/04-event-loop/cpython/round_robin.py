"""sleep(0) is a plain yield: the task goes to the back of the ready queue, so tasks that yield in
turn take one step each per iteration, round robin.
(test_sleep.cpp: "sleep(0) interleaves tasks round robin, exactly as asyncio does")"""
import asyncio

log = []


async def worker(name):
    for i in range(1, 4):
        log.append(f"{name}{i}")
        await asyncio.sleep(0)
    log.append(f"{name} done")


async def main():
    tasks = [asyncio.create_task(worker(name)) for name in "ABC"]
    log.append("main created")
    await asyncio.sleep(0)
    log.append("main after one yield")
    for task in tasks:
        await task
    log.append("main done")


asyncio.run(main())
print(", ".join(log))

# expect 3.11:
# main created, A1, B1, C1, main after one yield, A2, B2, C2, A3, B3, C3, A done, B done, C done, main done
