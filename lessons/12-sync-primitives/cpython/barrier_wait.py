"""asyncio.Barrier (3.11): wait() returns each task's arrival index; the last arrival opens the
barrier and returns first, then the others leave in the order they came; n_waiting counts the
tasks of the filling round. A task that arrives while a round drains waits for the next round.
Barrier(0) is a ValueError. (test_barrier.cpp)"""
import asyncio


async def ticker(count):
    for i in range(count):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def party(name, barrier):
    print(f"{name} arrives, n_waiting = {barrier.n_waiting}")
    index = await barrier.wait()
    print(f"{name} passes with index {index}")


async def main():
    try:
        asyncio.Barrier(0)
    except ValueError as error:
        print(f"Barrier(0) raised ValueError: {error}")
    barrier = asyncio.Barrier(3)
    tick = asyncio.create_task(ticker(10))
    tasks = [asyncio.create_task(party(name, barrier)) for name in "abcd"]
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print(f"n_waiting = {barrier.n_waiting}")
    await tick
    tasks.append(asyncio.create_task(party("e", barrier)))
    tasks.append(asyncio.create_task(party("f", barrier)))
    await asyncio.gather(*tasks)
    print(f"n_waiting = {barrier.n_waiting}, broken = {barrier.broken}")


asyncio.run(main())

# expect 3.11:
# Barrier(0) raised ValueError: parties must be > 0
# tick 0
# a arrives, n_waiting = 0
# b arrives, n_waiting = 1
# c arrives, n_waiting = 2
# c passes with index 2
# d arrives, n_waiting = 0
# tick 1
# a passes with index 0
# b passes with index 1
# n_waiting = 0
# tick 2
# tick 3
# tick 4
# tick 5
# tick 6
# tick 7
# tick 8
# tick 9
# e arrives, n_waiting = 1
# f arrives, n_waiting = 2
# f passes with index 2
# d passes with index 0
# e passes with index 1
# n_waiting = 0, broken = False
