# serve_forever() ends with CancelledError when another task closes the server, and closes the
# server when it is cancelled itself.
import asyncio


async def handle(reader, writer):
    writer.close()


async def main():
    loop = asyncio.get_running_loop()
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    serving = asyncio.create_task(server.serve_forever())
    await asyncio.sleep(1)
    server.close()
    try:
        await serving
    except asyncio.CancelledError:
        print(loop.time(), "closed by another task: CancelledError, task cancelled:", serving.cancelled())

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    serving = asyncio.create_task(server.serve_forever())
    await asyncio.sleep(2)
    serving.cancel()
    try:
        await serving
    except asyncio.CancelledError:
        print(loop.time(), "cancelled: serving:", server.is_serving())


asyncio.run(main())

# expect 3.11:
# 1.0 closed by another task: CancelledError, task cancelled: True
# 3.0 cancelled: serving: False
