import asyncio

BIG = 10_000_000


async def main():
    finished = asyncio.Event()

    async def slow_reader(reader, writer):
        await finished.wait()  # reads nothing until told to
        data = await reader.readexactly(BIG + 5)
        print("server read", len(data), "bytes")
        writer.close()

    server = await asyncio.start_server(slow_reader, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    low, high = writer.transport.get_write_buffer_limits()
    buffered = writer.transport.get_write_buffer_size
    print("low and high water marks:", low, high)
    writer.write(b"small")
    print("after 5 bytes, buffered:", buffered())
    writer.write(b"x" * BIG)
    print("after 10 MB, buffered above the high mark:", buffered() > high)
    finished.set()
    await writer.drain()
    print("drain returned; buffered at most the low mark:", buffered() <= low)
    await reader.read()  # the server closes once it has read everything
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


asyncio.run(main())
