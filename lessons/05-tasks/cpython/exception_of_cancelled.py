# exception() and result() of a cancelled task raise its CancelledError; they do not return it.
# Shown for lesson 05's ex2 ("exception() raises the CancelledError of a cancelled task").
import asyncio


async def main():
    task = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)
    task.cancel("not needed")
    await asyncio.sleep(0)
    print(f"done {task.done()}, cancelled {task.cancelled()}")
    try:
        print(f"exception() returned {task.exception()!r}")
    except asyncio.CancelledError as error:
        print(f"exception() raised CancelledError{error.args}")
    try:
        print(f"result() returned {task.result()!r}")
    except asyncio.CancelledError:
        print("result() raised CancelledError")


asyncio.run(main())

# expect 3.11:
# done True, cancelled True
# exception() raised CancelledError('not needed',)
# result() raised CancelledError
