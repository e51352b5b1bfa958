# A child cancelled by someone else makes the gather raise CancelledError, but the task that
# awaits the gather is not being cancelled: its cancelling() stays 0, and it carries on.
# Shown for lesson 06's ex2 ("a cancelled child raises CancelledError in the waiter only").
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    async def cancellable(name, seconds):
        try:
            await asyncio.sleep(seconds)
        except asyncio.CancelledError as error:
            print(f"{loop.time():.1f} {name} cancelled: {error.args[0]}")
            raise
        print(f"{loop.time():.1f} {name} ends")

    tasks = [asyncio.create_task(cancellable("a", 1)), asyncio.create_task(cancellable("bb", 2))]

    async def canceller():
        await asyncio.sleep(0.5)
        tasks[1].cancel("child only")

    cancelling = asyncio.create_task(canceller())
    try:
        await asyncio.gather(*tasks)
    except asyncio.CancelledError as error:
        print(f"{loop.time():.1f} gather raised CancelledError: {error.args[0]}")
    print(f"{loop.time():.1f} main: cancelling() is {asyncio.current_task().cancelling()}")
    await cancelling
    await asyncio.sleep(2)


asyncio.run(main())

# expect 3.11:
# 0.5 bb cancelled: child only
# 0.5 gather raised CancelledError: child only
# 0.5 main: cancelling() is 0
# 1.0 a ends
