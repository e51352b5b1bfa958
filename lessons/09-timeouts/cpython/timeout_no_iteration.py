"""`async with asyncio.timeout(...)` runs its block in the current task; entering and leaving it
take no turn of the loop (a ticker shows none passing).
(test_timeout.cpp: "the scope runs its body in the current task and adds no loop iteration")"""
import asyncio


async def ticker(count):
    for i in range(count):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def main():
    tick = asyncio.create_task(ticker(2))
    await asyncio.sleep(0)
    print("before")
    outer = asyncio.current_task()
    async with asyncio.timeout(5):
        print(f"inside, same task: {asyncio.current_task() is outer}")
    print("after")
    await asyncio.sleep(0)
    print("end")
    await tick


asyncio.run(main())

# expect 3.11:
# tick 0
# before
# inside, same task: True
# after
# tick 1
# end
