# Server.wait_closed() after close(), while a handler still runs: 3.11 returns at once; from
# 3.12.1 on it waits until every connection is done.
import asyncio


async def handle(reader, writer):
    await reader.readline()
    await asyncio.sleep(3)
    print(asyncio.get_running_loop().time(), "handler done")
    writer.close()


async def main():
    loop = asyncio.get_running_loop()
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"hi\n")
    await asyncio.sleep(1)
    server.close()
    print(loop.time(), "closed, serving:", server.is_serving())
    try:
        await asyncio.open_connection("127.0.0.1", port)
    except ConnectionRefusedError:
        print(loop.time(), "a new client is refused")
    await server.wait_closed()
    print(loop.time(), "wait_closed returned")
    await reader.read()
    writer.close()
    await asyncio.sleep(3)


asyncio.run(main())

# expect 3.11:
# 1.0 closed, serving: False
# 1.0 a new client is refused
# 1.0 wait_closed returned
# 3.0 handler done
# expect 3.12:
# 1.0 closed, serving: False
# 1.0 a new client is refused
# 3.0 handler done
# 3.0 wait_closed returned
