"""The CancelledError that ended a task, with its message, goes to the first one who retrieves it;
everyone after that gets a new CancelledError. aio gives the message to every one of them.
(test_cancellation.cpp: "result(), exception() and every co_await of a cancelled task throw ...")"""
import asyncio


def text(error):
    return f"CancelledError({error.args[0] if error.args else ''})"


async def job():
    await asyncio.sleep(10)


async def main():
    task = asyncio.create_task(job())
    await asyncio.sleep(1)
    task.cancel("gone")
    for i in (1, 2):
        try:
            await task
        except asyncio.CancelledError as error:
            print(f"await #{i}: {text(error)}")
    try:
        task.result()
    except asyncio.CancelledError as error:
        print(f"result(): {text(error)}")
    try:
        task.exception()
    except asyncio.CancelledError as error:
        print(f"exception(): {text(error)}")


asyncio.run(main())

# expect 3.11:
# await #1: CancelledError(gone)
# await #2: CancelledError()
# result(): CancelledError()
# exception(): CancelledError()
