"""An async generator has no task of its own: its body, before and after an await, runs in the
task that iterates it.
(test_async_generator.cpp: "the body runs inside the task that consumes it")"""
import asyncio


def task_name():
    return asyncio.current_task().get_name()


async def names():
    print(f"body before its await runs in {task_name()}")
    await asyncio.sleep(1)
    print(f"body after its await runs in {task_name()}")
    yield 1


async def consume(source):
    async for _ in source:
        print(f"the consumer is {task_name()}")


async def main():
    await asyncio.create_task(consume(names()), name="consumer")


asyncio.run(main())

# expect 3.11:
# body before its await runs in consumer
# body after its await runs in consumer
# the consumer is consumer
