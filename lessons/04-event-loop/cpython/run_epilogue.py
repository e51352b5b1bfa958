"""How asyncio.run ends. run_until_complete stops the loop from a done callback of main, which
runs one iteration after main finished: the tasks ready then get one more step. Then run cancels
every task still pending and runs the loop until they have finished, so a task's cleanup may
await. (Cancellation itself is lesson 08's; here it is only what run does at the end.)
(test_sleep.cpp: "aio::run gives the ready tasks one more step after main, then cancels them",
"aio::run returns main's result after the cancelled tasks have cleaned up")"""
import asyncio

log = []


def now():
    return f"{asyncio.get_running_loop().time():.1f}"


async def background():
    try:
        for i in range(5):
            log.append(f"background {i}")
            await asyncio.sleep(0)
    except asyncio.CancelledError:
        log.append("background cancelled")
        raise


async def main_leaves_a_task_behind():
    asyncio.create_task(background())
    await asyncio.sleep(0)
    log.append("main done")


async def cleans_up_slowly():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append(f"{now()} cleanup starts")
        await asyncio.sleep(1)
        log.append(f"{now()} cleanup ends")
        raise


async def main_returns_early():
    asyncio.create_task(cleans_up_slowly())
    await asyncio.sleep(2)
    log.append(f"{now()} main done")
    return 7


asyncio.run(main_leaves_a_task_behind())
print(", ".join(log))
log.clear()
result = asyncio.run(main_returns_early())
print(", ".join(log), f"-> {result}")

# expect 3.11:
# background 0, main done, background 1, background cancelled
# 2.0 main done, 2.0 cleanup starts, 3.0 cleanup ends -> 7
