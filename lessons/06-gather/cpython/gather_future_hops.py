"""gather takes futures as well as tasks: a Task is a Future. Here a gather holds a future that a
call_later sets at 1.0 and a task that ends at 0.5. A ticker, started by the same call_later
callback just after set_result, counts the loop iterations from there. The gather's done
callback on the future runs one iteration after set_result (tick 0 comes after it, and a task
that awaits the future directly resumes in that same iteration, before it, because it listened
first); the awaiting task resumes one iteration later, before tick 1: the same two hops as for a
task child.
(test_gather.cpp: "a future child wakes the waiter two iterations after set_result")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def ticker(count, log):
    for i in range(count):
        log.append(f"tick {i}")
        await asyncio.sleep(0)


async def task_child(log):
    await asyncio.sleep(0.5)
    log.append(at("task child ends"))
    return "task"


async def awaits_directly(future, log):
    value = await future
    log.append(f"direct waiter got {value}")


async def main():
    loop = asyncio.get_running_loop()
    log = []
    future = loop.create_future()
    direct = asyncio.create_task(awaits_directly(future, log))
    await asyncio.sleep(0)  # the direct waiter listens first
    ticks = []

    def set_it():
        future.set_result("future")
        log.append(at("set_result"))
        ticks.append(asyncio.create_task(ticker(4, log)))

    loop.call_later(1.0, set_it)
    results = await asyncio.gather(future, task_child(log))
    log.append(at(f"main resumed with {results}"))
    await ticks[0]
    await direct
    print("\n".join(log))


asyncio.run(main())

# expect 3.11:
# 0.5 task child ends
# 1.0 set_result
# direct waiter got future
# tick 0
# 1.0 main resumed with ['future', 'task']
# tick 1
# tick 2
# tick 3
