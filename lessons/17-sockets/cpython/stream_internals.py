# What asyncio's streams do underneath, as the chapter describes it: the transport reads up to
# 256 KiB at a time; the reader pauses the transport once its buffer holds more than twice its
# limit; write() after write_eof() is a RuntimeError.
import asyncio
import asyncio.selector_events


async def handle(reader, writer):
    writer.write(b"x" * (300 * 1024))
    await writer.drain()
    writer.close()


async def main():
    print("transport reads at most", asyncio.selector_events._SelectorSocketTransport.max_size // 1024, "KiB")
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=64 * 1024)
    while len(reader._buffer) <= 2 * 64 * 1024 and not reader.at_eof():
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.1)
    print("buffer above twice the limit, reading paused:", reader._paused)
    writer.write_eof()
    try:
        writer.write(b"more")
    except RuntimeError as error:
        print("RuntimeError:", error)
    await reader.read()
    writer.close()
    server.close()
    await server.wait_closed()


asyncio.run(main())

# expect 3.11:
# transport reads at most 256 KiB
# buffer above twice the limit, reading paused: True
# RuntimeError: Cannot call write() after write_eof()
