"""A child leaves the group's set one loop iteration after it finished: the group learns of the
end through a done callback, which call_soon schedules for the next iteration.
(test_task_group.cpp: "a child leaves the group one loop iteration after it finished"; aio's
group.size() is len(group._tasks))"""
import asyncio


async def yields_then_ends(name, yields):
    for _ in range(yields):
        await asyncio.sleep(0)
    print(f"{name} ends")


async def main():
    async with asyncio.TaskGroup() as group:
        group.create_task(yields_then_ends("a", 1))
        group.create_task(yields_then_ends("b", 2))
        for i in range(6):
            print(f"tick {i}: size {len(group._tasks)}")
            await asyncio.sleep(0)


asyncio.run(main())

# expect 3.11:
# tick 0: size 2
# tick 1: size 2
# a ends
# tick 2: size 2
# b ends
# tick 3: size 1
# tick 4: size 0
# tick 5: size 0
