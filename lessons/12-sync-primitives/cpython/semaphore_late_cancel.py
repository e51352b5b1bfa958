"""asyncio.Semaphore: a waiter cancelled after release() handed it a permit (too late to leave
the queue) gives the permit to the next waiter before its CancelledError leaves; a waiter
cancelled while it waits just leaves. No permit is lost: the value is back to 1 at the end.
(test_semaphore.cpp)"""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def worker(name, sem):
    try:
        async with sem:
            print(f"{elapsed()} {name} in")
            await asyncio.sleep(1)
    except asyncio.CancelledError:
        print(f"{elapsed()} {name} cancelled")
        raise


async def main():
    sem = asyncio.Semaphore(1)
    await sem.acquire()
    tasks = {name: asyncio.create_task(worker(name, sem)) for name in "abcd"}
    await asyncio.sleep(0)
    tasks["c"].cancel()
    sem.release()
    tasks["a"].cancel()
    print("released, then cancelled a (handed the permit) and c (waiting)")
    await asyncio.gather(*tasks.values(), return_exceptions=True)
    print(f"{elapsed()} value = {sem._value}, locked() = {sem.locked()}")


asyncio.run(main())

# expect 3.11:
# released, then cancelled a (handed the permit) and c (waiting)
# 0.0 c cancelled
# 0.0 a cancelled
# 0.0 b in
# 1.0 d in
# 2.0 value = 1, locked() = False
