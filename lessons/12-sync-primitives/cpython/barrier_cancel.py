"""asyncio.Barrier: a task cancelled while it waits leaves the barrier (n_waiting goes down) and
does not break it: the others keep waiting until a full round has arrived.
(test_barrier.cpp: "a cancelled party leaves the barrier without breaking it")"""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def party(name, barrier):
    try:
        index = await barrier.wait()
        print(f"{elapsed()} {name} passes with index {index}")
    except asyncio.CancelledError:
        print(f"{elapsed()} {name} cancelled, n_waiting = {barrier.n_waiting}")
        raise


async def main():
    barrier = asyncio.Barrier(3)
    tasks = {name: asyncio.create_task(party(name, barrier)) for name in "ab"}
    await asyncio.sleep(1)
    tasks["a"].cancel()
    await asyncio.sleep(1)
    print(f"{elapsed()} n_waiting = {barrier.n_waiting}, broken = {barrier.broken}")
    tasks["c"] = asyncio.create_task(party("c", barrier))
    tasks["d"] = asyncio.create_task(party("d", barrier))
    await asyncio.gather(*tasks.values(), return_exceptions=True)


asyncio.run(main())

# expect 3.11:
# 1.0 a cancelled, n_waiting = 1
# 2.0 n_waiting = 1, broken = False
# 2.0 d passes with index 2
# 2.0 b passes with index 1
# 2.0 c passes with index 1
