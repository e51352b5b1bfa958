import asyncio


async def main():
    task = asyncio.create_task(asyncio.sleep(0, result="x"))
    await task
    print("the task is done:", task.done())
    task.add_done_callback(lambda t: print("callback sees", t.result()))
    print("callback added")
    await asyncio.sleep(0)
    print("after one yield")


asyncio.run(main())
