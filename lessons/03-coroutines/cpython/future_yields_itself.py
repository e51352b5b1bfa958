"""At the bottom of an await chain, asyncio's Future yields itself to the Task that drives the
coroutine; the Task then waits for the future to be done (it adds a done callback) and resumes the
coroutine in a later turn of the loop. (chapter 03, "The asyncio idea")"""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    probe = loop.create_future()
    print(f"a future's __await__ yields the future itself: {next(probe.__await__()) is probe}")

    future = loop.create_future()

    async def waiter():
        print("waiter awaits the future")
        value = await future
        print(f"waiter resumed with {value}")

    task = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    print("set_result(42)")
    future.set_result(42)
    await task


asyncio.run(main())

# expect 3.11:
# a future's __await__ yields the future itself: True
# waiter awaits the future
# set_result(42)
# waiter resumed with 42
