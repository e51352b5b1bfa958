import asyncio


async def main():
    finished = asyncio.Event()

    async def read_lines(reader, writer):
        for _ in range(3):
            try:
                print(await reader.readline())
            except ValueError as error:
                print(type(error).__name__, error)
        writer.close()
        finished.set()

    server = await asyncio.start_server(read_lines, "127.0.0.1", 0, limit=8)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"short\n" + b"x" * 20 + b"\n" + b"next\n")  # one write, one arrival
    await finished.wait()
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


asyncio.run(main())
