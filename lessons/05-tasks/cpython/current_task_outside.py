# asyncio.current_task() outside a running loop raises RuntimeError (aio::current_task() returns
# null instead). Shown for lesson 05's ex1 ("current_task() ... null outside any task").
import asyncio

try:
    asyncio.current_task()
    print("returned")
except RuntimeError as error:
    print(f"RuntimeError: {error}")

# expect 3.11:
# RuntimeError: no running event loop
