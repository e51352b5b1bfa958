import asyncio


async def main():
    finished = asyncio.Event()

    async def count_in_fours(reader, writer):
        print(await reader.readexactly(4))
        try:
            await reader.readexactly(4)
        except asyncio.IncompleteReadError as error:
            print("incomplete:", error.partial, "of", error.expected)
        print("at_eof:", reader.at_eof(), await reader.read())
        writer.close()
        finished.set()

    server = await asyncio.start_server(count_in_fours, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"abcdefg")
    writer.close()
    await writer.wait_closed()
    await finished.wait()
    server.close()
    await server.wait_closed()


asyncio.run(main())
