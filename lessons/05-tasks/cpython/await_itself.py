# A task that awaits itself gets RuntimeError("Task cannot await on itself: ...") at once.
# Shown for lesson 05's ex4 ("a task that awaits itself gets InvalidStateError").
import asyncio


async def main():
    async def narcissus():
        try:
            await asyncio.current_task()
        except RuntimeError as error:
            print(f"RuntimeError: {str(error).split(':')[0]}")

    await asyncio.create_task(narcissus())


asyncio.run(main())

# expect 3.11:
# RuntimeError: Task cannot await on itself
