"""The scope resumes two loop iterations after its last child finished: one for the group's done
callback (it goes through call_soon), one for the wake-up of the task waiting in __aexit__. A
ticker task shows the iterations.
(test_task_group.cpp: "the scope resumes two loop iterations after its last child finished")"""
import asyncio


async def ticker(ticks):
    for i in range(ticks):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def yields_then_ends(name, yields):
    for _ in range(yields):
        await asyncio.sleep(0)
    print(f"{name} ends")


async def main():
    ticks = asyncio.create_task(ticker(8))
    async with asyncio.TaskGroup() as group:
        group.create_task(yields_then_ends("a", 1))
        group.create_task(yields_then_ends("b", 2))
        print("body ends")
    print("scope ended")
    await ticks


asyncio.run(main())

# expect 3.11:
# body ends
# tick 0
# tick 1
# a ends
# tick 2
# b ends
# tick 3
# tick 4
# scope ended
# tick 5
# tick 6
# tick 7
