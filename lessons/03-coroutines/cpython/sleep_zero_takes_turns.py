"""await asyncio.sleep(0) suspends once and puts the task at the back of the loop's ready queue:
every task that was ready before it runs first. aio::yield_now() does the same with lesson 03's
scheduler. (chapter 03, "Step 2", and the card's table)"""
import asyncio


async def player(name, times):
    for i in range(1, times + 1):
        print(f"{name} {i}")
        await asyncio.sleep(0)


async def main():
    await asyncio.gather(player("ping", 3), player("pong", 2))


asyncio.run(main())

# expect 3.11:
# ping 1
# pong 1
# ping 2
# pong 2
# ping 3
