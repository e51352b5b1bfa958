"""A task that sleeps until t resumes one iteration after the callbacks due at t: its timer only
completes a future (hop 1), whose done callback schedules the task's next step (hop 2). A
negative delay is a plain yield, like sleep(0): no timer at all.
(test_sleep.cpp: "a sleeper due at t resumes one iteration after the callbacks due at t",
"a negative delay yields like sleep(0)")"""
import asyncio

log = []


def now():
    return f"{asyncio.get_running_loop().time():.1f}"


async def sleeper(name, delay):
    await asyncio.sleep(delay)
    log.append(f"{now()} {name}")


async def sleeper_and_callbacks():
    loop = asyncio.get_running_loop()
    loop.call_later(1, lambda: log.append(f"{now()} call_later(1) before the sleep"))
    task = asyncio.create_task(sleeper("sleeper wakes", 1))
    await asyncio.sleep(0)  # the task's first step runs: its timer is on the heap now
    loop.call_later(1, lambda: log.append(f"{now()} call_later(1) after the sleep began"))
    await task


async def negative_sleep():
    asyncio.get_running_loop().call_soon(lambda: log.append("callback"))
    await asyncio.sleep(-5)
    log.append(f"after sleep(-5) at {now()}")


asyncio.run(sleeper_and_callbacks())
print("\n".join(log))
log.clear()
asyncio.run(negative_sleep())
print("\n".join(log))

# expect 3.11:
# 1.0 call_later(1) before the sleep
# 1.0 call_later(1) after the sleep began
# 1.0 sleeper wakes
# callback
# after sleep(-5) at 0.0
