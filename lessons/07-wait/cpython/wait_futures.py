"""wait() takes futures as well as tasks, in one list. With FIRST_COMPLETED, a future that a
call_later sets at 1.0 ends the wait: wait's done callback on the future runs one iteration
after set_result (before tick 0 of a ticker that the same callback starts), and the waiting task
resumes one iteration later (before tick 1). The task goes on running. A timeout leaves a future
that nobody set in `pending`, still pending: wait() cancels nothing.
(test_wait.cpp: "wait takes futures and tasks, with the hops of a task")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def ticker(count, log):
    for i in range(count):
        log.append(f"tick {i}")
        await asyncio.sleep(0)


async def child(seconds):
    await asyncio.sleep(seconds)
    return "task"


def names(items, future, task):
    return "[" + ", ".join("future" if item is future else "task" for item in items
                           if item is future or item is task) + "]"


async def main():
    loop = asyncio.get_running_loop()
    log = []
    future = loop.create_future()
    task = asyncio.create_task(child(2))
    ticks = []

    def set_it():
        future.set_result(5)
        log.append(at("set_result"))
        ticks.append(asyncio.create_task(ticker(3, log)))

    loop.call_later(1, set_it)
    done, pending = await asyncio.wait([future, task], return_when=asyncio.FIRST_COMPLETED)
    log.append(at(f"main resumed: done {names(done, future, task)}, pending {names(pending, future, task)}"))
    await ticks[0]
    log.append(at(f"the future holds {future.result()}; the task gives {await task}"))

    never = loop.create_future()
    done, pending = await asyncio.wait([never], timeout=1)
    log.append(at(f"timeout: {len(done)} done, {len(pending)} pending; done() = {never.done()}"))
    print("\n".join(log))


asyncio.run(main())

# expect 3.11:
# 1.0 set_result
# tick 0
# 1.0 main resumed: done [future], pending [task]
# tick 1
# tick 2
# 2.0 the future holds 5; the task gives task
# 3.0 timeout: 0 done, 1 pending; done() = False
