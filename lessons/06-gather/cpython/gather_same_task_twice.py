# A task passed to gather twice fills both slots. asyncio listens to it once (gather keeps one
# future per distinct argument); the awaiting task resumes two iterations after it finishes.
# Shown for lesson 06's ex1 ("a task passed twice fills both slots").
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
    ticks = asyncio.create_task(ticker(6, log))
    twice = asyncio.create_task(after_yields("t", 1, log))
    results = await asyncio.gather(twice, twice)
    log.append("main resumed " + ",".join(results))
    await ticks
    print("\n".join(log))


asyncio.run(main())

# expect 3.11:
# tick 0
# tick 1
# t done
# tick 2
# tick 3
# main resumed t,t
# tick 4
# tick 5
