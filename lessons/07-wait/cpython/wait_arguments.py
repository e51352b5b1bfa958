"""What asyncio.wait and as_completed accept. An empty list is a ValueError. Since 3.11, bare
coroutines are refused: wait wants tasks. The argument becomes a set, so a task listed twice is
waited for once, and as_completed gives one result for it.
(the chapter's "The same task twice"; test_wait.cpp: "wait refuses an empty list of tasks")"""
import asyncio


async def after(delay, value):
    await asyncio.sleep(delay)
    return value


async def main():
    try:
        await asyncio.wait([])
    except ValueError as error:
        print(f"wait([]): ValueError: {error}")
    coroutine = after(1, 1)
    try:
        await asyncio.wait([coroutine])
    except TypeError as error:
        print(f"wait([coroutine]): TypeError: {error}")
    coroutine.close()

    task = asyncio.create_task(after(1, 1))
    done, pending = await asyncio.wait([task, task])
    print(f"wait([task, task]): {len(done)} done")
    results = [await next_result for next_result in asyncio.as_completed([task, task])]
    print(f"as_completed([task, task]): {results}")


asyncio.run(main())

# expect 3.11:
# wait([]): ValueError: Set of Tasks/Futures is empty.
# wait([coroutine]): TypeError: Passing coroutines is forbidden, use tasks explicitly.
# wait([task, task]): 1 done
# as_completed([task, task]): [1]
