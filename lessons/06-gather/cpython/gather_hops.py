# The task that awaits a gather resumes two loop iterations after the last child finishes: the
# gather hears of the child in a done callback (one call_soon), and its outer future wakes the
# awaiting task through its own done callback (another). A ticker counts the iterations.
# Shown for lesson 06's ex1 ("the waiter resumes two iterations after the last child").
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
    ticks = asyncio.create_task(ticker(8, log))
    await asyncio.sleep(0)
    results = await asyncio.gather(after_yields("a", 1, log), after_yields("b", 2, log))
    log.append("main resumed " + ",".join(results))
    await ticks
    print("\n".join(log))


asyncio.run(main())

# expect 3.11:
# tick 0
# tick 1
# tick 2
# a done
# tick 3
# b done
# tick 4
# tick 5
# main resumed a,b
# tick 6
# tick 7
