"""A task cancelled while its TaskGroup waits for the children: the group cancels each child
without a message, and the task's own CancelledError, message and all, leaves the scope.
(test_task_group.cpp: "an outer cancel message leaves the scope; the children get none")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def child(name):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as error:
        print(at(f"{name} sees {error.args}"))
        raise


async def runner():
    async with asyncio.TaskGroup() as group:
        group.create_task(child("a"))


async def main():
    for name, how in [("cancel()", ()), ("cancel('')", ("",)), ("cancel('m')", ("m",))]:
        task = asyncio.create_task(runner())
        await asyncio.sleep(1)
        print(at(name))
        task.cancel(*how)
        try:
            await task
        except asyncio.CancelledError as error:
            print(at(f"main sees {error.args}"))


asyncio.run(main())

# expect 3.11:
# 1.0 cancel()
# 1.0 a sees ()
# 1.0 main sees ()
# 2.0 cancel('')
# 2.0 a sees ()
# 2.0 main sees ('',)
# 3.0 cancel('m')
# 3.0 a sees ()
# 3.0 main sees ('m',)
