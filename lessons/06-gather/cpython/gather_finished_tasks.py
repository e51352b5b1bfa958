# A gather of tasks that have all finished already. CPython 3.11 schedules the gather's done
# callback for each of them (call_soon on a finished future), so the awaiting task still resumes
# two iterations later. From 3.12 on, gather() runs the callbacks of finished children at once,
# so the outer future is done before it is awaited, and the await does not suspend at all.
# Shown for lesson 06's ex1 ("a gather of finished tasks still takes two iterations"): aio
# behaves as 3.11 does.
import asyncio


async def ticker(count, log):
    for i in range(count):
        log.append(f"tick {i}")
        await asyncio.sleep(0)


async def after_yields(name, yields, log):
    for _ in range(yields):
        await asyncio.sleep(0)
    log.append(f"{name} done")
    return name


async def main():
    log = []
    ticks = asyncio.create_task(ticker(5, log))
    done = asyncio.create_task(after_yields("c", 0, log))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log.append("c is done" if done.done() else "c is pending")
    results = await asyncio.gather(done)
    log.append("main resumed " + ",".join(results))
    await ticks
    print("\n".join(log))


asyncio.run(main())

# expect 3.11:
# tick 0
# c done
# tick 1
# c is done
# tick 2
# tick 3
# main resumed c
# tick 4
# expect 3.12:
# tick 0
# c done
# tick 1
# c is done
# main resumed c
# tick 2
# tick 3
# tick 4
