"""asyncio.Semaphore(2): two tasks go in at once, the others wait and go in, in the order they
asked, each one loop iteration after a release() hands its permit on; release() with nobody
waiting adds a free permit. locked() is True while acquire() would wait. (test_semaphore.cpp)"""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def worker(name, sem, seconds):
    async with sem:
        print(f"{elapsed()} {name} in, locked() = {sem.locked()}")
        await asyncio.sleep(seconds)
    print(f"{elapsed()} {name} out")


async def main():
    sem = asyncio.Semaphore(2)
    tasks = [asyncio.create_task(worker(name, sem, seconds))
             for name, seconds in [("a", 1), ("b", 3), ("c", 1), ("d", 1), ("e", 1)]]
    await asyncio.gather(*tasks)
    print(f"{elapsed()} locked() = {sem.locked()}, value = {sem._value}")
    sem.release()
    print(f"after one more release(): value = {sem._value}")

    print("-- Semaphore(0) as a signal")
    signal = asyncio.Semaphore(0)

    async def wait_for_signal():
        async with signal:
            print(f"{elapsed()} signalled")

    task = asyncio.create_task(wait_for_signal())
    await asyncio.sleep(1)
    signal.release()
    await task


asyncio.run(main())

# expect 3.11:
# 0.0 a in, locked() = False
# 0.0 b in, locked() = True
# 1.0 a out
# 1.0 c in, locked() = True
# 2.0 c out
# 2.0 d in, locked() = True
# 3.0 b out
# 3.0 d out
# 3.0 e in, locked() = False
# 4.0 e out
# 4.0 locked() = False, value = 2
# after one more release(): value = 3
# -- Semaphore(0) as a signal
# 5.0 signalled
