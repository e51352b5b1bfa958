# A stream's write buffer limits: drain() waits once more than 64 KiB wait to be sent, and
# resumes when at most 16 KiB are left (transport.get_write_buffer_limits() is (low, high)).
import asyncio


async def handle(reader, writer):
    writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    print("low, high =", writer.transport.get_write_buffer_limits())
    print("reader limit =", reader._limit)
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


asyncio.run(main())

# expect 3.11:
# low, high = (16384, 65536)
# reader limit = 65536
