"""Lesson 07's third program in Python: demo_hops.cpp mirrors it line for line.

How many turns of the event loop pass between a task finishing and the task waiting for it
resuming? A counter task adds one per turn; each waiter compares the count when the child
finished with the count when it resumed. Run it with: python3 lessons/07-wait/mirror_hops.py
"""
import asyncio

turn = 0          # how many turns of the loop the counter has seen
finished_in = 0   # the turn in which the last child finished


async def count_turns():
    global turn
    while True:
        turn += 1
        await asyncio.sleep(0)  # one step per turn of the loop


async def child(steps):
    global finished_in
    for _ in range(steps):
        await asyncio.sleep(0)
    finished_in = turn
    return steps


def report(how):
    print(f"  {how:<28} finished in turn {finished_in}, resumed in turn {turn}: "
          f"{turn - finished_in} later")


async def main():
    counter = asyncio.create_task(count_turns())
    print("turns of the loop between a child finishing and its waiter resuming")

    task = asyncio.create_task(child(2))
    await task
    report("await task")

    tasks = [asyncio.create_task(child(steps)) for steps in (1, 2)]
    await asyncio.wait(tasks)
    report("wait(ALL_COMPLETED)")

    tasks = [asyncio.create_task(child(steps)) for steps in (2, 4)]
    await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    report("wait(FIRST_COMPLETED)")

    tasks = [asyncio.create_task(child(2))]
    for next_result in asyncio.as_completed(tasks):
        await next_result
    report("as_completed")

    counter.cancel()


asyncio.run(main())
