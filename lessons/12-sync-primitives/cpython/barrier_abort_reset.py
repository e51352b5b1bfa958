"""asyncio.Barrier: abort() breaks the barrier: the tasks waiting get BrokenBarrierError, and so
does every later wait(), until reset(); reset() while tasks wait breaks their round (they get
BrokenBarrierError too) and then the barrier works again. (test_barrier.cpp)"""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def party(name, barrier):
    try:
        index = await barrier.wait()
        print(f"{elapsed()} {name} passes with index {index}")
    except asyncio.BrokenBarrierError as error:
        print(f"{elapsed()} {name}: BrokenBarrierError: {error}")


async def main():
    barrier = asyncio.Barrier(3)
    tasks = [asyncio.create_task(party(name, barrier)) for name in "ab"]
    await asyncio.sleep(1)
    print(f"{elapsed()} main: abort(), n_waiting = {barrier.n_waiting}")
    await barrier.abort()
    await asyncio.gather(*tasks)
    print(f"{elapsed()} broken = {barrier.broken}")
    await party("c", barrier)
    await barrier.reset()
    print(f"{elapsed()} after reset(): broken = {barrier.broken}")

    tasks = [asyncio.create_task(party(name, barrier)) for name in "de"]
    await asyncio.sleep(1)
    print(f"{elapsed()} main: reset() with 2 waiting")
    await barrier.reset()
    await asyncio.gather(*tasks)
    tasks = [asyncio.create_task(party(name, barrier)) for name in "fgh"]
    await asyncio.gather(*tasks)


asyncio.run(main())

# expect 3.11:
# 1.0 main: abort(), n_waiting = 2
# 1.0 a: BrokenBarrierError: Abort or reset of barrier
# 1.0 b: BrokenBarrierError: Abort or reset of barrier
# 1.0 broken = True
# 1.0 c: BrokenBarrierError: Barrier aborted
# 1.0 after reset(): broken = False
# 2.0 main: reset() with 2 waiting
# 2.0 d: BrokenBarrierError: Abort or reset of barrier
# 2.0 e: BrokenBarrierError: Abort or reset of barrier
# 2.0 h passes with index 2
# 2.0 f passes with index 0
# 2.0 g passes with index 1
